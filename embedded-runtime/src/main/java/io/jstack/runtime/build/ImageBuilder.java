package io.jstack.runtime.build;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.docker.DockerIgnore;
import io.jstack.runtime.build.internal.BuildCache;
import io.jstack.runtime.build.internal.CacheFromImages;
import io.jstack.runtime.build.internal.ContentHashes;
import io.jstack.runtime.build.internal.FileCopies;
import io.jstack.runtime.build.internal.SourceDigest;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.build.internal.StepContainers;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.DiskFull;
import io.jstack.runtime.image.ImageCommit;
import io.jstack.runtime.image.ImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds a Dockerfile on the embedded engine, as {@code docker build} does: the stages the target
 * needs (others are skipped, as BuildKit skips them), in parallel where they do not read each other
 * ({@link StageScheduler}), each RUN in a container of the engine's own runtime and each COPY, ADD
 * and WORKDIR in the mounted root of a container that never runs, whose upper directory becomes the
 * step's layer ({@link ImageCommit}); metadata instructions add {@code empty_layer} history
 * entries. Base images the store lacks are pulled first ({@link BaseImages}); a base image's
 * ONBUILD triggers run right after its FROM. A step whose key (its parent image, instruction, the
 * build arguments it uses and, for COPY and ADD, a digest of what it reads) an earlier build
 * recorded in the {@link BuildCache} is not run: the image it made is reused; else an image of the
 * request's {@code --cache-from} may give it ({@link CacheFromImages}). With the build argument
 * {@code SOURCE_DATE_EPOCH} (as BuildKit 0.11+ reads it), every time the build writes is clamped to
 * it: config and history {@code created} are the epoch, files newer than it get it. Intermediate
 * images carry a tag of the build's own until it ends.
 */
public final class ImageBuilder {
  private final EmbeddedEngine engine;
  private final ImageStore store;
  private final BuildCache cache;
  private final Path hashesFile;

  public ImageBuilder(EmbeddedEngine engine) {
    this.engine = engine;
    this.store = engine.images();
    this.cache = new BuildCache(engine.dataRoot().path().resolve("build-cache"), store);
    this.hashesFile = engine.dataRoot().path().resolve("build-cache/content-hashes");
  }

  /**
   * Builds what {@code request} asks and returns the image's ID ({@code sha256:} of its config);
   * {@code progress} gets the lines {@code docker build} prints.
   *
   * @throws DockerfileException naming the line of a step that failed, or of a bad Dockerfile (by
   *     the request's Dockerfile name, {@link DockerfileException#nameOf})
   * @throws EngineException.NotFound when a base image is not in the store
   */
  public String build(BuildRequest request, Consumer<String> progress) {
    try {
      Run run = new Run(request, progress);
      return DiskFull.guard(
          store.dataRoot(),
          "building " + (request.tags().isEmpty() ? "an image" : request.tags().get(0)),
          () -> run.failedWrite,
          run::build);
    } catch (DockerfileException e) {
      throw e.in(DockerfileException.nameOf(request.dockerfile()));
    }
  }

  /**
   * Reclaims the build cache, as {@code docker builder prune}: the entries of intermediate images
   * (with {@code all}, every entry), the images only they kept, and RUN's cache mounts; with {@code
   * until}, only what was last used before it; with {@code keepStorage} above 0, the most recently
   * used entries that fit in that many bytes stay. The next build runs what was reclaimed.
   */
  public CachePruned pruneCache(boolean all, long keepStorage, @Nullable Instant until) {
    return cache.prune(all, keepStorage, until);
  }

  /** As {@link #pruneCache(boolean, long, Instant)}, on a data root no engine serves. */
  public static CachePruned pruneCache(
      io.jstack.runtime.DataRoot root,
      ImageStore store,
      boolean all,
      long keepStorage,
      @Nullable Instant until) {
    return new BuildCache(root.path().resolve("build-cache"), store).prune(all, keepStorage, until);
  }

  /** One build: its plan, its stages' states and the tags it made for intermediate images. */
  private final class Run {
    private final BuildRequest request;
    private final Consumer<String> progress;
    private final String id = java.util.UUID.randomUUID().toString().substring(0, 8);

    /** This build's step containers, removed in the background, all gone when it returns. */
    private final StepContainers containers = new StepContainers(engine);

    private final List<ImageReference> temporary =
        java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger tags =
        new java.util.concurrent.atomic.AtomicInteger();

    /** The stages built so far; stages running in parallel read it (COPY --from, stepKey). */
    private final Map<Integer, StageState> finished =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final String[] lines;
    private final String text;
    private final String platform;
    private BuildPlan plan;
    private final DockerIgnore ignore;

    /** The number of each needed stage's FROM step, as a serial build numbers them. */
    private final Map<Integer, Integer> firstStep = new java.util.HashMap<>();

    private int steps;
    private volatile boolean cancelled;
    private final ContentHashes hashes = ContentHashes.load(hashesFile);
    private final @Nullable Instant epoch;
    private final CacheFromSteps cacheFrom;

    /**
     * The bytes of the step whose commit failed for want of space, or -1: what the build can say it
     * needed (what a RUN or COPY would have written is known to nobody).
     */
    private volatile long failedWrite = -1;

    /** Reads and plans the Dockerfile and loads the context's .dockerignore. */
    Run(BuildRequest request, Consumer<String> progress) {
      this.request = request;
      this.progress = progress;
      try {
        Path dockerfile = RootPaths.resolve(request.context(), request.dockerfile());
        if (!Files.isRegularFile(dockerfile)) {
          throw new IllegalArgumentException(
              "Cannot locate specified Dockerfile: " + request.dockerfile());
        }
        platform = BaseImages.requested(request.platform());
        text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        lines = text.split("\n", -1);
        plan = plan();
        ignore = DockerIgnore.load(request.context(), dockerfile);
        epoch = BuildCache.sourceDateEpoch(request.buildArgs());
        // As dockerd: names the store lacks are ignored, never pulled.
        cacheFrom =
            new CacheFromSteps(
                new CacheFromImages(store, request.cacheFrom()), store, this::commit);
      } catch (DockerIgnore.PatternException e) {
        throw DockerfileException.of(e);
      } catch (IOException e) {
        throw new UncheckedIOException("the build failed: " + e.getMessage(), e);
      }
    }

    /** The plan, with base images' environments and ONBUILD triggers as the store has them. */
    private BuildPlan plan() {
      return BuildPlan.of(
          Dockerfile.parse(text),
          new BuildOptions(
                  request.buildArgs(), BaseImages.host(), platform, request.target(), this::env)
              .withImageOnBuild(this::onBuild));
    }

    String build() {
      String built;
      try {
        int target = target();
        TreeSet<Integer> needed = new TreeSet<>();
        need(target, needed);
        for (int i : needed) {
          // Before any pull: an image for another platform is never fetched.
          BaseImages.checkPlatform(plan.stages().get(i));
        }
        if (BaseImages.pull(store, BaseImages.read(plan, needed), request.pull(), progress)) {
          // The pulled images' environments and triggers change what the plan substitutes.
          plan = plan();
          target = target();
          needed.clear();
          need(target, needed);
        }
        for (int i : needed) {
          firstStep.put(i, steps + 1);
          steps += 1 + plan.stages().get(i).steps().size();
        }
        Map<Integer, java.util.Set<Integer>> reads = new java.util.LinkedHashMap<>();
        for (int i : needed) {
          reads.put(i, reads(i));
        }
        new StageScheduler(reads, progress)
            .run(
                (i, out) -> finished.put(i, stage(plan.stages().get(i), out)),
                () -> {
                  cancelled = true;
                  killRunning();
                });
        StageState last = Objects.requireNonNull(finished.get(target), "the target stage is built");
        if (!request.labels().isEmpty()) {
          labels(last);
        }
        built = finish(last);
      } catch (RuntimeException | Error e) {
        try {
          containers.awaitRemovals();
        } catch (RuntimeException also) {
          e.addSuppressed(also);
        }
        throw e;
      } finally {
        synchronized (temporary) {
          store.untag(temporary);
        }
        hashes.save();
      }
      containers.awaitRemovals();
      return built;
    }

    /**
     * The request's labels in the image's config, as BuildKit's frontend sets them ({@code
     * dockerfile2llb.Dockerfile2LLB}: {@code target.image.Config.Labels[k] = v} for each {@code
     * label:} option): no step and no history entry. The config keeps the last step's time, so that
     * the same build gives the same image.
     */
    private void labels(StageState last) {
      List<Instruction.KeyValue> kvs = new ArrayList<>();
      request.labels().forEach((k, v) -> kvs.add(new Instruction.KeyValue(k, v)));
      last.apply(new Instruction.Label(0, kvs));
      Instant created = last.manifest() == null ? null : store.image(last.manifest()).created();
      if (created == null) {
        created = Instant.now();
      }
      ImageReference ref = temporaryRef();
      String m =
          ImageCommit.commit(
              store,
              last.manifest(),
              null,
              last.config(),
              new ImageCommit.History(created, null, null, null, null),
              ref);
      last.reached(m, ref.toString());
    }

    /** The stages stage {@code i} reads: its base, and those COPY --from and RUN --mount name. */
    private java.util.Set<Integer> reads(int i) {
      java.util.Set<Integer> r = new TreeSet<>();
      for (BuildPlan.Read read : plan.reads(i)) {
        if (read.base() instanceof Stage.Base.StageRef ref) {
          r.add(ref.index());
        }
      }
      return r;
    }

    /** Kills the RUN containers of this build still running (a stage failed). */
    private void killRunning() {
      // The containers' image is one of the build's own tags, as written or normalized.
      String tag = "jstack-build-" + id + ":";
      for (io.jstack.runtime.engine.Container c : engine.list()) {
        if (c.record().image().contains(tag) && c.alive()) {
          try {
            engine.kill(c.record().id(), "KILL");
          } catch (RuntimeException e) {
            // It ended meanwhile; its stage removes it.
          }
        }
      }
    }

    private String finish(StageState last) {
      String manifest = last.manifest();
      if (manifest == null) {
        commit(last, null, "", null);
        manifest = Objects.requireNonNull(last.manifest(), "a commit reaches an image");
      }
      String imageId = store.image(manifest).configDigest();
      progress.accept("Successfully built " + imageId.substring(7, 19) + "\n");
      if (request.tags().isEmpty()) {
        store.keep(manifest);
      }
      List<ImageReference> refs = request.tags().stream().map(ImageReference::parse).toList();
      // The build's tags and the end of its temporary ones, in one change of the tag file.
      synchronized (temporary) {
        store.retag(manifest, refs, temporary);
        temporary.clear();
      }
      for (ImageReference ref : refs) {
        progress.accept("Successfully tagged " + ref.familiar() + "\n");
      }
      return imageId;
    }

    private int target() {
      if (request.target().isEmpty()) {
        return plan.stages().size() - 1;
      }
      for (Stage s : plan.stages()) {
        if (s.name().equals(request.target().toLowerCase(java.util.Locale.ROOT))) {
          return s.index();
        }
      }
      throw new IllegalArgumentException(
          "failed to reach build target " + request.target() + " in Dockerfile");
    }

    /** Adds stage {@code i} and the stages it reads ({@link #reads}) to {@code needed}. */
    private void need(int i, TreeSet<Integer> needed) {
      if (!needed.add(i)) {
        return;
      }
      for (int r : reads(i)) {
        need(r, needed);
      }
    }

    private List<String> env(String reference) {
      return store.find(reference).map(m -> store.image(m).defaults().env()).orElse(List.of());
    }

    private List<String> onBuild(String reference) {
      return store.find(reference).map(m -> store.image(m).defaults().onBuild()).orElse(List.of());
    }

    private StageState stage(Stage s, Consumer<String> progress) throws IOException {
      int step = Objects.requireNonNull(firstStep.get(s.index()), "a needed stage is numbered");
      progress.accept("Step " + step + "/" + steps + " : " + source(s.line()) + "\n");
      StageState state;
      if (s.base() instanceof Stage.Base.StageRef ref) {
        StageState parent =
            Objects.requireNonNull(finished.get(ref.index()), "a base stage is built before it");
        state = new StageState(null, null, parent.config());
        String base = parent.manifest();
        if (base != null) {
          state.reachedUnnamed(base, this::temporaryTag);
        }
      } else if (s.base() instanceof Stage.Base.Image img) {
        String m =
            store
                .find(img.reference())
                .orElseThrow(
                    () ->
                        DockerfileException.at(
                            s.line(),
                            "the base image " + img.reference() + " is not in the store",
                            "pull it first (docker pull " + img.reference() + ")"));
        // The triggers run as the steps after FROM; the image's own OnBuild is not inherited.
        state = new StageState(null, null, store.image(m).defaults());
        state.reachedUnnamed(m, this::temporaryTag);
      } else {
        state = new StageState(null, null, StageState.scratchDefaults());
      }
      shortId(state, progress);
      List<Step> all = s.steps();
      for (int k = 0; k < all.size(); k++) {
        Step st = all.get(k);
        int at = k;
        if (cancelled) {
          throw new java.util.concurrent.CancellationException("another stage failed");
        }
        step++;
        String shown =
            st.trigger().isEmpty()
                ? source(st.instruction().line())
                : "# Executing ONBUILD trigger: " + st.trigger().strip().split("\n", 2)[0];
        progress.accept("Step " + step + "/" + steps + " : " + shown + "\n");
        try {
          step(
              s,
              st,
              state,
              progress,
              () -> {
                // A step that runs makes a new image: the steps after it run too. A RUN among them
                // (or this one) on the default network finds the engine's spare namespace made.
                for (int later = at; later < all.size(); later++) {
                  if (onDefaultNetwork(all.get(later))) {
                    containers.prepareNetwork();
                    break;
                  }
                }
              });
        } catch (DockerfileException e) {
          if (st.trigger().isEmpty()) {
            throw e;
          }
          throw io.jstack.runtime.build.internal.OnBuildTriggers.failed(
              e, st.trigger(), s.line(), fromImage(s));
        }
        shortId(state, progress);
      }
      return state;
    }

    /** The base as its FROM names it: an image, or an earlier stage by its name. */
    private String fromImage(Stage s) {
      if (s.base() instanceof Stage.Base.StageRef ref) {
        return plan.stages().get(ref.index()).name();
      }
      return s.base() instanceof Stage.Base.Image img ? img.reference() : "scratch";
    }

    /** Whether step {@code st} is a RUN in a container on the default (bridge) network. */
    private boolean onDefaultNetwork(Step st) {
      try {
        return st.instruction() instanceof Instruction.Run r
            && RunStep.network(r, request.networkMode()).equals("default");
      } catch (DockerfileException e) {
        return false; // The step fails when it runs.
      }
    }

    /** Takes step {@code st} from the cache, or else calls {@code missed} and runs it. */
    private void step(
        Stage s, Step st, StageState state, Consumer<String> progress, Runnable missed)
        throws IOException {
      String key = request.noCache() ? null : stepKey(s.index(), st, state);
      java.util.Optional<String> hit = key == null ? java.util.Optional.empty() : cache.lookup(key);
      if (hit.isPresent()) {
        // The step's effect on the defaults, which the cached image has too.
        if (st.instruction() instanceof Instruction.Workdir w) {
          state.workdir(w.path());
        } else {
          state.apply(st.instruction());
        }
        state.reachedUnnamed(hit.get(), this::temporaryTag);
        progress.accept(" ---> Using cache\n");
      } else {
        missed.run();
        if (key == null
            || !cacheFrom.take(
                st,
                state,
                progress,
                () -> execute(s.index(), st, state, progress),
                this::temporaryRef)) {
          execute(s.index(), st, state, progress);
        }
        if (key != null) {
          cache.put(key, Objects.requireNonNull(state.manifest(), "a step reaches an image"));
        }
      }
    }

    private void execute(int stage, Step st, StageState state, Consumer<String> progress)
        throws IOException {
      new StepExecution(this::commit, containers, store, request, plan, ignore, finished)
          .execute(stage, st, state, progress);
    }

    /**
     * The cache key of {@code st} over {@code state}: the parent image (its config included), the
     * instruction as planned (not its line), the build arguments it uses, and what it reads besides
     * the parent: RUN its network, COPY and ADD the context or the stage or image they copy from.
     */
    private String stepKey(int stage, Step st, StageState state) {
      Instruction in = st.instruction();
      List<String> parts = new ArrayList<>();
      parts.add(state.manifest() == null ? "scratch" : state.manifest());
      if (in instanceof Instruction.Arg a) {
        // As BuildKit: declaring an ARG is no step whose cache its value decides; the value keys
        // the steps that read it (RUN reads every ARG in scope, as its environment). Its history
        // entry (the defaults as written) does key it: a hit must carry the same entry.
        parts.add(
            "ARG "
                + a.args().stream()
                    .map(d -> d.name() + (d.written() == null ? "" : "=" + d.written()))
                    .toList());
      } else {
        parts.add(in.toString().replaceFirst("^(\\w+)\\[line=\\d+, ", "$1["));
        parts.add(st.buildArgs().toString());
      }
      // The epoch changes what a step writes (its times), whether or not the step reads the arg.
      parts.add(epoch == null ? "" : "SOURCE_DATE_EPOCH=" + epoch.getEpochSecond());
      if (in instanceof Instruction.Run) {
        parts.add(request.networkMode());
        parts.add(st.mounts().toString());
        for (Mount m : st.mounts()) {
          // What a bind mount shows the command keys it as a COPY's sources do (not secrets'
          // content, nor a cache mount's: BuildKit keys neither).
          if (m.type().equals("bind") && m.from().isEmpty()) {
            parts.add(
                SourceDigest.of(
                    new FileCopies.Source(request.context(), ignore, false),
                    List.of(m.source()),
                    List.of(),
                    false,
                    hashes));
          } else if (!m.from().isEmpty() && !m.type().equals("secret")) {
            parts.add(from(m.from(), stage));
          }
        }
      } else if (in instanceof Instruction.Copy c && !c.from().isEmpty()) {
        parts.add(from(c.from(), stage));
      } else if (in instanceof Instruction.Copy || in instanceof Instruction.Add) {
        // Only what this instruction reads, matched as the copy will match it.
        FileCopies.Source context = new FileCopies.Source(request.context(), ignore, false);
        parts.add(
            in instanceof Instruction.Copy c
                ? SourceDigest.of(context, c.sources(), c.excludes(), c.parents(), hashes)
                : SourceDigest.of(
                    context,
                    ((Instruction.Add) in).sources(),
                    ((Instruction.Add) in).excludes(),
                    false,
                    hashes));
      }
      return BuildCache.key(parts);
    }

    /** The image a {@code --from} of stage {@code stage} reads: a stage's or an image's. */
    private String from(String from, int stage) {
      Stage.Base b = plan.source(from, stage);
      if (b instanceof Stage.Base.StageRef r) {
        StageState built = finished.get(r.index());
        // Not built (yet): the step will fail or wait for it; never a hit meanwhile.
        return built == null
            ? "unbuilt stage " + UUID.randomUUID()
            : String.valueOf(built.manifest());
      }
      return b instanceof Stage.Base.Image img
          ? store.find(img.reference()).orElse("absent")
          : "scratch";
    }

    private void shortId(StageState state, Consumer<String> progress) {
      if (state.manifest() != null) {
        progress.accept(
            " ---> " + store.image(state.manifest()).configDigest().substring(7, 19) + "\n");
      }
    }

    private String source(int line) {
      return line > 0 && line <= lines.length ? lines[line - 1].strip() : "";
    }

    /** Makes the stage's next image: {@code changes} as its layer (null for none). */
    private void commit(
        StageState s, @Nullable Path changes, @Nullable String createdBy, @Nullable String author) {
      ImageReference ref = temporaryRef();
      String m;
      try {
        m =
            ImageCommit.commit(
                store,
                s.manifest(),
                changes,
                true, // a step's changes are its own: its container's or a temporary directory
                s.config(),
                new ImageCommit.History(
                    epoch == null ? Instant.now() : epoch, createdBy, null, author, epoch),
                ref);
      } catch (RuntimeException e) {
        if (changes != null && DiskFull.caused(e)) {
          try {
            // The changes, and the layer's tar written from them (the changes then become the
            // unpacked layer): when the build has failed, its step containers are gone.
            failedWrite = 2 * ImageStore.diskUsage(changes);
          } catch (IOException gone) {
            e.addSuppressed(gone);
          }
        }
        throw e;
      }
      s.reached(m, ref.toString());
    }

    private String temporaryTag(String manifest) {
      ImageReference ref = temporaryRef();
      store.tag(ref, manifest);
      return ref.toString();
    }

    private ImageReference temporaryRef() {
      ImageReference ref =
          ImageReference.parse("jstack-build-" + id + ":" + tags.getAndIncrement());
      temporary.add(ref);
      return ref;
    }
  }
}
