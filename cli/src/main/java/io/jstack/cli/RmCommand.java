package io.jstack.cli;

import io.jstack.cli.internal.Confirm;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.runtime.ProjectLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack rm}: removes the project's stopped containers, one-off ones included, after asking
 * (as Docker Compose's {@code rm}); with {@code -s} it stops the running ones first.
 */
@Command(
    name = "rm",
    description = "Remove stopped service containers.",
    footer = {
      "",
      "Examples:",
      "  jstack rm -f           # remove every stopped container of the project, without asking",
      "  jstack rm -s -f -v db  # stop db's containers, remove them and their anonymous volumes"
    })
final class RmCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services (default: all).")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-f", "--force"},
      description = "Do not ask to confirm the removal.")
  boolean force;

  @Option(
      names = {"-s", "--stop"},
      description = "Stop the containers first, where they run.")
  boolean stop;

  @Option(
      names = {"-v", "--volumes"},
      description = "Remove the anonymous volumes of the containers too.")
  boolean volumes;

  @Override
  @SuppressWarnings("try") // The lock is used by holding it.
  public Integer call() throws InterruptedException, IOException {
    LoadedProject loaded = loadOrNamed();
    requireServices(loaded, services);
    try (ProjectLock lock = lock(loaded)) {
      Engine engine = engine();
      try {
        if (stop) {
          int code = runPlan(engine, planner(engine, loaded).stop(services, null), 0);
          if (code != Jstack.EXIT_OK) {
            return code;
          }
        }
        List<ContainerInfo> stopped = planner(engine, loaded).stopped(services);
        if (stopped.isEmpty()) {
          err().println("No stopped containers");
          return Jstack.EXIT_OK;
        }
        String names = stopped.stream().map(ContainerInfo::name).collect(Collectors.joining(", "));
        if (force) {
          out().println("Going to remove " + names);
        } else if (!confirmed("Going to remove " + names)) {
          return Jstack.EXIT_OK;
        }
        return runPlan(engine, planner(engine, loaded).remove(stopped, volumes), 0);
      } finally {
        close(engine);
      }
    }
  }

  /** Asks Compose's question on the terminal (or whatever jstack's input is); no is the default. */
  private boolean confirmed(String what) throws IOException {
    return Confirm.yes(out(), root.stdin(), what + "\nAre you sure? [y/N] ");
  }
}
