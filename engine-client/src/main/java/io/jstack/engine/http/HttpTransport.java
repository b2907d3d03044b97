package io.jstack.engine.http;

import java.io.IOException;

/**
 * Sends one HTTP/1.1 request to an engine and returns its response, whose body streams as it
 * arrives. Every transport (unix socket, TCP) passes the same contract test.
 */
public interface HttpTransport extends AutoCloseable {
  /**
   * Sends {@code request}; the caller must close the response. A request that asks for an upgrade
   * ({@link HttpRequest#upgrading()}) gets, when the engine switches protocols (101), a response
   * whose {@link HttpResponse#connection()} is the raw connection (Docker's attach and exec).
   *
   * @throws IOException when the engine cannot be reached or the connection breaks
   */
  HttpResponse execute(HttpRequest request) throws IOException;

  /** Releases the transport's threads and connections. */
  @Override
  void close();
}
