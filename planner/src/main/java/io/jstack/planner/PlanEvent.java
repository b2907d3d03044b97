package io.jstack.planner;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the executor reports as it runs a plan; the CLI renders these, the planner prints nothing.
 */
public sealed interface PlanEvent {
  Operation operation();

  /** The operation began. */
  record Started(Operation operation) implements PlanEvent {}

  /** The operation finished; {@code skipped} says why it had nothing to do, or is null. */
  record Finished(Operation operation, Duration took, @Nullable String skipped)
      implements PlanEvent {}

  /** The operation failed. */
  record Failed(Operation operation, Duration took, Throwable cause) implements PlanEvent {}
}
