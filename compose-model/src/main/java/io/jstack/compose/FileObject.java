package io.jstack.compose;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A top-level secret or config: from a file, an environment variable, inline content (configs), or
 * external. {@code name} is the engine-side name.
 */
public record FileObject(
    String name,
    @Nullable String content,
    @Nullable String environment,
    @Nullable String file,
    boolean external,
    Map<String, String> labels,
    @Nullable String driver,
    Map<String, String> driverOpts,
    @Nullable String templateDriver,
    Map<String, Object> extensions) {}
