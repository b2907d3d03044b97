package io.jstack.engine.tls;

import io.jstack.engine.EngineException;

/** A certificate or key that cannot be used, said in one line with the file it came from. */
public final class TlsException extends EngineException {
  private static final long serialVersionUID = 1L;

  public TlsException(String message) {
    super(message);
  }
}
