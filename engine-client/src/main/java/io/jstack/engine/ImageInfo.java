package io.jstack.engine;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A local image: its id (the config digest), the names it has, and the parts of its config that
 * container creation merges with the service's own settings.
 */
public record ImageInfo(
    String id,
    List<String> tags,
    @Nullable List<String> entrypoint,
    @Nullable List<String> command,
    List<String> env,
    @Nullable String workingDir,
    @Nullable String user,
    Map<String, String> labels,
    long size,
    java.time.Instant created) {

  /**
   * An image known only by its id, names and labels (no config defaults, size or creation time).
   */
  public static ImageInfo named(String id, List<String> tags, Map<String, String> labels) {
    return new ImageInfo(
        id, tags, null, null, List.of(), null, null, labels, 0, java.time.Instant.EPOCH);
  }

  public ImageInfo {
    tags = List.copyOf(tags);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    command = command == null ? null : List.copyOf(command);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
  }
}
