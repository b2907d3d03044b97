package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A top-level AI model served to services. */
public record Model(
    @Nullable String name,
    @Nullable String model,
    @Nullable Long contextSize,
    List<String> runtimeFlags,
    Map<String, Object> extensions) {}
