package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.planner.ComposeLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jstack top}: the processes running in the project's containers. */
@Command(name = "top", description = "Show the processes running in containers.")
final class TopCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, services);
    Engine engine = engine();
    try {
      List<ContainerInfo> running = new ArrayList<>();
      for (ContainerInfo c :
          engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
        if (c.isRunning()
            && (services.isEmpty() || services.contains(c.label(ComposeLabels.SERVICE)))) {
          running.add(c);
        }
      }
      running.sort(Comparator.comparing(ContainerInfo::name));
      for (ContainerInfo c : running) {
        Engine.Processes p = engine.top(c.id());
        out().println(c.name());
        List<List<String>> rows = new ArrayList<>();
        rows.add(p.titles());
        rows.addAll(p.rows());
        io.jstack.cli.internal.Table.print(out(), rows);
        out().println();
      }
      out().flush();
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }
}
