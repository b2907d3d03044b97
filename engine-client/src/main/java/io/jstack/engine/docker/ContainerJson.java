package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.instant;
import static io.jstack.engine.docker.DockerApi.labels;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.ContainerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's container JSON read into {@link ContainerInfo}: the summaries of {@code GET
 * /containers/json}, whose health and exit code only show in the status text, and the answer of
 * {@code GET /containers/{id}/json}.
 */
final class ContainerJson {
  private ContainerJson() {}

  /** One entry of the container list. */
  static ContainerInfo summary(JsonNode c) {
    String name = c.path("Names").path(0).asText("");
    List<String> networks = new ArrayList<>();
    c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
    List<ContainerInfo.PublishedPort> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.has("PublicPort")) {
        ports.add(
            new ContainerInfo.PublishedPort(
                p.path("IP").asText("0.0.0.0"),
                p.path("PublicPort").asInt(),
                p.path("PrivatePort").asInt(),
                p.path("Type").asText("tcp")));
      }
    }
    return new ContainerInfo(
        c.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        c.path("Image").asText(),
        c.path("ImageID").asText(),
        labels(c.path("Labels")),
        state(c.path("State").asText()),
        healthFromStatus(c.path("Status").asText("")),
        exitCodeFromStatus(c.path("Status").asText("")),
        Instant.ofEpochSecond(c.path("Created").asLong()),
        networks,
        c.path("Command").asText(""),
        c.path("Status").asText(""),
        ports,
        mounts(c.path("Mounts")));
  }

  /** An inspected container. */
  static ContainerInfo inspected(JsonNode c) {
    String name = c.path("Name").asText("");
    JsonNode state = c.path("State");
    List<String> networks = new ArrayList<>();
    c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
    String health = state.path("Health").path("Status").asText("");
    return new ContainerInfo(
            c.path("Id").asText(),
            name.startsWith("/") ? name.substring(1) : name,
            c.path("Config").path("Image").asText(),
            c.path("Image").asText(),
            labels(c.path("Config").path("Labels")),
            state(state.path("Status").asText()),
            switch (health) {
              case "starting" -> ContainerInfo.Health.STARTING;
              case "healthy" -> ContainerInfo.Health.HEALTHY;
              case "unhealthy" -> ContainerInfo.Health.UNHEALTHY;
              default -> ContainerInfo.Health.NONE;
            },
            state.path("ExitCode").asInt(),
            instant(c.path("Created").asText()),
            networks)
        .withMounts(mounts(c.path("Mounts")));
  }

  /** Docker's {@code Mounts}, in the list and in inspect alike. */
  private static List<ContainerInfo.Mount> mounts(JsonNode mounts) {
    List<ContainerInfo.Mount> out = new ArrayList<>();
    for (JsonNode m : mounts) {
      out.add(
          new ContainerInfo.Mount(
              m.path("Type").asText(""),
              m.path("Name").asText(""),
              m.path("Destination").asText("")));
    }
    return out;
  }

  private static ContainerInfo.State state(String s) {
    return switch (s) {
      case "running" -> ContainerInfo.State.RUNNING;
      case "paused" -> ContainerInfo.State.PAUSED;
      case "restarting" -> ContainerInfo.State.RESTARTING;
      case "exited" -> ContainerInfo.State.EXITED;
      case "dead" -> ContainerInfo.State.DEAD;
      case "removing" -> ContainerInfo.State.REMOVING;
      default -> ContainerInfo.State.CREATED;
    };
  }

  private static ContainerInfo.Health healthFromStatus(String status) {
    if (status.contains("(healthy)")) {
      return ContainerInfo.Health.HEALTHY;
    }
    if (status.contains("(unhealthy)")) {
      return ContainerInfo.Health.UNHEALTHY;
    }
    if (status.contains("(health: starting)")) {
      return ContainerInfo.Health.STARTING;
    }
    return ContainerInfo.Health.NONE;
  }

  private static int exitCodeFromStatus(String status) {
    // "Exited (137) 5 seconds ago"
    int open = status.indexOf("Exited (");
    if (open < 0) {
      return 0;
    }
    int close = status.indexOf(')', open);
    try {
      return Integer.parseInt(status.substring(open + 8, close));
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
