package io.jstack.maven;

import io.jstack.junit.Stack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stacks {@code jstack:up} started in this Maven process, by the directory they were published
 * in (one per module), for {@code jstack:down} of the same build.
 */
final class BuildStacks {
  private static final Map<String, List<Stack>> RUNNING = new ConcurrentHashMap<>();

  private BuildStacks() {}

  static void add(String directory, Stack stack) {
    RUNNING.computeIfAbsent(directory, d -> new ArrayList<>()).add(stack);
  }

  /** The stacks started for {@code directory}, forgotten here: the caller takes them down. */
  static List<Stack> take(String directory) {
    List<Stack> stacks = RUNNING.remove(directory);
    return stacks == null ? List.of() : stacks;
  }
}
