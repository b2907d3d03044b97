package io.jstack.cli;

import io.jstack.cli.internal.Tty;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jstack exec}: run a command in a service's running container. */
@Command(
    name = "exec",
    description = "Run a command in a running container.",
    footer = {
      "",
      "Examples:",
      "  jstack exec web sh",
      "  jstack exec -T web cat /etc/hostname",
      "  echo hi | jstack exec -T -e X=1 worker sh -c 'cat; echo $X'"
    })
final class ExecCommand extends ProjectCommand implements Callable<Integer>, OwnProcess {
  @Override
  public String whyOwnProcess() {
    return "exec attaches the process's input and terminal";
  }

  @Mixin ProcessOptions process = new ProcessOptions();

  @Mixin ContainerIndex index = new ContainerIndex();

  @Option(names = "--privileged", description = "Give the command extended privileges.")
  boolean privileged;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service.")
  String service;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      arity = "1..*",
      description = "The command and its arguments.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      Engine.ExecSpec exec =
          new Engine.ExecSpec(
              command, process.env, process.user, process.workdir, privileged, process.detach);
      try (Tty tty = process.terminal()) {
        return engine.exec(c.id(), exec, stdio(tty));
      }
    } finally {
      close(engine);
    }
  }
}
