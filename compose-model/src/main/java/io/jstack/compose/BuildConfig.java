package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How to build a service's image ({@code build:}), long form. */
public record BuildConfig(
    String context,
    @Nullable String dockerfile,
    @Nullable String dockerfileInline,
    List<String> entitlements,
    Map<String, String> args,
    List<String> ssh,
    Map<String, String> labels,
    List<String> cacheFrom,
    List<String> cacheTo,
    boolean noCache,
    List<String> noCacheFilter,
    Map<String, String> additionalContexts,
    @Nullable String network,
    @Nullable String provenance,
    @Nullable String sbom,
    boolean pull,
    @Nullable String target,
    @Nullable ByteSize shmSize,
    List<String> extraHosts,
    @Nullable String isolation,
    boolean privileged,
    List<FileReference> secrets,
    List<String> tags,
    Map<String, Ulimit> ulimits,
    List<String> platforms,
    Map<String, Object> extensions) {}
