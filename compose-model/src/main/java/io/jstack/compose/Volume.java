package io.jstack.compose;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A top-level named volume. {@code name} is the engine-side name. */
public record Volume(
    String name,
    @Nullable String driver,
    Map<String, String> driverOpts,
    boolean external,
    Map<String, String> labels,
    Map<String, Object> extensions) {}
