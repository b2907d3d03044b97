package io.jstack.compose.internal.interpolation;

/**
 * An env file that cannot be parsed, naming the 1-based line of the statement at fault.
 *
 * <p>The message reads {@code line N: problem}, worded as Docker Compose words it.
 */
public final class DotEnvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;

  /** An error on {@code line} (1-based) explained by {@code problem}. */
  public DotEnvException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** An error on {@code line} (1-based) caused by {@code cause}, whose message explains it. */
  public DotEnvException(int line, TemplateException cause) {
    super("line " + line + ": " + cause.getMessage(), cause);
    this.line = line;
  }

  /** The 1-based line on which the offending statement starts. */
  public int line() {
    return line;
  }
}
