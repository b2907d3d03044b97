package io.jstack.cli;

import io.jstack.cli.internal.ProgressView;
import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.Executor;
import io.jstack.planner.Plan;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.Planner;
import io.jstack.runtime.ProjectLock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every verb that works on a project needs: the loaded project, an engine, the output. */
@Command
abstract class ProjectCommand {
  @Spec CommandSpec spec;
  @ParentCommand Jstack root;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * jstack's own standard streams for a process to attach to, with {@code tty} (may be null) as its
   * terminal; what the command printed so far is flushed first.
   */
  io.jstack.engine.Stdio stdio(io.jstack.cli.internal.@Nullable Tty tty) {
    out().flush();
    err().flush();
    io.jstack.engine.Stdio own = root.stdio();
    return new io.jstack.engine.Stdio(own.in(), own.out(), own.err(), tty);
  }

  /** Loads the project the global flags select; its warnings go to stderr. */
  LoadedProject load() {
    LoadedProject p = ComposeLoader.load(root.project.toOptions(root.caller(), root.stdin()));
    p.warnings().forEach(w -> err().println("jstack: warning: " + w));
    err().flush();
    return p;
  }

  /**
   * As {@link #load}; but with no compose file named or found and a project name given ({@code -p},
   * {@code COMPOSE_PROJECT_NAME}), the project of that name as the engine has it, as Docker
   * Compose's {@code -p NAME down}: for the commands that need no more of the model ({@code down},
   * {@code ps}, {@code logs}).
   */
  LoadedProject loadOrNamed() {
    return io.jstack.compose.ComposeLoader.withoutFiles(
            root.project.toOptions(root.caller(), root.stdin()))
        .orElseGet(this::load);
  }

  /**
   * Takes the lock of {@code loaded}'s project for this command, which changes its containers,
   * networks or volumes (commands that only read take none): a command of another process or thread
   * that changes it meanwhile waits until this one is done ({@link ProjectLock}).
   */
  ProjectLock lock(LoadedProject loaded) throws InterruptedException {
    return root.lockProject(loaded.project().name(), "jstack " + spec.name(), err());
  }

  /** Connects to the engine the global flags select. */
  Engine engine() {
    return root.openEngine();
  }

  /**
   * Runs {@code plan} with progress lines and returns the exit code: 0, or 1 with the failed
   * operation reported on one line.
   */
  int runPlan(Engine engine, Plan plan, int parallel) throws InterruptedException {
    Executor.Result result;
    try (ProgressView view = progressView()) {
      result =
          Executor.run(
              plan, engine, new Executor.Options(parallel, Duration.ofMillis(200), null), view);
    }
    if (!result.succeeded()) {
      err().println("jstack: " + result.firstFailure());
      return Jstack.EXIT_FAILURE;
    }
    return Jstack.EXIT_OK;
  }

  /** Prints a plan for {@code --dry-run} in {@code format}. */
  void printPlan(Plan plan, PlanFormat.Kind format) {
    out().print(PlanFormat.render(plan, format));
  }

  /** The plan format {@code --format} names, or a usage error saying which there are. */
  PlanFormat.Kind planFormat(String format) {
    return PlanFormat.Kind.named(format)
        .orElseThrow(
            () ->
                new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--format takes "
                        + java.util.Arrays.stream(PlanFormat.Kind.values())
                            .map(PlanFormat.Kind::toString)
                            .collect(java.util.stream.Collectors.joining(", "))
                        + ", not "
                        + format));
  }

  /** The progress view {@code --progress} selects. */
  ProgressView progressView() {
    return ProgressView.of(root.progress, root.ansi(), out());
  }

  /**
   * Refuses service names the project does not have, as a usage error; a project named without
   * compose files ({@link #loadOrNamed}) has whatever services its containers say.
   */
  void requireServices(LoadedProject loaded, List<String> services) {
    if (loaded.withoutFiles()) {
      return;
    }
    for (String s : services) {
      if (!loaded.project().services().containsKey(s)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "no such service: "
                + s
                + " (services: "
                + String.join(", ", loaded.project().services().keySet())
                + ")");
      }
    }
  }

  /** A planner for what the engine has of {@code loaded} now. */
  static Planner planner(Engine engine, LoadedProject loaded) {
    return Planner.of(engine, loaded);
  }

  static void close(Engine engine) {
    if (engine instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // Nothing useful to do about a failed close at the end of a command.
      }
    }
  }
}
