package io.jstack.engine.http;

import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request: method, path with query, headers, and a body given whole or as a stream (sent
 * chunked, e.g. a build context).
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> headers,
    byte @Nullable [] body,
    @Nullable InputStream stream) {
  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  public static HttpRequest get(String path) {
    return new HttpRequest("GET", path, Map.of(), null, null);
  }

  public static HttpRequest delete(String path) {
    return new HttpRequest("DELETE", path, Map.of(), null, null);
  }

  public static HttpRequest post(String path) {
    return new HttpRequest("POST", path, Map.of(), null, null);
  }

  /** A POST with a JSON body. */
  public static HttpRequest postJson(String path, byte[] json) {
    return new HttpRequest("POST", path, Map.of("Content-Type", "application/json"), json, null);
  }

  /** A POST whose body is streamed from {@code body} with the given content type. */
  public static HttpRequest postStream(String path, String contentType, InputStream body) {
    return new HttpRequest("POST", path, Map.of("Content-Type", contentType), null, body);
  }

  /** This request, asking the engine to take the connection over ({@code Upgrade: tcp}). */
  public HttpRequest upgrading() {
    return withHeader("Connection", "Upgrade").withHeader("Upgrade", "tcp");
  }

  /** Whether this request asks for an upgrade. */
  public boolean wantsUpgrade() {
    return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Upgrade"));
  }

  public HttpRequest withHeader(String name, String value) {
    Map<String, String> h = new TreeMap<>(headers);
    h.put(name, value);
    return new HttpRequest(method, path, h, body, stream);
  }
}
