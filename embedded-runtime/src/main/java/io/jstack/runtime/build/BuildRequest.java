package io.jstack.runtime.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker build} asks of the engine (the classic {@code POST /build}), decoded.
 *
 * @param context the build context, unpacked in a directory
 * @param dockerfile the Dockerfile's path relative to the context, {@code Dockerfile} by default
 * @param buildArgs {@code --build-arg} values
 * @param target the stage to build; empty for the last
 * @param labels labels the image gets besides its Dockerfile's
 * @param tags the names the image gets ({@code t}); empty for none
 * @param networkMode where RUN's containers are: {@code default} (the engine's bridge), {@code
 *     none}, or {@code host}, which also lets {@code RUN --network=host} run (BuildKit's {@code
 *     network.host} entitlement)
 * @param noCache whether every step runs even when an earlier build's image for it is there
 * @param pull whether base images are pulled again even when the store has them ({@code --pull})
 * @param platform the platform to build for ({@code --platform}); empty for the host's. Only the
 *     host's is accepted: the engine emulates no other
 * @param cacheFrom images whose history may seed the cache ({@code --cache-from})
 * @param secrets what {@code RUN --mount=type=secret} mounts: secret id to the host file holding it
 *     ({@code docker build --secret id=ID,src=FILE})
 */
public record BuildRequest(
    Path context,
    String dockerfile,
    Map<String, String> buildArgs,
    String target,
    Map<String, String> labels,
    List<String> tags,
    String networkMode,
    boolean noCache,
    boolean pull,
    String platform,
    List<String> cacheFrom,
    Map<String, Path> secrets) {
  public BuildRequest {
    buildArgs = Map.copyOf(buildArgs);
    labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    tags = List.copyOf(tags);
    cacheFrom = List.copyOf(cacheFrom);
    secrets = Map.copyOf(secrets);
  }

  /**
   * A request that pulls only missing base images, for the host's platform, with no cache-from and
   * no secrets.
   */
  public BuildRequest(
      Path context,
      String dockerfile,
      Map<String, String> buildArgs,
      String target,
      Map<String, String> labels,
      List<String> tags,
      String networkMode,
      boolean noCache) {
    this(
        context,
        dockerfile,
        buildArgs,
        target,
        labels,
        tags,
        networkMode,
        noCache,
        false,
        "",
        List.of(),
        Map.of());
  }
}
