package io.jstack.compose;

import java.util.Map;

/** A top-level named volume. {@code name} is the engine-side name. */
public record Volume(
    String name,
    String driver,
    Map<String, String> driverOpts,
    boolean external,
    Map<String, String> labels,
    Map<String, Object> extensions) {}
