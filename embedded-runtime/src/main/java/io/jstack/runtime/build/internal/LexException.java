package io.jstack.runtime.build.internal;

/**
 * A word of a Dockerfile could not be lexed or substituted; the message is BuildKit's own wording
 * so that callers can add the line and a fix.
 */
public final class LexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LexException(String message) {
    super(message);
  }
}
