package io.jstack.planner;

import io.jstack.planner.step.Step;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A step of a plan with why it is there and what must finish before it.
 *
 * @param id its number in the plan, from 1, in a dependency-respecting order
 * @param service the service it is for, or {@code null} for project resources
 * @param reason why it is needed, e.g. {@code no container}, {@code config changed: image}
 * @param after the ids of the operations that must finish first, ascending
 */
public record Operation(
    int id, Step step, @Nullable String service, String reason, List<Integer> after) {
  public Operation {
    after = List.copyOf(after);
  }

  /** {@code create container hello-web-1}. */
  public String describe() {
    return step.verb() + " " + step.target();
  }
}
