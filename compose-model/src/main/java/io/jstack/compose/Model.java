package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** A top-level AI model served to services. */
public record Model(
    String name,
    String model,
    Long contextSize,
    List<String> runtimeFlags,
    Map<String, Object> extensions) {}
