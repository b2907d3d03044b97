package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.internal.Daemons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the engine does for running containers on its own: it notices exits (conmon records them),
 * starts containers again as their restart policy says (with Docker's back-off: 100 ms, doubling up
 * to a minute, back to 100 ms after a run of 10 s), and runs their healthchecks.
 */
final class Supervisor implements AutoCloseable {
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Duration STABLE_RUN = Duration.ofSeconds(10);

  /** Every how many looks for exits the supervisor also looks for runs whose conmon is gone. */
  private static final int MONITOR_LOOKS = 5;

  private final EmbeddedEngine engine;
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(1, Daemons.named("jstack-engine-supervisor"));
  private final ExecutorService probes =
      Executors.newCachedThreadPool(Daemons.named("jstack-engine-health"));

  private final Map<String, Health> health = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> restarts = new ConcurrentHashMap<>();

  /**
   * The containers whose policy's start is under way: between the last run's records going and the
   * new run's process, it shows as neither exited nor running, and is still restarting.
   */
  private final java.util.Set<String> launching = ConcurrentHashMap.newKeySet();

  private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
  private volatile boolean watching;

  Supervisor(EmbeddedEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts looking for exits every {@code period}, and takes over the containers an earlier engine
   * left: healthchecks of those running, restart policies of those that ended meanwhile.
   */
  void watch(Duration period) {
    watching = true;
    for (Container c : engine.list()) {
      if (c.alive()) {
        started(c.record());
      } else if (c.status() == Container.Status.exited) {
        exited(c.record(), c.exitCode());
      }
    }
    java.util.concurrent.atomic.AtomicInteger looks =
        new java.util.concurrent.atomic.AtomicInteger();
    timer.scheduleWithFixedDelay(
        () -> {
          // A killed conmon is looked for less often: a /proc read per running container.
          if (looks.incrementAndGet() % MONITOR_LOOKS == 0) {
            try {
              engine.endRunsOfGoneWatchers();
            } catch (RuntimeException e) {
              // Looked for again next time; exits are announced all the same.
            }
          }
          try {
            engine.announceExits();
          } catch (RuntimeException e) {
            // Looked for again next time.
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Its health, if it has a healthcheck and runs. */
  @Nullable Health health(String id) {
    return health.get(id);
  }

  /** Whether its restart policy is about to start it again. */
  boolean restarting(String id) {
    return restarts.containsKey(id);
  }

  /**
   * Whether the policy of {@code c} is about to start it again: a restart is pending, or its run
   * ended, nobody stopped it, and its policy will start it once the exit is seen (which the engine
   * notices on its next look). Docker shows such a container as {@code restarting}; a {@code down}
   * then stops it before it removes it.
   */
  boolean restarting(Container c) {
    return restarts.containsKey(c.record().id())
        || launching.contains(c.record().id())
        || watching
            && c.status() == Container.Status.exited
            && !c.record().settings().host().autoRemove()
            && wantsRestart(c.record(), c.exitCode());
  }

  /**
   * Whether the restart policy of {@code r} starts it again after a run ending with {@code code}.
   */
  private static boolean wantsRestart(ContainerRecord r, int code) {
    if (r.stoppedByUser()) {
      return false;
    }
    int max = r.settings().host().maximumRetryCount();
    return switch (r.settings().host().restartPolicy()) {
      case "always", "unless-stopped" -> true;
      case "on-failure" -> code != 0 && (max <= 0 || r.restartCount() < max);
      default -> false;
    };
  }

  // ------------------------------------------------------------------ restarts

  /** A run of {@code r} ended with {@code code}: its restart policy may start it again. */
  void exited(ContainerRecord r, int code) {
    health.remove(r.id());
    engine.ports().unpublish(r.id());
    engine.dns().detach(r.id());
    if (!watching) {
      return;
    }
    if (r.settings().host().autoRemove()) {
      removeOnceRead(r.id(), java.time.Instant.now().plusSeconds(10));
      return;
    }
    if (!wantsRestart(r, code)) {
      return;
    }
    Instant started = r.startedAt() == null ? Instant.now() : r.startedAt();
    boolean stable = Duration.between(started, Instant.now()).compareTo(STABLE_RUN) >= 0;
    Duration delay =
        stable
            ? FIRST_BACKOFF
            : backoff.merge(
                r.id(),
                FIRST_BACKOFF,
                (was, first) ->
                    was.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                        ? MAX_BACKOFF
                        : was.multipliedBy(2));
    if (stable) {
      backoff.put(r.id(), FIRST_BACKOFF);
    }
    Instant runToRestart = r.startedAt();
    restarts.compute(
        r.id(),
        (id, pending) -> {
          if (pending != null) {
            pending.cancel(false);
          }
          return timer.schedule(
              () -> restart(id, runToRestart), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  private void restart(String id, @Nullable Instant runToRestart) {
    // Under the container's lifecycle lock, and pending until then: a stop or removal that comes
    // meanwhile cancels it and waits, or finds it done.
    engine.changing(
        id,
        () -> {
          restarts.remove(id);
          Container c = engine.find(id).orElse(null);
          if (c == null
              || c.status() != Container.Status.exited
              || c.record().stoppedByUser()
              || !java.util.Objects.equals(c.record().startedAt(), runToRestart)) {
            return; // removed, stopped or started by somebody meanwhile
          }
          launching.add(id);
          try {
            engine.run(c.record(), true);
          } catch (EngineException e) {
            // Counts as a failed run: the policy decides again, after a longer wait.
            exited(
                c.record()
                    .started(
                        java.util.Objects.requireNonNullElse(
                            c.record().startedAt(), java.time.Instant.now()),
                        true,
                        c.record().publishedPorts()),
                -1);
          } finally {
            launching.remove(id);
          }
        });
  }

  /**
   * Removes an auto-removed container once nobody streams its output any more (an attached client
   * reads its log to the end first), or at {@code deadline}.
   */
  private void removeOnceRead(String id, java.time.Instant deadline) {
    if (engine.beingRead(id) && java.time.Instant.now().isBefore(deadline)) {
      timer.schedule(() -> removeOnceRead(id, deadline), 20, TimeUnit.MILLISECONDS);
      return;
    }
    try {
      engine.remove(id, true, true);
    } catch (EngineException gone) {
      // Removed by somebody else.
    }
  }

  /** Somebody started, stopped or removed it: a pending restart is off. */
  void cancelRestart(String id) {
    ScheduledFuture<?> pending = restarts.remove(id);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** It is gone. */
  void forget(String id) {
    cancelRestart(id);
    health.remove(id);
    backoff.remove(id);
  }

  // ------------------------------------------------------------------ health

  /** A run of {@code r} started: its healthcheck, if any, begins. */
  void started(ContainerRecord r) {
    Health.Check check = Health.Check.of(r.settings().healthcheck());
    if (check == null) {
      health.remove(r.id());
      return;
    }
    Health h = new Health(check, r.startedAt() == null ? Instant.now() : r.startedAt());
    health.put(r.id(), h);
    schedule(r.id(), h);
  }

  private void schedule(String id, Health h) {
    timer.schedule(
        () -> probes.execute(() -> probe(id, h)),
        h.nextDelay(Instant.now()).toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void probe(String id, Health h) {
    if (health.get(id) != h) {
      return; // a later run, or none
    }
    Instant start = Instant.now();
    Health.Result result;
    try {
      ExecProcess p =
          engine
              .containers()
              .exec(id, new ExecConfig(h.check().command(), List.of(), null, null, false), 0, 0);
      try {
        p.input().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread errors = Daemons.start("jstack-health-stderr", () -> keep(p.errors(), output));
        Thread out = Daemons.start("jstack-health-stdout", () -> keep(p.output(), output));
        OptionalInt code = p.waitFor(h.check().timeout());
        if (code.isEmpty()) {
          p.kill();
          result =
              new Health.Result(
                  start,
                  Instant.now(),
                  -1,
                  "Health check exceeded timeout ("
                      + h.check().timeout().toMillis() / 1000.0
                      + "s)");
        } else {
          errors.join(1000);
          out.join(1000);
          String text;
          synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
          }
          result = new Health.Result(start, Instant.now(), code.getAsInt(), text);
        }
      } finally {
        p.release();
      }
    } catch (EngineException e) {
      if (health.get(id) != h) {
        return; // it stopped meanwhile
      }
      result = new Health.Result(start, Instant.now(), -1, String.valueOf(e.getMessage()));
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      result = new Health.Result(start, Instant.now(), -1, String.valueOf(e.getMessage()));
    }
    if (health.get(id) != h) {
      return;
    }
    String changed = h.record(result);
    if (changed != null) {
      engine
          .find(id)
          .ifPresent(c -> engine.events().emit(c.record(), "health_status: " + changed, Map.of()));
    }
    schedule(id, h);
  }

  /** Appends what {@code in} gives to {@code out}, up to Docker's 4 KiB; reads the rest away. */
  private static void keep(InputStream in, ByteArrayOutputStream out) {
    byte[] buffer = new byte[4096];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (out) {
          int room = Health.MAX_OUTPUT - out.size();
          if (room > 0) {
            out.write(buffer, 0, Math.min(room, n));
          }
        }
      }
    } catch (IOException ended) {
      // Nothing more to read.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    probes.shutdownNow();
  }
}
