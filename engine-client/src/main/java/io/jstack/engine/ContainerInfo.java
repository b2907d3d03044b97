package io.jstack.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an engine reports about a container.
 *
 * @param name without Docker's leading slash
 * @param image the image reference it was created from
 * @param imageId the id of that image when the container was created
 * @param exitCode the last exit code; meaningful once {@code state} is {@link State#EXITED}
 * @param networks the networks it is attached to
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
    List<String> networks) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
    networks = List.copyOf(networks);
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

  public String label(String key) {
    return labels.get(key);
  }
}
