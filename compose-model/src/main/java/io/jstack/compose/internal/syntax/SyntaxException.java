package io.jstack.compose.internal.syntax;

/** TEMPORARY placeholder. */
public class SyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyntaxException(String message) {
    super(message);
  }
}
