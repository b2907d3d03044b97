package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.DownOptions;
import io.jstack.planner.Plan;
import io.jstack.planner.PlanFormat;
import io.jstack.runtime.ProjectLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code jstack down}: stop and remove the project's containers and networks. */
@Command(
    name = "down",
    description = "Stop and remove containers and networks (and volumes with -v).",
    footer = {
      "",
      "Examples:",
      "  jstack down -v               # also the volumes",
      "  jstack down --dry-run"
    })
final class DownCommand extends ProjectCommand implements Callable<Integer> {
  @Option(
      names = {"-v", "--volumes"},
      description = "Also remove named and anonymous volumes.")
  boolean volumes;

  @Option(
      names = "--remove-orphans",
      description = "Also remove containers of services no longer in the files.")
  boolean removeOrphans;

  @Option(
      names = "--rmi",
      paramLabel = "local|all",
      description = "Also remove images: built ones (local), or all.")
  @Nullable String rmi;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      description = "Stop timeout, over stop_grace_period.")
  @Nullable Integer timeout;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Option(
      names = "--format",
      paramLabel = "text|json|dot|mermaid",
      description =
          "With --dry-run: the plan's format (default: text); dot (Graphviz) and mermaid draw its"
              + " DAG.")
  String format = "text";

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "At most N engine operations at once.")
  int parallel;

  @Override
  @SuppressWarnings("try") // The lock is used by holding it.
  public Integer call() throws Exception {
    if (rmi != null && !List.of("local", "all").contains(rmi)) {
      throw new ParameterException(spec.commandLine(), "--rmi takes local or all, not " + rmi);
    }
    PlanFormat.Kind planFormat = planFormat(format);
    LoadedProject loaded = loadOrNamed();
    try (ProjectLock lock = dryRun ? null : lock(loaded)) {
      if (root.swarm()) {
        if (dryRun && planFormat != PlanFormat.Kind.TEXT) {
          throw new ParameterException(
              spec.commandLine(),
              "with --engine swarm, down --dry-run prints the stack's plan as text only; drop"
                  + " --format "
                  + format);
        }
        return SwarmCommands.down(root, loaded, out(), err(), dryRun);
      }
      Engine engine = engine();
      try {
        Plan plan =
            planner(engine, loaded)
                .down(
                    new DownOptions(
                        volumes,
                        removeOrphans,
                        rmi,
                        timeout == null ? null : Duration.ofSeconds(timeout)));
        plan.warnings().forEach(w -> err().println("jstack: warning: " + w));
        if (dryRun) {
          printPlan(plan, planFormat);
          return Jstack.EXIT_OK;
        }
        if (plan.isEmpty()) {
          out().println("nothing to do");
          return Jstack.EXIT_OK;
        }
        return runPlan(engine, plan, parallel);
      } finally {
        close(engine);
      }
    }
  }
}
