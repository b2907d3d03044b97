package io.jstack.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jstack.engine.EngineException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one mapping from the engine's typed failures to HTTP statuses, as dockerd answers them. */
final class ApiErrors {
  private ApiErrors() {}

  /** The status that answers a request that failed with {@code failure}. */
  static HttpResponseStatus status(Throwable failure) {
    if (failure instanceof EngineException.NotFound) {
      return HttpResponseStatus.NOT_FOUND;
    }
    if (failure instanceof EngineException.Conflict) {
      return HttpResponseStatus.CONFLICT;
    }
    if (failure instanceof EngineException.InvalidArgument
        || failure instanceof IllegalArgumentException) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    if (failure instanceof EngineException.Unauthorized) {
      return HttpResponseStatus.UNAUTHORIZED;
    }
    if (failure instanceof UnsupportedOperationException) {
      return HttpResponseStatus.NOT_IMPLEMENTED;
    }
    return HttpResponseStatus.INTERNAL_SERVER_ERROR;
  }

  /** The message of {@code failure} for the client. */
  static String message(Throwable failure) {
    return String.valueOf(failure.getMessage());
  }

  /**
   * {@code message} as one harmless line: what a client echoes (a name, a path, a JSON parser's
   * excerpt of its body) may hold line breaks and control characters, shown here as {@code \n} and
   * {@code \x01}.
   */
  static String oneLine(String message) {
    StringBuilder out = new StringBuilder(message.length());
    message
        .codePoints()
        .forEach(
            c -> {
              if (c == '\n') {
                out.append("\\n");
              } else if (c == '\r') {
                out.append("\\r");
              } else if (c == '\t') {
                out.append(' ');
              } else if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /** Docker's error body, {@code {"message": ...}}, its message made one line. */
  static byte[] body(String message) {
    try {
      return Exchange.JSON.writeValueAsBytes(
          Exchange.JSON.createObjectNode().put("message", oneLine(message)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A whole error answer that ends the connection: for what the server refuses before a request
   * reaches a route (a malformed or oversized request), after which the rest of the connection
   * cannot be read as HTTP.
   */
  static FullHttpResponse closing(HttpResponseStatus status, String message) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body(message)));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    r.headers().set("Api-Version", EngineServer.API_VERSION);
    return r;
  }

  /** {@link #closing}'s answer as bytes on the wire, for where no HTTP encoder is. */
  static byte[] closingBytes(HttpResponseStatus status, String message) {
    byte[] body = body(message);
    String head =
        "HTTP/1.1 "
            + status.code()
            + " "
            + status.reasonPhrase()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\nApi-Version: "
            + EngineServer.API_VERSION
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }
}
