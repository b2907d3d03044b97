package io.jstack.compose.internal.interpolation;

/** TEMPORARY placeholder. */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
