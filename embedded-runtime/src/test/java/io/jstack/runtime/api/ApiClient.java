package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The API served over fakes on a unix socket in a test's directory, and a real HTTP client for it:
 * requests go through the same socket, codec, router and error mapping as the engine's.
 */
final class ApiClient implements AutoCloseable {
  private final EngineServer server;
  private final SocketTransport transport;

  private ApiClient(EngineServer server) {
    this.server = server;
    this.transport = new SocketTransport(new EngineAddress.Unix(server.socket()));
  }

  /** Serves {@code services} on a socket in {@code dir}. */
  static ApiClient serving(Path dir, EngineServer.Services services) {
    try {
      return new ApiClient(
          EngineServer.start(services.routes(), dir.resolve("api.sock"), null, line -> {}));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An answer, read whole. */
  record Answer(
      int status,
      String contentType,
      String apiVersion,
      byte[] bytes,
      @org.jspecify.annotations.Nullable String pathStat) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return Exchange.JSON.readTree(bytes);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    /** Docker's error message, {@code {"message": ...}}. */
    String message() {
      return json().path("message").asText();
    }
  }

  Answer get(String path) {
    return send(HttpRequest.get(path));
  }

  Answer head(String path) {
    return send(new HttpRequest("HEAD", path, Map.of(), null, null));
  }

  Answer delete(String path) {
    return send(HttpRequest.delete(path));
  }

  /** A {@code filters} query value: {@code json} (single quotes read as double), URL-encoded. */
  static String filters(String json) {
    return java.net.URLEncoder.encode(
        json.replace('\'', '"'), java.nio.charset.StandardCharsets.UTF_8);
  }

  Answer post(String path) {
    return send(HttpRequest.post(path));
  }

  /** A POST of {@code json}, with single quotes for double ones (readable bodies in tests). */
  Answer post(String path, String json) {
    return send(
        HttpRequest.postJson(path, json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends {@code request}, for an answer read as it comes; the caller closes it. */
  HttpResponse open(HttpRequest request) throws IOException {
    return transport.execute(request);
  }

  Answer send(HttpRequest request) {
    try (HttpResponse r = transport.execute(request)) {
      byte[] body = request.method().equals("HEAD") ? new byte[0] : r.bytes();
      return new Answer(
          r.status(),
          r.header("Content-Type"),
          r.header("Api-Version"),
          body,
          r.header("X-Docker-Container-Path-Stat"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    transport.close();
    server.close();
  }
}
