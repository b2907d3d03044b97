package io.jstack.runtime.engine;

import io.jstack.runtime.container.Containers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Waits for containers as Docker's wait does ({@link WaitFor}), polling conmon's records; the exit
 * codes of the last 256 containers removed stay known for waits that see them only gone.
 */
final class Waits {
  private final ContainerStore store;
  private final Containers containers;

  /** The exit codes of the last containers removed, for waits that see them only gone. */
  private final Map<String, Integer> removedExitCodes =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > 256;
        }
      };

  Waits(ContainerStore store, Containers containers) {
    this.store = store;
    this.containers = containers;
  }

  /** A container is being removed; a run of it that ended with {@code ended} stays known. */
  void removed(String id, OptionalInt ended) {
    if (ended.isPresent()) {
      synchronized (removedExitCodes) {
        removedExitCodes.put(id, ended.getAsInt());
      }
    }
  }

  /** Blocks until {@code condition} holds; the exit code of its last run (0 if it never ran). */
  int await(String idOrName, WaitFor condition) {
    Container c = store.require(idOrName);
    String id = c.record().id();
    boolean wasRunning = c.alive();
    Instant run = c.record().startedAt();
    int code = c.exitCode();
    while (true) {
      Optional<Container> now = store.find(id);
      if (now.isEmpty()) {
        synchronized (removedExitCodes) {
          return removedExitCodes.getOrDefault(id, code);
        }
      }
      Container x = now.get();
      boolean thisRunEnded =
          x.status() == Container.Status.exited
              && (wasRunning || !Objects.equals(x.record().startedAt(), run));
      if (x.status() == Container.Status.exited) {
        code = x.exitCode();
      }
      switch (condition) {
        case NOT_RUNNING -> {
          if (!x.alive() && (!wasRunning || thisRunEnded)) {
            return x.exitCode();
          }
        }
        case NEXT_EXIT -> {
          if (thisRunEnded) {
            return x.exitCode();
          }
        }
        case REMOVED -> {
          // Only its absence ends this wait.
        }
      }
      if (x.alive()) {
        containers.waitExit(id, Duration.ofMillis(200));
      } else {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return code;
        }
      }
    }
  }

  /** Waits until the current run of container {@code id} has ended, at most {@code bound}. */
  void untilExited(String id, java.time.Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (containers.exitCode(id).isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
