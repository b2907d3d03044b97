package io.jstack.compose.internal.interpolation;

/** TEMPORARY placeholder. */
public final class DotEnvException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;

  public DotEnvException(int line, String message) {
    super(message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
