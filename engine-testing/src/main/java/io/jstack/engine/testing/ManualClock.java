package io.jstack.engine.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * An {@link EngineClock} that stands still until {@link #advance} moves it. Thread-safe; tasks run
 * on the thread that advances the clock, never while it holds its own lock, so a task may schedule
 * further tasks.
 */
public final class ManualClock implements EngineClock {
  /** Where a clock made with {@link #ManualClock()} starts. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

  private final Object lock = new Object();
  private final Object advancing = new Object();
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::sequence));
  private Instant now;
  private long sequence;

  private record Task(Instant due, long sequence, Runnable action) {}

  /** A clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  @Override
  public Instant now() {
    synchronized (lock) {
      return now;
    }
  }

  /**
   * Queues {@code task} to run when the clock has been advanced by {@code delay}; a zero delay runs
   * at the next {@link #advance}, even {@code advance(Duration.ZERO)}.
   */
  @Override
  public void schedule(Duration delay, Runnable task) {
    requireNonNegative(delay);
    Objects.requireNonNull(task, "task");
    synchronized (lock) {
      tasks.add(new Task(now.plus(delay), sequence++, task));
    }
  }

  /**
   * Moves the clock forward by {@code step}, running every task that falls due on the way, in due
   * order (tasks due at the same instant in the order they were scheduled), with {@link #now()} at
   * each task's due time while it runs. Tasks scheduled meanwhile run too if they fall due within
   * the step. Concurrent advances run one after the other.
   */
  public void advance(Duration step) {
    requireNonNegative(step);
    synchronized (advancing) {
      Instant target;
      synchronized (lock) {
        target = now.plus(step);
      }
      while (true) {
        Task next;
        synchronized (lock) {
          next = tasks.peek();
          if (next == null || next.due().isAfter(target)) {
            now = target;
            return;
          }
          tasks.poll();
          now = next.due();
        }
        next.action().run();
      }
    }
  }

  /** How many tasks have not run yet. */
  public int pending() {
    synchronized (lock) {
      return tasks.size();
    }
  }

  private static void requireNonNegative(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + duration);
    }
  }
}
