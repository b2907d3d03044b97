package io.jstack.runtime.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a build's stages as the graph of what they read allows, as BuildKit's solver does: a stage
 * starts as soon as the stages it reads (its base stage, {@code COPY --from}, {@code RUN --mount
 * from=}) are built, on a thread of its own, at most {@link #PARALLEL} at a time. When one fails
 * the others are told to stop ({@code cancel}), every stage running is waited for (each removes its
 * containers and mounts as it ends), and the first failure is thrown. Progress goes through a
 * {@link StageOutput}, so each stage's lines stay together.
 */
final class StageScheduler {
  /** At most this many stages build at once; more would only contend for disk and CPU. */
  static final int PARALLEL = Math.max(4, Runtime.getRuntime().availableProcessors());

  /** Builds one stage, telling {@code progress} its lines. */
  interface StageRun {
    void build(int stage, Consumer<String> progress) throws IOException;
  }

  private final Map<Integer, Set<Integer>> reads;
  private final StageOutput output;

  /**
   * @param reads each stage to build, in Dockerfile order, with the stages it reads (all of them
   *     among the keys)
   * @param progress where the lines go, a stage at a time
   */
  StageScheduler(Map<Integer, Set<Integer>> reads, Consumer<String> progress) {
    this.reads = reads;
    this.output = new StageOutput(progress, new ArrayList<>(reads.keySet()));
  }

  /**
   * Builds every stage with {@code run}; calls {@code cancel} once when one fails, before waiting
   * for the others.
   *
   * @throws RuntimeException the first stage's failure (an {@link IOException} as {@link
   *     UncheckedIOException})
   */
  void run(StageRun run, Runnable cancel) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(PARALLEL, reads.size())),
            r -> {
              Thread t = new Thread(r, "jstack-build-stage");
              t.setDaemon(true);
              return t;
            });
    CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
    Set<Integer> started = new HashSet<>();
    Set<Integer> built = new HashSet<>();
    Map<Integer, Future<Integer>> running = new HashMap<>();
    @Nullable Throwable failure = null;
    try {
      while (failure == null) {
        for (Map.Entry<Integer, Set<Integer>> e : reads.entrySet()) {
          int stage = e.getKey();
          if (!started.contains(stage) && built.containsAll(e.getValue())) {
            started.add(stage);
            running.put(stage, done.submit(() -> build(run, stage)));
          }
        }
        if (running.isEmpty()) {
          break;
        }
        Future<Integer> next = done.take();
        try {
          int stage = next.get();
          built.add(stage);
          running.remove(stage);
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
      }
      if (failure == null && built.size() < reads.size()) {
        throw new IllegalStateException("the stages read each other in a cycle: " + reads);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = new CancellationException("the build was interrupted");
    } finally {
      if (failure != null) {
        try {
          cancel.run();
        } catch (RuntimeException e) {
          // The stages still stop at their next step; they are waited for all the same.
          failure.addSuppressed(e);
        }
      }
      pool.shutdown();
      awaitAll(pool);
      output.flush();
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure instanceof IOException io) {
      throw new UncheckedIOException("the build failed: " + io.getMessage(), io);
    }
    if (failure != null) {
      throw new IllegalStateException("the build failed: " + failure.getMessage(), failure);
    }
  }

  private int build(StageRun run, int stage) throws IOException {
    try {
      run.build(stage, output.of(stage));
      return stage;
    } finally {
      output.done(stage);
    }
  }

  /** Waits for the stages still running: they end at their current step and clean up. */
  private static void awaitAll(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
