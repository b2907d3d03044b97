package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jstack wait}: block until services' containers stop; print their exit codes. */
@Command(
    name = "wait",
    description = "Wait for services' containers to stop; print their exit codes.")
final class WaitCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", arity = "1..*", description = "The services to wait for.")
  List<String> services;

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, services);
    Engine engine = engine();
    try {
      Integer first = null;
      for (String s : services) {
        for (ContainerInfo c :
            io.jstack.planner.ServiceContainers.of(engine, loaded.project().name(), s)) {
          int code = engine.waitContainer(c.id());
          out().println(code);
          out().flush();
          first = first == null ? code : first;
        }
      }
      return first == null ? Jstack.EXIT_OK : first;
    } finally {
      close(engine);
    }
  }
}
