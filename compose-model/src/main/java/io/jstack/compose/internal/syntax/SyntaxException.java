package io.jstack.compose.internal.syntax;

/**
 * A value in one of Compose's short syntaxes could not be parsed.
 *
 * <p>The message is one line that names the value and says what is wrong with it; the caller adds
 * where the value came from (file, line, column, YAML path).
 */
public final class SyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyntaxException(String message) {
    super(message);
  }
}
