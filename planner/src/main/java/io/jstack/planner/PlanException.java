package io.jstack.planner;

/** A plan cannot be made or carried out; the message says what failed and what to do. */
public class PlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlanException(String message) {
    super(message);
  }
}
