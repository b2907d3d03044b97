package io.jstack.engine.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * The time a {@link FakeEngine} runs on: what "now" is, and when its timed events (a job exiting, a
 * healthcheck passing) happen. {@link #system()} is wall-clock time; {@link ManualClock} only moves
 * when a test advances it, so timed behaviour is instant and deterministic.
 */
public interface EngineClock {

  /** The current time; container creation times are read from it. */
  Instant now();

  /**
   * Runs {@code task} once, {@code delay} from now. The task may run on another thread and must not
   * be run by this call itself.
   */
  void schedule(Duration delay, Runnable task);

  /** Wall-clock time, with tasks run on one shared daemon thread. */
  static EngineClock system() {
    return SystemEngineClock.INSTANCE;
  }
}
