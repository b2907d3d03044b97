package io.jstack.runtime.build;

import io.jstack.runtime.build.internal.HistoryText;
import io.jstack.runtime.build.internal.RunHeredocs;
import io.jstack.runtime.build.internal.RunMounts;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.build.internal.StepContainers;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A RUN step: its command (here-documents as BuildKit runs them) in a started container of the
 * engine's own runtime, with the stage's environment, user and working directory, its {@code
 * --mount}s ({@link RunMounts}: cache, bind, tmpfs, secret, none of which reaches the layer) and
 * its network; the container's upper directory becomes the step's layer.
 */
final class RunStep {
  /** What every step has: the build's request, plan, stages, store and containers. */
  private final StepExecution x;

  RunStep(StepExecution x) {
    this.x = x;
  }

  /**
   * The command RUN {@code r} runs: its own, or with here-documents the shell form of their script
   * (a shell-form RUN's; see {@link #run} for the exec form's refusal).
   */
  static Command command(Instruction.Run r) {
    return r.heredocs().isEmpty() || r.command().execForm()
        ? r.command()
        : Command.shell(RunHeredocs.of(r.command().args().get(0), r.heredocs()).script());
  }

  /** Runs RUN {@code r}, step {@code step} of stage {@code stage}, over {@code s}. */
  void run(int stage, Step step, Instruction.Run r, StageState s, Consumer<String> progress)
      throws IOException {
    String network = network(r);
    if (StepExecution.empty(x.store, s)) {
      throw DockerfileException.at(
          r.line(),
          "RUN needs a shell, and the stage has no files yet (FROM scratch)",
          "build FROM an image with a shell, or COPY one in first");
    }
    Map<String, String> vars = new LinkedHashMap<>(x.plan.proxyEnv());
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
    List<String> argv = s.argv(command(r));
    RunMounts.Inputs inputs =
        new RunMounts.Inputs(
            r.line(),
            s.workingDir(),
            x.request.context(),
            x.ignore,
            x.request.secrets(),
            x.containers.cacheMounts(),
            from -> mountSource(r, from, stage),
            x.containers);
    StringBuilder output = new StringBuilder();
    try (RunMounts mounts = RunMounts.prepare(step.mounts(), inputs)) {
      if (script != null && script.file() != null) {
        mounts.pipe(script.file().name(), script.file().content());
      }
      List<String> withSecrets = new ArrayList<>(env);
      withSecrets.addAll(mounts.env());
      RunMounts.MountStubsHandle[] stubs = new RunMounts.MountStubsHandle[1];
      StepContainers.Ran ran =
          x.containers.run(
              StepExecution.reference(s),
              argv,
              withSecrets,
              s.workingDir(),
              s.user(),
              network,
              mounts.mounts(),
              rootfs -> stubs[0] = mounts.stubs(rootfs),
              output::append);
      boolean removed = false;
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
        Path upper = x.containers.upperDir(ran.id());
        Objects.requireNonNull(stubs[0], "the stubs are noted before the RUN starts").clean(upper);
        // The container is removed (the runtime's state, the network namespace) while its changes
        // are committed, once they are out of it.
        Path moved = x.containers.moveUpperDir(ran.id());
        if (moved != null) {
          removed = true;
          x.containers.remove(ran.id());
        }
        try {
          x.commit.commit(
              s, moved != null ? moved : upper, HistoryText.run(step.buildArgs(), argv), null);
        } finally {
          if (moved != null) {
            // What the store did not take (a layer with no entries).
            LayerUnpacker.removeTree(moved);
          }
        }
      } finally {
        if (!removed) {
          x.containers.remove(ran.id());
        }
      }
    }
  }

  /**
   * The network RUN's container is on: its {@code --network}, else the request's ({@code docker
   * build --network}); {@code host} only when the request allows it, as BuildKit's {@code
   * network.host} entitlement (which {@code networkmode=host} grants on dockerd).
   */
  private String network(Instruction.Run r) {
    return network(r, x.request.networkMode());
  }

  /**
   * The network RUN {@code r} is on in a build whose request asks {@code asked} ({@code docker
   * build --network}): {@code default}, {@code none}, {@code host} or what its {@code --network}
   * names.
   *
   * @throws DockerfileException when the build does not allow what it asks
   */
  static String network(Instruction.Run r, String asked) {
    if (r.security().equals("insecure")) {
      throw DockerfileException.at(
          r.line(),
          "RUN --security=insecure needs BuildKit's security.insecure entitlement, which the jstack"
              + " engine's builder never grants",
          "remove --security=insecure, or build this Dockerfile with --engine docker");
    }
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
    Stage.Base base = x.plan.source(from, stage);
    if (base instanceof Stage.Base.StageRef ref) {
      StageState other = x.finished.get(ref.index());
      if (other == null) {
        throw DockerfileException.at(
            r.line(),
            "cannot mount from stage " + from + ", which is not built before this RUN",
            "define the stage before the one that mounts it");
      }
      return StepExecution.empty(x.store, other)
          ? new RunMounts.Source(null, "scratch")
          : new RunMounts.Source(
              other.reference(), Objects.requireNonNull(other.manifest(), "a stage with files"));
    }
    if (base instanceof Stage.Base.Image img) {
      String manifest =
          x.store
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
}
