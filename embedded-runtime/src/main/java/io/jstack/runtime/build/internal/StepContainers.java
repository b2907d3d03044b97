package io.jstack.runtime.build.internal;

import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.engine.SpareNetwork;
import io.jstack.runtime.image.Healthcheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The containers a build's steps run in, on the engine's own runtime with the isolation of any
 * container: a RUN's, started with the stage's environment, user and working directory, and the
 * never-started ones whose mounted root COPY, ADD and WORKDIR write into. Their upper directories
 * become the steps' layers.
 */
public final class StepContainers {
  private static final Healthcheck NO_HEALTHCHECK =
      new Healthcheck(
          List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

  private final EmbeddedEngine engine;

  /** The removals under way, off the steps' path (a runc delete, a network unplugged). */
  private final java.util.concurrent.ExecutorService removals;

  private final List<java.util.concurrent.Future<?>> removing =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  /** Whether a RUN step took the engine's spare network namespace. */
  private volatile boolean tookNetwork;

  /** The containers of one build: {@link #awaitRemovals} before the build returns. */
  public StepContainers(EmbeddedEngine engine) {
    this.engine = engine;
    this.removals =
        java.util.concurrent.Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "build-step-removal");
              t.setDaemon(true);
              return t;
            });
  }

  /** What a RUN does with its container's mounted root before it starts. */
  public interface BeforeStart {
    void accept(Path rootfs) throws IOException;
  }

  /**
   * Runs {@code argv} to its end (in the foreground of the runtime: {@link
   * EmbeddedEngine#runToEnd}) in a new container of image {@code reference} with {@code mounts},
   * network {@code default}, {@code none} or {@code host}; hands {@code beforeStart} its mounted
   * root, tells {@code output} what it prints as it prints it, and returns the container's id and
   * exit code; the caller removes it.
   */
  public Ran run(
      String reference,
      List<String> argv,
      List<String> env,
      String workingDir,
      @Nullable String user,
      String network,
      List<ContainerSettings.Mount> mounts,
      BeforeStart beforeStart,
      Consumer<String> output)
      throws IOException {
    ContainerSettings settings = settings(reference, argv, env, workingDir, user, network, mounts);
    SpareNetwork spare = network.equals("default") ? engine.takeStepNetwork() : null;
    tookNetwork |= spare != null;
    String id =
        spare == null ? engine.createBuildStep(settings) : engine.createBuildStep(settings, spare);
    try {
      beforeStart.accept(rootfs(id));
      int exit = engine.runToEnd(id, output);
      return new Ran(id, exit);
    } catch (IOException | RuntimeException e) {
      remove(id);
      throw e;
    }
  }

  /**
   * A RUN step on the default network comes: the engine's spare network namespace is made now
   * unless it is there ({@link EmbeddedEngine#wantStepNetwork}), for the next {@link #run} on
   * network {@code default} to take.
   */
  public void prepareNetwork() {
    engine.wantStepNetwork();
  }

  /** A container that ran: its id and exit code. */
  public record Ran(String id, int exitCode) {}

  /** A new container of {@code reference} that never runs, its root mounted; its id. */
  public String mounted(String reference) {
    String id =
        engine.createBuildStep(
            settings(reference, List.of("true"), List.of(), "/", null, "none", List.of()));
    return id;
  }

  /** Where container {@code id}'s root filesystem is mounted. */
  public Path rootfs(String id) {
    return engine.containers().dir(id).resolve("rootfs");
  }

  /**
   * Container {@code id}'s writable layer, the step's changes, its root unmounted: it may become
   * the step's layer in the store (moved there); the container is to be removed after.
   */
  public Path upperDir(String id) throws IOException {
    return engine.containers().unmountedUpperDir(id);
  }

  /**
   * Moves container {@code id}'s writable layer, its root unmounted, out of the container, to the
   * image store's {@code tmp/} (the store's file system, from which a commit renames it into
   * place), and returns where it is now, so that the container can be removed while its layer is
   * committed; null, the layer left in place, when it cannot move there (another file system).
   */
  public @Nullable Path moveUpperDir(String id) throws IOException {
    Path upper = upperDir(id);
    Path out = engine.images().newTemporary();
    try {
      Files.move(upper, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return out;
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      return null;
    }
  }

  /** Where the build's cache mounts are kept: {@code <data-root>/build-cache/mounts}. */
  public Path cacheMounts() {
    return engine.dataRoot().path().resolve("build-cache").resolve("mounts");
  }

  /**
   * Removes container {@code id} with its anonymous volumes (VOLUME paths), in the background: the
   * next step need not wait for it; {@link #awaitRemovals} does.
   */
  public void remove(String id) {
    removing.add(removals.submit(() -> engine.remove(id, true, true)));
  }

  /**
   * Waits until every container removed is gone and stops the removals' threads.
   *
   * @throws io.jstack.engine.EngineException the first removal that failed, the others suppressed
   */
  public void awaitRemovals() {
    if (tookNetwork) {
      engine.refillStepNetwork();
    }
    removals.shutdown();
    RuntimeException failed = null;
    List<java.util.concurrent.Future<?>> all;
    synchronized (removing) {
      all = List.copyOf(removing);
    }
    for (java.util.concurrent.Future<?> f : all) {
      try {
        waitFor(f);
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static <T> T waitFor(java.util.concurrent.Future<T> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // the containers go first: nothing is left behind
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new io.jstack.engine.EngineException(
                  "a build step's container could not be removed: " + e.getCause(), e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static ContainerSettings settings(
      String reference,
      List<String> argv,
      List<String> env,
      String workingDir,
      @Nullable String user,
      String network,
      List<ContainerSettings.Mount> mounts) {
    ContainerSettings.Host host =
        ContainerSettings.Host.defaults(
            network.equals("none") || network.equals("host") ? network : "bridge",
            List.of(),
            mounts,
            Map.of());
    return new ContainerSettings(
        reference,
        List.of(),
        argv,
        env,
        workingDir,
        user,
        null,
        null,
        Map.of(EmbeddedEngine.BUILD_STEP_LABEL, "true"),
        null,
        null,
        NO_HEALTHCHECK,
        List.of(),
        List.of(),
        ContainerConfig.Console.NONE,
        host,
        Map.of());
  }
}
