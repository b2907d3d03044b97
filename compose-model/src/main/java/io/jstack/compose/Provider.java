package io.jstack.compose;

import java.util.List;
import java.util.Map;

/** A service provided by an external tool instead of a container. */
public record Provider(String type, Map<String, List<String>> options) {}
