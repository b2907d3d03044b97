package io.jstack.runtime.build;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.build.internal.CacheFromImages;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.image.ImageCommit;
import io.jstack.runtime.image.ImageStore;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A build's steps taken from its {@code --cache-from} images ({@link CacheFromImages}), as
 * dockerd's classic builder takes them: the step's image is the parent's layers and the one the
 * cached image's next history entry made, the step's own config, and that entry (its time too). RUN
 * and WORKDIR are not run; COPY and ADD are done and their layer is taken only when it holds the
 * same files as the cached one (BuildKit's history text, which this engine writes, names no
 * content).
 */
final class CacheFromSteps {
  /** Runs the step as it would run without a cached image. */
  interface Execution {
    void execute() throws IOException;
  }

  private final CacheFromImages images;
  private final ImageStore store;
  private final StepExecution.Committer commit;

  CacheFromSteps(CacheFromImages images, ImageStore store, StepExecution.Committer commit) {
    this.images = images;
    this.store = store;
    this.commit = commit;
  }

  /**
   * Takes step {@code st} over {@code state} from a cached image when one has it, printing {@code
   * Using cache}; a metadata instruction is applied and committed here either way, a COPY or ADD
   * done with {@code execution}. Returns whether the step is done (false: run it).
   */
  boolean take(
      Step st,
      StageState state,
      Consumer<String> progress,
      Execution execution,
      Supplier<ImageReference> temporaryRef)
      throws IOException {
    if (images.isEmpty()) {
      return false;
    }
    Instruction in = st.instruction();
    String parent = state.manifest();
    boolean files =
        in instanceof Instruction.Run
            || in instanceof Instruction.Copy
            || in instanceof Instruction.Add
            || in instanceof Instruction.Workdir;
    String createdBy = files ? StepExecution.createdBy(st, state) : state.apply(in);
    Optional<CacheFromImages.Next> next =
        createdBy == null ? Optional.empty() : images.next(parent, createdBy, !files);
    if (next.isEmpty()) {
      if (!files) {
        commit.commit(state, null, createdBy, StageState.author(in));
      }
      return !files;
    }
    if (in instanceof Instruction.Copy || in instanceof Instruction.Add) {
      execution.execute();
      if (!images.sameLayer(parent, Objects.requireNonNull(state.manifest()), next.get())) {
        return true;
      }
    } else if (in instanceof Instruction.Workdir w) {
      state.workdir(w.path());
    }
    ImageReference ref = temporaryRef.get();
    String m =
        ImageCommit.reuse(
            store,
            parent,
            next.get().layer(),
            next.get().diffId(),
            state.config(),
            next.get().entry(),
            ref);
    state.reached(m, ref.toString());
    progress.accept(" ---> Using cache\n");
    return true;
  }
}
