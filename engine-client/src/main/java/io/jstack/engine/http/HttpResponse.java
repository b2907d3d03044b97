package io.jstack.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP response: status, headers and a body that streams as the engine sends it. Closing it
 * closes the connection, which also ends an endless stream (logs, events). After a switch of
 * protocols (101) the raw connection is {@link #connection()}.
 */
public final class HttpResponse implements AutoCloseable {
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final AutoCloseable connection;
  private final @Nullable HttpConnection upgraded;

  public HttpResponse(
      int status, Map<String, List<String>> headers, InputStream body, AutoCloseable connection) {
    this(status, headers, body, connection, null);
  }

  /** A response whose connection was taken over ({@code upgraded} may be null otherwise). */
  public HttpResponse(
      int status,
      Map<String, List<String>> headers,
      InputStream body,
      AutoCloseable connection,
      @Nullable HttpConnection upgraded) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.connection = connection;
    this.upgraded = upgraded;
  }

  public int status() {
    return status;
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  public @Nullable String header(String name) {
    return first(headers, name);
  }

  /** The first value of header {@code name} (case-insensitive) in {@code headers}, or null. */
  static @Nullable String first(Map<String, List<String>> headers, String name) {
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

  /**
   * The raw connection after a switch of protocols (status 101), when the request asked for one.
   *
   * @throws IllegalStateException when the response is not a switch of protocols
   */
  public HttpConnection connection() {
    if (upgraded == null) {
      throw new IllegalStateException(
          "the engine answered " + status + ", not 101 Switching Protocols");
    }
    return upgraded;
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
