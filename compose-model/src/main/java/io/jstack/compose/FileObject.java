package io.jstack.compose;

import java.util.Map;

/**
 * A top-level secret or config: from a file, an environment variable, inline content (configs), or
 * external. {@code name} is the engine-side name.
 */
public record FileObject(
    String name,
    String content,
    String environment,
    String file,
    boolean external,
    Map<String, String> labels,
    String driver,
    Map<String, String> driverOpts,
    String templateDriver,
    Map<String, Object> extensions) {}
