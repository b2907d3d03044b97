package io.jstack.planner.step;

/** A step could not do its work for a reason that is not the engine's refusal. */
public class StepFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StepFailure(String message) {
    super(message);
  }
}
