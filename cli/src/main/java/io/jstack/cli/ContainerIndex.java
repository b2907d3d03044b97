package io.jstack.cli;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.planner.ServiceContainers;
import picocli.CommandLine.Option;

/**
 * Which of a service's containers a command acts on, {@code --index} (a picocli mixin of the
 * commands that act on one container: attach, commit, cp, exec, export, port).
 */
final class ContainerIndex {
  @Option(
      names = "--index",
      paramLabel = "N",
      description = "Which container of the service (default: 1).")
  int index = 1;

  /** The {@code --index}th container of {@code service} in {@code project}. */
  ContainerInfo pick(Engine engine, String project, String service) {
    return ServiceContainers.pick(engine, project, service, index);
  }
}
