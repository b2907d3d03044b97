package io.jstack.compose.internal.interpolation;

/**
 * A template that cannot be interpolated: either it is malformed ({@code Invalid template: "..."})
 * or a {@code ${VAR?message}} / {@code ${VAR:?message}} variable is missing.
 *
 * <p>The message is worded as Docker Compose words it, so users can search for it and act on it.
 */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose whole explanation is {@code message}. */
  public TemplateException(String message) {
    super(message);
  }
}
