package io.jstack.planner.step;

import java.time.Duration;

/**
 * What steps need from the run they belong to.
 *
 * @param pollInterval how often waiting steps look at the engine again
 * @param deadlineNanos {@link System#nanoTime()} after which waiting steps give up, or {@code
 *     Long.MAX_VALUE}
 */
public record StepContext(Duration pollInterval, long deadlineNanos) {
  public static StepContext of(Duration pollInterval) {
    return new StepContext(pollInterval, Long.MAX_VALUE);
  }
}
