package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jstack port}: where a container port is published on the host. */
@Command(name = "port", description = "Print the host address a container port is published on.")
final class PortCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1", paramLabel = "PRIVATE_PORT")
  int port;

  @Option(names = "--protocol", paramLabel = "tcp|udp", description = "Default: tcp.")
  String protocol = "tcp";

  @Mixin ContainerIndex index = new ContainerIndex();

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      for (ContainerInfo listed :
          engine.containers(
              java.util.Map.of(io.jstack.planner.ComposeLabels.PROJECT, loaded.project().name()))) {
        if (!listed.id().equals(c.id())) {
          continue;
        }
        for (ContainerInfo.PublishedPort p : listed.ports()) {
          if (p.containerPort() == port && p.protocol().equals(protocol)) {
            // A remote engine's port published everywhere is reached at that engine's host.
            String host = p.reachableHost(engine.remoteHost(), p.hostIp());
            out().println((host.contains(":") ? "[" + host + "]" : host) + ":" + p.hostPort());
            return Jstack.EXIT_OK;
          }
        }
      }
      err()
          .println(
              "jstack: no host port is published for "
                  + service
                  + " port "
                  + port
                  + "/"
                  + protocol);
      return Jstack.EXIT_FAILURE;
    } finally {
      close(engine);
    }
  }
}
