package io.jstack.planner;

import java.util.List;

/**
 * Operations to bring a project to its desired state, in an order where every operation comes after
 * those it depends on; the executor runs each as soon as those are done.
 *
 * @param warnings things to tell the user that do not change the plan (orphans, ...)
 */
public record Plan(List<Operation> operations, List<String> warnings) {
  public Plan {
    operations = List.copyOf(operations);
    warnings = List.copyOf(warnings);
  }

  public boolean isEmpty() {
    return operations.isEmpty();
  }

  public int size() {
    return operations.size();
  }
}
