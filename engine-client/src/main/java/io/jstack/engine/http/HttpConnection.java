package io.jstack.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over after an HTTP upgrade ({@code 101 Switching Protocols}), as Docker's
 * attach and exec use it: raw bytes both ways. Closing {@link #output()} (or calling {@link
 * #shutdownOutput()}) tells the other side that input has ended, while its output keeps coming.
 */
public interface HttpConnection extends AutoCloseable {
  /** What the other side sends. */
  InputStream input();

  /** What we send. */
  OutputStream output();

  /** Half-closes: no more bytes from us, theirs may still arrive. */
  void shutdownOutput() throws IOException;

  @Override
  void close();
}
