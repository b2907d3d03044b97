package io.jstack.compose;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The logging driver and its options. */
public record Logging(@Nullable String driver, Map<String, String> options) {}
