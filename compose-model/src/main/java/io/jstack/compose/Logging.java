package io.jstack.compose;

import java.util.Map;

/** The logging driver and its options. */
public record Logging(String driver, Map<String, String> options) {}
