package io.jstack.planner;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The containers of one service, by number, as the CLI's verbs ({@code --index}) and the Java API
 * pick them.
 */
public final class ServiceContainers {
  private ServiceContainers() {}

  /** The containers of {@code service} in {@code project}, lowest number first. */
  public static List<ContainerInfo> of(Engine engine, String project, String service) {
    return engine
        .containers(Map.of(ComposeLabels.PROJECT, project, ComposeLabels.SERVICE, service))
        .stream()
        .filter(c -> !"True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF)))
        .sorted(Comparator.comparingInt(ServiceContainers::number))
        .toList();
  }

  /**
   * The container numbered {@code index} of {@code service}.
   *
   * @throws io.jstack.engine.EngineException saying how to start it, containers there are, when
   *     there is no such one
   */
  public static ContainerInfo pick(Engine engine, String project, String service, int index) {
    for (ContainerInfo c : of(engine, project, service)) {
      if (number(c) == index) {
        return c;
      }
    }
    throw new io.jstack.engine.EngineException(
        "service \""
            + service
            + "\" has no container number "
            + index
            + ": start it with jstack up "
            + service);
  }

  /** A container's number within its service ({@code container-number} label). */
  public static int number(ContainerInfo c) {
    try {
      return Integer.parseInt(c.label(ComposeLabels.CONTAINER_NUMBER));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
