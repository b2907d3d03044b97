package io.jstack.runtime.build;

import io.jstack.runtime.build.internal.FileCopies;
import io.jstack.runtime.build.internal.HistoryText;
import io.jstack.runtime.build.internal.Owners;
import io.jstack.runtime.build.internal.RunHeredocs;
import io.jstack.runtime.build.internal.RunMounts;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.build.internal.StepContainers;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One step of a stage: RUN in a started container, COPY, ADD and WORKDIR in the mounted root of a
 * container that never starts (or a plain directory while the stage is an empty scratch), metadata
 * instructions on the stage's defaults alone; then the stage's next image.
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

  private final Committer commit;
  private final StepContainers containers;
  private final ImageStore store;
  private final BuildRequest request;
  private final BuildPlan plan;
  private final DockerIgnore ignore;
  private final Map<Integer, StageState> finished;

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
      run(stage, step, r, s, progress);
    } else if (in instanceof Instruction.Copy c) {
      if (!c.inline().isEmpty()) {
        throw unsupported(in, "COPY of here-documents");
      }
      copy(stage, in, s, c.sources(), c.destination(), c.from(), c.chown(), c.chmod(), false);
    } else if (in instanceof Instruction.Add a) {
      for (String src : a.sources()) {
        if (src.contains("://") || src.startsWith("git@")) {
          throw unsupported(in, "ADD from a URL or git repository");
        }
      }
      if (!a.inline().isEmpty()) {
        throw unsupported(in, "ADD of here-documents");
      }
      boolean unpack = a.unpack() == null || a.unpack();
      copy(stage, in, s, a.sources(), a.destination(), "", a.chown(), a.chmod(), unpack);
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

  private void run(int stage, Step step, Instruction.Run r, StageState s, Consumer<String> progress)
      throws IOException {
    String network = network(r);
    if (empty(s)) {
      throw DockerfileException.at(
          r.line(),
          "RUN needs a shell, and the stage has no files yet (FROM scratch)",
          "build FROM an image with a shell, or COPY one in first");
    }
    Map<String, String> vars = new LinkedHashMap<>(plan.proxyEnv());
    vars.putAll(step.buildArgs());
    for (String e : s.env()) {
      String[] kv = e.split("=", 2);
      vars.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    List<String> env = new ArrayList<>();
    vars.forEach((k, v) -> env.add(k + "=" + v));
    RunHeredocs.Script script = null;
    if (!r.heredocs().isEmpty()) {
      if (r.command().execForm()) {
        throw DockerfileException.at(
            r.line(),
            "RUN in exec form cannot take here-documents",
            "write the RUN in shell form: RUN <<EOF");
      }
      script = RunHeredocs.of(r.command().args().get(0), r.heredocs());
    }
    List<String> argv = s.argv(script == null ? r.command() : Command.shell(script.script()));
    RunMounts.Inputs inputs =
        new RunMounts.Inputs(
            r.line(),
            s.workingDir(),
            request.context(),
            ignore,
            request.secrets(),
            containers.cacheMounts(),
            from -> mountSource(r, from, stage),
            containers);
    StringBuilder output = new StringBuilder();
    try (RunMounts mounts = RunMounts.prepare(step.mounts(), inputs)) {
      if (script != null && script.file() != null) {
        mounts.pipe(script.file().name(), script.file().content());
      }
      List<String> withSecrets = new ArrayList<>(env);
      withSecrets.addAll(mounts.env());
      RunMounts.MountStubsHandle[] stubs = new RunMounts.MountStubsHandle[1];
      StepContainers.Ran ran =
          containers.run(
              reference(s),
              argv,
              withSecrets,
              s.workingDir(),
              s.user(),
              network,
              mounts.mounts(),
              rootfs -> stubs[0] = mounts.stubs(rootfs),
              output::append);
      try {
        progress.accept(" ---> Running in " + ran.id().substring(0, 12) + "\n");
        if (output.length() > 0) {
          progress.accept(output.toString());
        }
        String shown = r.command().execForm() ? String.valueOf(argv) : r.command().args().get(0);
        if (ran.exitCode() != 0) {
          throw DockerfileException.at(
              r.line(),
              "RUN " + shown + " exited " + ran.exitCode(),
              "fix the command; its output is above");
        }
        Path upper = containers.upperDir(ran.id());
        Objects.requireNonNull(stubs[0], "the stubs are noted before the RUN starts").clean(upper);
        commit.commit(s, upper, HistoryText.run(step.buildArgs(), argv), null);
      } finally {
        containers.remove(ran.id());
      }
    }
  }

  /**
   * The network RUN's container is on: its {@code --network}, else the request's ({@code docker
   * build --network}); {@code host} only when the request allows it, as BuildKit's {@code
   * network.host} entitlement (which {@code networkmode=host} grants on dockerd).
   */
  private String network(Instruction.Run r) {
    if (r.security().equals("insecure")) {
      throw DockerfileException.at(
          r.line(),
          "RUN --security=insecure needs BuildKit's security.insecure entitlement, which the jstack"
              + " engine's builder never grants",
          "remove --security=insecure, or build this Dockerfile with --engine docker");
    }
    String asked = request.networkMode();
    String byRequest = asked.equals("none") || asked.equals("host") ? asked : "default";
    String network =
        r.network().isEmpty() || r.network().equals("default") ? byRequest : r.network();
    if (network.equals("host") && !asked.equals("host")) {
      throw DockerfileException.at(
          r.line(),
          "RUN --network=host is not allowed by this build (BuildKit's network.host entitlement)",
          "allow it with docker build --network host (networkmode=host on POST /build), or use"
              + " --network=default or none");
    }
    return network;
  }

  /** The files {@code RUN --mount=from=} names: a stage built before, or an image in the store. */
  private RunMounts.Source mountSource(Instruction.Run r, String from, int stage) {
    Stage.Base base = plan.source(from, stage);
    if (base instanceof Stage.Base.StageRef ref) {
      StageState other = finished.get(ref.index());
      if (other == null) {
        throw DockerfileException.at(
            r.line(),
            "cannot mount from stage " + from + ", which is not built before this RUN",
            "define the stage before the one that mounts it");
      }
      return empty(other)
          ? new RunMounts.Source(null, "scratch")
          : new RunMounts.Source(
              other.reference(), Objects.requireNonNull(other.manifest(), "a stage with files"));
    }
    if (base instanceof Stage.Base.Image img) {
      String manifest =
          store
              .find(img.reference())
              .orElseThrow(
                  () ->
                      DockerfileException.at(
                          r.line(),
                          "RUN --mount from=" + from + ": the image is not in the store",
                          "pull it first, or name an earlier stage"));
      return new RunMounts.Source(img.reference(), manifest);
    }
    return new RunMounts.Source(null, "scratch");
  }

  private void copy(
      int stage,
      Instruction in,
      StageState s,
      List<String> sources,
      String destination,
      String from,
      String chown,
      String chmod,
      boolean unpack)
      throws IOException {
    int mode;
    try {
      mode = chmod.isEmpty() ? -1 : Integer.parseInt(chmod, 8);
    } catch (NumberFormatException e) {
      throw DockerfileException.at(
          in.line(), "invalid --chmod=" + chmod, "give the mode in octal, e.g. --chmod=0755");
    }
    String createdBy =
        in.keyword() + " " + String.join(" ", sources) + " " + destination + " # buildkit";
    String mounted = null;
    Path empty = null;
    try {
      Path sourceRoot = request.context();
      DockerIgnore sourceIgnore = ignore;
      if (!from.isEmpty()) {
        sourceIgnore = DockerIgnore.none();
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
          empty = Files.createTempDirectory("jstack-build-");
          sourceRoot = empty;
        } else {
          mounted = containers.mounted(ref);
          sourceRoot = containers.rootfs(mounted);
        }
      }
      FileCopies.Source source = new FileCopies.Source(sourceRoot, sourceIgnore, !from.isEmpty());
      inRoot(
          s,
          createdBy,
          root -> {
            try {
              Owners.Owner owner = chown.isEmpty() ? null : Owners.parse(chown, root);
              FileCopies.copy(
                  source,
                  root,
                  s.workingDir(),
                  new FileCopies.Request(sources, destination, owner, mode, unpack));
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
          });
    } finally {
      if (mounted != null) {
        containers.remove(mounted);
      }
      if (empty != null) {
        LayerUnpacker.removeTree(empty);
      }
    }
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
    return s.manifest() == null || store.image(s.manifest()).layers().isEmpty();
  }

  /** The name of the image a stage with files has reached. */
  private static String reference(StageState s) {
    return Objects.requireNonNull(s.reference(), "a stage with files has reached a named image");
  }

  private static DockerfileException unsupported(Instruction in, String what) {
    return DockerfileException.at(
        in.line(),
        what + " is not supported by the jstack engine's builder yet",
        "build this Dockerfile with --engine docker");
  }
}
