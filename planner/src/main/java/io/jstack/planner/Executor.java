package io.jstack.planner;

import io.jstack.engine.Engine;
import io.jstack.planner.step.StepContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a plan: each operation starts as soon as the operations it depends on are done, at most
 * {@code parallel} engine calls at a time. On the first failure (or {@link Run#cancel()}) nothing
 * new starts, running operations finish, and the result names what failed and what never ran.
 */
public final class Executor {
  /**
   * How to run.
   *
   * @param parallel the most engine operations at once; 0 for no bound
   * @param pollInterval how often waiting operations look again
   * @param waitTimeout how long waiting operations may wait in all; null for no limit
   */
  public record Options(int parallel, Duration pollInterval, @Nullable Duration waitTimeout) {
    public static Options defaults() {
      return new Options(0, Duration.ofMillis(250), null);
    }
  }

  /** How a run ended. */
  public record Result(
      List<PlanEvent.Failed> failures, List<Operation> notRun, Duration took, boolean cancelled) {
    public Result {
      failures = List.copyOf(failures);
      notRun = List.copyOf(notRun);
    }

    public boolean succeeded() {
      return failures.isEmpty() && !cancelled;
    }

    /**
     * The first failure in one line, as every caller reports it: {@code <operation> (service S)
     * failed: <cause>}.
     *
     * @throws IllegalStateException when nothing failed
     */
    public String firstFailure() {
      if (failures.isEmpty()) {
        throw new IllegalStateException("no operation failed");
      }
      PlanEvent.Failed f = failures.get(0);
      String service =
          f.operation().service() == null ? "" : " (service " + f.operation().service() + ")";
      return f.operation().describe() + service + " failed: " + f.cause().getMessage();
    }
  }

  private Executor() {}

  /**
   * Starts running {@code plan} on {@code engine}; events go to {@code listener} as they happen.
   */
  public static Run start(Plan plan, Engine engine, Options options, Consumer<PlanEvent> listener) {
    Run run = new Run(plan, engine, options, listener);
    run.begin();
    return run;
  }

  /** Runs {@code plan} to the end. */
  public static Result run(Plan plan, Engine engine, Options options, Consumer<PlanEvent> listener)
      throws InterruptedException {
    return start(plan, engine, options, listener).await();
  }

  /** A plan being run. */
  public static final class Run {
    private final Plan plan;
    private final Engine engine;
    private final Consumer<PlanEvent> listener;
    private final Semaphore permits;
    private final StepContext context;
    private final ExecutorService threads;
    private final long started = System.nanoTime();

    private final Object lock = new Object();
    private final int[] pending;
    private final Map<Integer, List<Integer>> dependents = new HashMap<>();
    private final Map<Integer, Future<?>> running = new HashMap<>();

    /** The threads of the waits under way, for {@link #cancel()} to interrupt. */
    private final Map<Integer, Thread> waiting = new HashMap<>();

    private final List<PlanEvent.Failed> failures = new ArrayList<>();
    private final boolean[] done;
    private boolean stopping;
    private boolean cancelled;
    private final AtomicInteger finished = new AtomicInteger();

    Run(Plan plan, Engine engine, Options options, Consumer<PlanEvent> listener) {
      this.plan = plan;
      this.engine = engine;
      this.listener = listener;
      this.permits =
          new Semaphore(options.parallel() <= 0 ? Integer.MAX_VALUE : options.parallel(), true);
      long deadline =
          options.waitTimeout() == null
              ? Long.MAX_VALUE
              : started + options.waitTimeout().toNanos();
      this.context = new StepContext(options.pollInterval(), deadline);
      this.threads =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "jstack-plan");
                t.setDaemon(true);
                return t;
              });
      int n = plan.size();
      this.pending = new int[n + 1];
      this.done = new boolean[n + 1];
      for (Operation op : plan.operations()) {
        pending[op.id()] = op.after().size();
        for (int a : op.after()) {
          dependents.computeIfAbsent(a, k -> new ArrayList<>()).add(op.id());
        }
      }
    }

    void begin() {
      synchronized (lock) {
        for (Operation op : plan.operations()) {
          if (pending[op.id()] == 0) {
            submit(op);
          }
        }
        lock.notifyAll();
      }
    }

    /** Stops starting operations; waiting ones are interrupted, engine calls finish. */
    public void cancel() {
      synchronized (lock) {
        if (stopping && cancelled) {
          return;
        }
        stopping = true;
        cancelled = true;
        // Not Future.cancel(true): a task cancelled before its thread picks it up never runs,
        // so it would never leave running and await() would wait for ever. Operations that have
        // not begun see stopping and end by themselves.
        waiting.values().forEach(Thread::interrupt);
        lock.notifyAll();
      }
    }

    /** Waits for the run to end. */
    public Result await() throws InterruptedException {
      synchronized (lock) {
        while (!running.isEmpty() || (!stopping && finished.get() < plan.size())) {
          lock.wait();
        }
      }
      threads.shutdownNow();
      List<Operation> notRun = new ArrayList<>();
      for (Operation op : plan.operations()) {
        if (!done[op.id()]) {
          notRun.add(op);
        }
      }
      notRun.removeIf(op -> failures.stream().anyMatch(f -> f.operation().id() == op.id()));
      return new Result(failures, notRun, Duration.ofNanos(System.nanoTime() - started), cancelled);
    }

    private void submit(Operation op) {
      running.put(op.id(), threads.submit(() -> execute(op)));
    }

    private void execute(Operation op) {
      boolean acquired = false;
      try {
        if (op.step().usesEngine()) {
          permits.acquire();
          acquired = true;
        }
        runAndRecord(op);
      } catch (InterruptedException e) {
        record(op, Duration.ZERO, cancelled ? null : e, Optional.empty());
        Thread.currentThread().interrupt();
      } finally {
        // Only now, once the outcome is recorded: an operation that was waiting for this permit
        // must see this one's failure as stopping, and not start after it.
        if (acquired) {
          permits.release();
        }
      }
    }

    private void runAndRecord(Operation op) {
      boolean engineCall = op.step().usesEngine();
      long t0 = System.nanoTime();
      Throwable failure = null;
      Optional<String> skipped = Optional.empty();
      try {
        synchronized (lock) {
          if (stopping) {
            running.remove(op.id());
            lock.notifyAll();
            return;
          }
          if (!engineCall) {
            waiting.put(op.id(), Thread.currentThread());
          }
        }
        listener.accept(new PlanEvent.Started(op));
        t0 = System.nanoTime();
        skipped = op.step().run(engine, context);
      } catch (InterruptedException e) {
        failure = cancelled ? null : e;
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      record(op, Duration.ofNanos(System.nanoTime() - t0), failure, skipped);
    }

    private void record(
        Operation op, Duration took, @Nullable Throwable failure, Optional<String> skipped) {
      boolean engineCall = op.step().usesEngine();
      synchronized (lock) {
        running.remove(op.id());
        waiting.remove(op.id());
        if (failure != null) {
          PlanEvent.Failed f = new PlanEvent.Failed(op, took, failure);
          failures.add(f);
          stopping = true;
          listener.accept(f);
        } else if (cancelled && !engineCall) {
          // Interrupted wait: counts as not run.
        } else {
          done[op.id()] = true;
          finished.incrementAndGet();
          listener.accept(new PlanEvent.Finished(op, took, skipped.orElse(null)));
          if (!stopping) {
            Deque<Integer> ready = new ArrayDeque<>();
            for (int d : dependents.getOrDefault(op.id(), Collections.emptyList())) {
              if (--pending[d] == 0) {
                ready.add(d);
              }
            }
            for (int d : ready) {
              submit(plan.operations().get(d - 1));
            }
          }
        }
        lock.notifyAll();
      }
    }
  }
}
