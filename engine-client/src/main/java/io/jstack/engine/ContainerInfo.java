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
 * @param mounts its volumes, binds and tmpfs mounts, as the engine's {@code Mounts} lists them
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
    List<PublishedPort> ports,
    List<Mount> mounts) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
    mounts = List.copyOf(mounts);
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
        List.of(),
        List.of());
  }

  /** This container as it is, with {@code mounts}. */
  public ContainerInfo withMounts(List<Mount> mounts) {
    return new ContainerInfo(
        id, name, image, imageId, labels, state, health, exitCode, created, networks, command,
        status, ports, mounts);
  }

  /**
   * A mount of the container, as the engine reports it.
   *
   * @param type {@code volume}, {@code bind}, {@code tmpfs}, ...
   * @param name the volume's name for a {@code volume} (anonymous ones have the 64-hex-digit name
   *     the engine gave them); empty for other types
   * @param destination where it is mounted in the container
   */
  public record Mount(String type, String name, String destination) {
    /** A volume mount. */
    public static Mount volume(String name, String destination) {
      return new Mount("volume", name, destination);
    }

    /**
     * Whether this is a volume with a name the engine made: 64 hex digits, as dockerd names them.
     */
    public boolean engineNamedVolume() {
      return type.equals("volume") && name.matches("[0-9a-f]{64}");
    }
  }

  /** A port published on the host: {@code 0.0.0.0:8080->80/tcp}. */
  public record PublishedPort(String hostIp, int hostPort, int containerPort, String protocol) {
    /**
     * Where a client reaches it: its host address, or, when it is published on all addresses
     * ({@code 0.0.0.0}, {@code ::}, none), the host of a remote engine ({@link Engine#remoteHost}),
     * else {@code local}.
     */
    public String reachableHost(java.util.Optional<String> engineHost, String local) {
      boolean everywhere = hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::");
      return everywhere ? engineHost.orElse(local) : hostIp;
    }

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
