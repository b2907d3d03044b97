package io.jstack.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an engine reports about a container.
 *
 * @param name without Docker's leading slash
 * @param image the image reference it was created from
 * @param imageId the id of that image when the container was created
 * @param exitCode the last exit code; meaningful once {@code state} is {@link State#EXITED}
 * @param networks the networks it is attached to
 * @param command the command it runs, as one line
 * @param status the engine's own words for its state, e.g. {@code Up 5 minutes (healthy)}
 * @param ports the ports it publishes on the host
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    String imageId,
    Map<String, String> labels,
    State state,
    Health health,
    int exitCode,
    Instant created,
    List<String> networks,
    String command,
    String status,
    List<PublishedPort> ports) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
  }

  /** A container without command, status text or ports (the status is its state's name). */
  public ContainerInfo(
      String id,
      String name,
      String image,
      String imageId,
      Map<String, String> labels,
      State state,
      Health health,
      int exitCode,
      Instant created,
      List<String> networks) {
    this(
        id,
        name,
        image,
        imageId,
        labels,
        state,
        health,
        exitCode,
        created,
        networks,
        "",
        state.dockerName(),
        List.of());
  }

  /** A port published on the host: {@code 0.0.0.0:8080->80/tcp}. */
  public record PublishedPort(String hostIp, int hostPort, int containerPort, String protocol) {
    @Override
    public String toString() {
      return (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp)
          + ":"
          + hostPort
          + "->"
          + containerPort
          + "/"
          + protocol;
    }
  }

  /** Container life-cycle states, as Docker names them. */
  public enum State {
    CREATED,
    RUNNING,
    PAUSED,
    RESTARTING,
    EXITED,
    DEAD,
    REMOVING;

    /** The lower-case name Docker uses ({@code running}, {@code exited}, ...). */
    public String dockerName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Health as the container's healthcheck reports it; {@code NONE} without a healthcheck. */
  public enum Health {
    NONE,
    STARTING,
    HEALTHY,
    UNHEALTHY
  }

  public boolean isRunning() {
    return state == State.RUNNING || state == State.RESTARTING || state == State.PAUSED;
  }

  public @Nullable String label(String key) {
    return labels.get(key);
  }
}
