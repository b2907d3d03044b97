package io.jstack.engine.http;

import java.io.IOException;

/**
 * Sends one HTTP/1.1 request to an engine and returns its response, whose body streams as it
 * arrives. Every transport (unix socket, TCP) passes the same contract test.
 */
public interface HttpTransport extends AutoCloseable {
  /**
   * Sends {@code request}; the caller must close the response.
   *
   * @throws IOException when the engine cannot be reached or the connection breaks
   */
  HttpResponse execute(HttpRequest request) throws IOException;

  /**
   * Sends {@code request} asking to upgrade the connection ({@code Connection: Upgrade}, {@code
   * Upgrade: tcp}) and, when the engine switches protocols, hands over the raw connection.
   *
   * @throws IOException when the engine cannot be reached, or answers without switching (the
   *     message carries its status and body)
   */
  HttpConnection upgrade(HttpRequest request) throws IOException;

  /** Releases the transport's threads and connections. */
  @Override
  void close();
}
