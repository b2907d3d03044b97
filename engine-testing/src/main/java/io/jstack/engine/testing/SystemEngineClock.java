package io.jstack.engine.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link EngineClock#system()}: wall-clock time and one daemon thread shared by every engine. */
final class SystemEngineClock implements EngineClock {
  static final SystemEngineClock INSTANCE = new SystemEngineClock();

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "fake-engine-clock");
            thread.setDaemon(true);
            return thread;
          });

  private SystemEngineClock() {}

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
