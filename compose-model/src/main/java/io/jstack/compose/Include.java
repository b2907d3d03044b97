package io.jstack.compose;

import java.util.List;

/** An {@code include:} entry: compose files loaded as their own project and merged in. */
public record Include(List<String> path, List<String> envFile, String projectDirectory) {}
