package io.jstack.runtime.build;

import io.jstack.engine.docker.DockerIgnore;
import io.jstack.runtime.build.internal.Downloads;
import io.jstack.runtime.build.internal.FileCopies;
import io.jstack.runtime.build.internal.HistoryText;
import io.jstack.runtime.build.internal.Modes;
import io.jstack.runtime.build.internal.Owners;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.build.internal.StepContainers;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One step of a stage: RUN in a started container ({@link RunStep}), COPY, ADD and WORKDIR in the
 * mounted root of a container that never starts (or a plain directory while the stage is an empty
 * scratch), metadata instructions on the stage's defaults alone; then the stage's next image.
 */
final class StepExecution {
  /** Makes a stage's next image; {@code changes} is its layer, or null for none. */
  interface Committer {
    void commit(
        StageState s, @Nullable Path changes, @Nullable String createdBy, @Nullable String author);
  }

  /** Writes a step's files below a root. */
  private interface RootWriter {
    void write(Path root) throws IOException;
  }

  final Committer commit;
  final StepContainers containers;
  final ImageStore store;
  final BuildRequest request;
  final BuildPlan plan;
  final DockerIgnore ignore;
  final Map<Integer, StageState> finished;

  StepExecution(
      Committer commit,
      StepContainers containers,
      ImageStore store,
      BuildRequest request,
      BuildPlan plan,
      DockerIgnore ignore,
      Map<Integer, StageState> finished) {
    this.commit = commit;
    this.containers = containers;
    this.store = store;
    this.request = request;
    this.plan = plan;
    this.ignore = ignore;
    this.finished = finished;
  }

  /** Runs {@code step} of stage {@code stage} over {@code s}, telling {@code progress}. */
  void execute(int stage, Step step, StageState s, Consumer<String> progress) throws IOException {
    Instruction in = step.instruction();
    if (in instanceof Instruction.Run r) {
      new RunStep(this).run(stage, step, r, s, progress);
    } else if (in instanceof Instruction.Copy c) {
      copy(
          stage,
          in,
          s,
          new Copying(
              c.sources(),
              c.inline(),
              c.destination(),
              c.from(),
              c.chown(),
              c.chmod(),
              c.link(),
              c.excludes(),
              c.parents(),
              Boolean.FALSE,
              ""));
    } else if (in instanceof Instruction.Add a) {
      copy(
          stage,
          in,
          s,
          new Copying(
              a.sources(),
              a.inline(),
              a.destination(),
              "",
              a.chown(),
              a.chmod(),
              a.link(),
              a.excludes(),
              false,
              a.unpack(),
              a.checksum()));
    } else if (in instanceof Instruction.Workdir w) {
      String dir = s.workdir(w.path());
      inRoot(
          s,
          "WORKDIR " + dir,
          root -> FileCopies.mkdirs(root, RootPaths.resolve(root, dir), owner(s.user(), root)));
    } else {
      commit.commit(s, null, s.apply(in), StageState.author(in));
    }
  }

  /**
   * What the history entry of {@code step} over {@code s} will say, found without running it: for
   * RUN, COPY, ADD and WORKDIR (null for other instructions, and for a RUN that will fail).
   */
  static @Nullable String createdBy(Step step, StageState s) {
    Instruction in = step.instruction();
    if (in instanceof Instruction.Run r) {
      return r.command().execForm() && !r.heredocs().isEmpty()
          ? null
          : HistoryText.run(step.buildArgs(), s.argv(RunStep.command(r)));
    } else if (in instanceof Instruction.Copy c) {
      return copyText(in, c.sources(), c.inline(), c.destination());
    } else if (in instanceof Instruction.Add a) {
      return copyText(in, a.sources(), a.inline(), a.destination());
    } else if (in instanceof Instruction.Workdir w) {
      return "WORKDIR " + s.workdirOf(w.path());
    }
    return null;
  }

  /** BuildKit's history text of a COPY or ADD. */
  private static String copyText(
      Instruction in, List<String> sources, List<Heredoc> inline, String destination) {
    StringBuilder createdBy = new StringBuilder(in.keyword());
    for (String src : sources) {
      createdBy.append(' ').append(src);
    }
    for (Heredoc d : inline) {
      createdBy.append(" <<").append(d.name());
    }
    return createdBy.append(' ').append(destination).append(" # buildkit").toString();
  }

  /** What one COPY or ADD asks, after substitution. */
  private record Copying(
      List<String> sources,
      List<Heredoc> inline,
      String destination,
      String from,
      String chown,
      String chmod,
      boolean link,
      List<String> excludes,
      boolean parents,
      @Nullable Boolean unpack,
      String checksum) {}

  private void copy(int stage, Instruction in, StageState s, Copying c) throws IOException {
    List<String> local = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (String src : c.sources()) {
      if (in instanceof Instruction.Add && Downloads.isGit(src)) {
        throw unsupported(in, "ADD from a git repository");
      }
      (in instanceof Instruction.Add && Downloads.isUrl(src) ? urls : local).add(src);
    }
    try {
      Modes.check(c.chmod());
      if (!c.checksum().isEmpty()) {
        if (c.sources().size() != 1) {
          throw new IllegalArgumentException("checksum can't be specified for multiple sources");
        }
        if (urls.isEmpty()) {
          throw new IllegalArgumentException("checksum requires HTTP(S) or Git sources");
        }
        Downloads.checkChecksum(c.checksum());
      }
    } catch (IllegalArgumentException e) {
      throw DockerfileException.at(
          in.line(),
          in.keyword() + ": " + e.getMessage(),
          "fix the flag; see https://docs.docker.com/reference/dockerfile/#add");
    }
    List<FileCopies.Inline> docs = new ArrayList<>();
    for (Heredoc d : c.inline()) {
      docs.add(new FileCopies.Inline(d.name(), d.text()));
    }
    String createdBy = copyText(in, c.sources(), c.inline(), c.destination());
    List<Path> temporary = new ArrayList<>();
    List<String> mounts = new ArrayList<>();
    try {
      Path sourceRoot = request.context();
      DockerIgnore sourceIgnore = ignore;
      if (!c.from().isEmpty()) {
        sourceIgnore = DockerIgnore.none();
        sourceRoot = stageRoot(stage, in, c.from(), temporary, mounts);
      }
      FileCopies.Source source =
          new FileCopies.Source(sourceRoot, sourceIgnore, !c.from().isEmpty());
      Path downloads = null;
      if (!urls.isEmpty()) {
        downloads = Files.createTempDirectory("jstack-build-");
        temporary.add(downloads);
        for (String url : urls) {
          try {
            Downloads.fetch(url, c.checksum(), downloads);
          } catch (IOException | IllegalArgumentException e) {
            throw DockerfileException.at(
                in.line(),
                "ADD " + url + " failed: " + e.getMessage(),
                "check the URL and --checksum");
          }
        }
      }
      Path fetched = downloads;
      RootWriter writer =
          root -> {
            Path names =
                c.link() && c.chown().matches(".*[^0-9:].*")
                    ? ownersRoot(s, mounts, temporary)
                    : root;
            write(in, c, source, root, names, s.workingDir(), local, urls, fetched, docs);
          };
      // As BuildKit, --link writes into an empty directory that becomes the layer on its own,
      // unless --chmod is given (BuildKit then copies onto the stage as without --link).
      if (c.link() && c.chmod().isEmpty()) {
        Path layer = Files.createTempDirectory("jstack-build-");
        temporary.add(layer);
        writer.write(layer);
        commit.commit(s, layer, createdBy, null);
      } else {
        inRoot(s, createdBy, writer);
      }
    } finally {
      for (String m : mounts) {
        containers.remove(m);
      }
      for (Path t : temporary) {
        LayerUnpacker.removeTree(t);
      }
    }
  }

  /**
   * Writes one COPY or ADD below {@code root}; names in {@code --chown} read below {@code names}.
   */
  private static void write(
      Instruction in,
      Copying c,
      FileCopies.Source source,
      Path root,
      Path names,
      String workdir,
      List<String> local,
      List<String> urls,
      @Nullable Path downloads,
      List<FileCopies.Inline> docs)
      throws IOException {
    try {
      Owners.Owner owner = c.chown().isEmpty() ? null : Owners.parse(c.chown(), names);
      FileCopies.copy(
          source,
          root,
          workdir,
          new FileCopies.Request(
              local,
              c.destination(),
              owner,
              c.chmod(),
              // ADD unpacks local archives unless --unpack=false; URLs only with --unpack=true.
              c.unpack() == null || c.unpack(),
              c.excludes(),
              c.parents(),
              docs));
      if (downloads != null) {
        List<String> files = new ArrayList<>();
        for (String url : urls) {
          files.add(Downloads.fileName(url));
        }
        FileCopies.copy(
            new FileCopies.Source(downloads, DockerIgnore.none(), false),
            root,
            workdir,
            new FileCopies.Request(
                files,
                c.destination(),
                owner,
                c.chmod(),
                Boolean.TRUE.equals(c.unpack()),
                List.of(),
                false,
                List.of()));
      }
    } catch (IllegalArgumentException e) {
      throw DockerfileException.at(
          in.line(),
          in.keyword() + " failed: " + e.getMessage(),
          "check the source path against the context and .dockerignore");
    } catch (IOException e) {
      // The engine's own directories are no business of the client's.
      String why =
          String.valueOf(e.getMessage())
              .replace(root.toString(), "")
              .replace(source.root().toString(), "");
      throw DockerfileException.at(
          in.line(),
          in.keyword() + " failed: " + e.getClass().getSimpleName() + " " + why,
          "check the sources and the destination");
    }
  }

  /** The root of what {@code COPY --from} names: a stage, a stage's index, or an image. */
  private Path stageRoot(
      int stage, Instruction in, String from, List<Path> temporary, List<String> mounts)
      throws IOException {
    Stage.Base base = plan.source(from, stage);
    String ref = null;
    if (base instanceof Stage.Base.StageRef r) {
      StageState other =
          Objects.requireNonNull(
              finished.get(r.index()), "a stage COPY --from reads is built before it");
      ref = empty(other) ? null : other.reference();
    } else if (base instanceof Stage.Base.Image img) {
      if (store.find(img.reference()).isEmpty()) {
        throw DockerfileException.at(
            in.line(),
            "COPY --from=" + from + ": the image is not in the store",
            "pull it first, or name an earlier stage");
      }
      ref = img.reference();
    }
    if (ref == null) {
      Path empty = Files.createTempDirectory("jstack-build-");
      temporary.add(empty);
      return empty;
    }
    String mounted = containers.mounted(ref);
    mounts.add(mounted);
    return containers.rootfs(mounted);
  }

  /** The stage's files, for the owner names of {@code COPY --link --chown=name}. */
  private Path ownersRoot(StageState s, List<String> mounts, List<Path> temporary)
      throws IOException {
    if (empty(s)) {
      Path none = Files.createTempDirectory("jstack-build-");
      temporary.add(none);
      return none;
    }
    String id = containers.mounted(reference(s));
    mounts.add(id);
    return containers.rootfs(id);
  }

  /** The owner WORKDIR gives a directory it makes: the stage's USER, as BuildKit. */
  private static Owners.Owner owner(@Nullable String user, Path root) throws IOException {
    if (user == null) {
      return Owners.Owner.ROOT;
    }
    try {
      return Owners.parse(user, root);
    } catch (IllegalArgumentException e) {
      return Owners.Owner.ROOT;
    }
  }

  private void inRoot(StageState s, String createdBy, RootWriter writer) throws IOException {
    if (empty(s)) {
      Path dir = Files.createTempDirectory("jstack-build-");
      try {
        writer.write(dir);
        commit.commit(s, dir, createdBy, null);
      } finally {
        LayerUnpacker.removeTree(dir);
      }
      return;
    }
    String id = containers.mounted(reference(s));
    try {
      writer.write(containers.rootfs(id));
      commit.commit(s, containers.upperDir(id), createdBy, null);
    } finally {
      containers.remove(id);
    }
  }

  /** Whether the stage has no files yet: a scratch with no layer. */
  private boolean empty(StageState s) {
    return empty(store, s);
  }

  /** Whether stage state {@code s} has no files yet: a scratch with no layer. */
  static boolean empty(ImageStore store, StageState s) {
    return s.manifest() == null || store.image(s.manifest()).layers().isEmpty();
  }

  /** The name of the image a stage with files has reached. */
  static String reference(StageState s) {
    return Objects.requireNonNull(s.reference(), "a stage with files has reached a named image");
  }

  private static DockerfileException unsupported(Instruction in, String what) {
    return DockerfileException.at(
        in.line(),
        what + " is not supported by the jstack engine's builder yet",
        "build this Dockerfile with --engine docker");
  }
}
