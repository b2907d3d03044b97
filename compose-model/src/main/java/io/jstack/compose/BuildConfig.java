package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** How to build a service's image ({@code build:}), long form. */
public record BuildConfig(
    String context,
    String dockerfile,
    String dockerfileInline,
    List<String> entitlements,
    Map<String, String> args,
    List<String> ssh,
    Map<String, String> labels,
    List<String> cacheFrom,
    List<String> cacheTo,
    boolean noCache,
    List<String> noCacheFilter,
    Map<String, String> additionalContexts,
    String network,
    String provenance,
    String sbom,
    boolean pull,
    String target,
    ByteSize shmSize,
    List<String> extraHosts,
    String isolation,
    boolean privileged,
    List<FileReference> secrets,
    List<String> tags,
    Map<String, Ulimit> ulimits,
    List<String> platforms,
    Map<String, Object> extensions) {}
