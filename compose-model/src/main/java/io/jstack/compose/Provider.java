package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A service provided by an external tool instead of a container. */
public record Provider(@Nullable String type, Map<String, List<String>> options) {}
