package io.jstack.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response: status, headers and a body that streams as the engine sends it. Closing it
 * closes the connection, which also ends an endless stream (logs, events).
 */
public final class HttpResponse implements AutoCloseable {
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final AutoCloseable connection;

  public HttpResponse(
      int status, Map<String, List<String>> headers, InputStream body, AutoCloseable connection) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.connection = connection;
  }

  public int status() {
    return status;
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  public InputStream body() {
    return body;
  }

  /** Reads the whole body. */
  public byte[] bytes() throws IOException {
    return body.readAllBytes();
  }

  /** Reads the whole body as UTF-8 text. */
  public String text() throws IOException {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // Closing a connection that already ended is not an error.
    }
  }
}
