package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack exec}: run a command in a service's running container. */
@Command(
    name = "exec",
    description = "Run a command in a running container.",
    footer = {
      "",
      "Examples:",
      "  jstack exec -T web cat /etc/hostname",
      "  echo hi | jstack exec -T -e X=1 worker sh -c 'cat; echo $X'"
    })
final class ExecCommand extends ProjectCommand implements Callable<Integer> {
  @Option(
      names = {"-T", "--no-TTY"},
      description = "No pseudo-terminal (the only mode so far).")
  boolean noTty;

  @Option(
      names = {"-d", "--detach"},
      description = "Run in the background.")
  boolean detach;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "An environment variable; repeatable.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      description = "Run as this user.")
  String user;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Run in this directory.")
  String workdir;

  @Option(
      names = "--index",
      paramLabel = "N",
      description = "Which container of the service (default: 1).")
  int index = 1;

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
    if (!noTty && System.console() != null) {
      throw new ParameterException(
          spec.commandLine(),
          "interactive terminals are not supported yet: add -T to run without one");
    }
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = ServiceContainers.pick(engine, loaded.project().name(), service, index);
      if (detach) {
        engine.exec(
            c.id(), new Engine.ExecSpec(command, env, user, workdir, privileged, true), null);
        return Jstack.EXIT_OK;
      }
      byte[] stdin = System.console() == null ? root.stdin().readAllBytes() : null;
      Engine.ExecResult r =
          engine.exec(
              c.id(), new Engine.ExecSpec(command, env, user, workdir, privileged, false), stdin);
      out().print(new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8));
      out().flush();
      err().print(new String(r.stderr(), java.nio.charset.StandardCharsets.UTF_8));
      err().flush();
      return r.exitCode();
    } finally {
      close(engine);
    }
  }
}
