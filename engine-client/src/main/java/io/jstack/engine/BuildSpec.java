package io.jstack.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An image to build from a local context directory.
 *
 * @param dockerfile the Dockerfile's path relative to the context, or null for {@code Dockerfile}
 * @param dockerfileInline the Dockerfile's text, over {@code dockerfile} (whose base name then only
 *     names it in the build's errors), or null
 * @param tags the names to give the image; the first is the one services run
 * @param secrets what {@code RUN --mount=type=secret} may mount: secret id to a file on this host
 *     (compose's {@code build.secrets}); sent to the jstack engine only, which reads them itself
 * @param cacheFrom images whose history a build may take steps from ({@code --cache-from},
 *     compose's {@code build.cache_from}); names the engine's store lacks are ignored
 */
public record BuildSpec(
    Path context,
    @Nullable String dockerfile,
    @Nullable String dockerfileInline,
    List<String> tags,
    Map<String, String> args,
    @Nullable String target,
    Map<String, String> labels,
    boolean noCache,
    boolean pull,
    @Nullable String network,
    @Nullable Long shmSizeBytes,
    List<String> extraHosts,
    @Nullable String platform,
    Map<String, Path> secrets,
    List<String> cacheFrom) {
  public BuildSpec {
    tags = List.copyOf(tags);
    args = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(args));
    labels = Map.copyOf(labels);
    extraHosts = List.copyOf(extraHosts);
    secrets = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(secrets));
    cacheFrom = List.copyOf(cacheFrom);
  }
}
