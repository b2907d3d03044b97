package io.jstack.junit;

/**
 * A stack could not be loaded, started, reached or taken down; the message says which stack, what
 * failed and what to do.
 */
public final class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
