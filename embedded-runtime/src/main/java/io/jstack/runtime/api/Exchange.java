package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One request and its answer: the path parameters and query of the request, its body (whole or as
 * it arrives), and the ways to answer it (a JSON value, a stream of chunks, an error).
 */
final class Exchange {
  /** The API's JSON mapper: requests are read and answers written with it. */
  static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final Map<String, String> path;
  private final QueryStringDecoder query;
  private final InputStream body;

  /** Headers for the answer beyond those every answer has ({@link #header}). */
  private final Map<String, String> headers = new java.util.LinkedHashMap<>();

  Exchange(
      ChannelHandlerContext ctx,
      HttpRequest request,
      Map<String, String> path,
      QueryStringDecoder query,
      InputStream body) {
    this.ctx = ctx;
    this.request = request;
    this.path = path;
    this.query = query;
    this.body = body;
  }

  // ------------------------------------------------------------------ the request

  HttpMethod method() {
    return request.method();
  }

  /** The request's head, for answers that take the connection over. */
  HttpRequest request() {
    return request;
  }

  Channel channel() {
    return ctx.channel();
  }

  /** The path parameter {@code name} of the route. */
  String path(String name) {
    String v = path.get(name);
    if (v == null) {
      throw new IllegalStateException("the route has no parameter " + name);
    }
    return v;
  }

  /** The query parameter {@code name}, or null. */
  @Nullable String param(String name) {
    List<String> v = query.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** Every value of the query parameter {@code name} ({@code ?names=a&names=b}). */
  List<String> params(String name) {
    return query.parameters().getOrDefault(name, List.of());
  }

  /**
   * Whether the query parameter {@code name} is set, read as Docker reads a boolean: anything but
   * empty, {@code 0}, {@code no}, {@code false} or {@code none}, in any case (docker-py sends
   * {@code True} and {@code False}). See moby's {@code httputils.BoolValue}.
   */
  boolean flag(String name) {
    return flag(name, false);
  }

  /**
   * The boolean query parameter {@code name} (see {@link #flag(String)}), {@code absent} if not
   * given.
   */
  boolean flag(String name, boolean absent) {
    String v = param(name);
    if (v == null) {
      return absent;
    }
    String s = v.strip().toLowerCase(Locale.ROOT);
    return !(s.isEmpty()
        || s.equals("0")
        || s.equals("no")
        || s.equals("false")
        || s.equals("none"));
  }

  /** The query parameter {@code name} as a number. */
  int intParam(String name) {
    try {
      return Integer.parseInt(param(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + param(name));
    }
  }

  /** A Docker API time ({@code seconds[.nanos]} since the epoch) in {@code name}, or null. */
  @Nullable Instant time(String name) {
    String v = param(name);
    if (v == null || v.isEmpty() || v.equals("0")) {
      return null;
    }
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(v);
      long seconds = d.longValue();
      long nanos = d.subtract(java.math.BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("since and until take seconds since the epoch, not " + v);
    }
  }

  /** The {@code filters} parameter: each filter's values. */
  Map<String, List<String>> filters() {
    String f = param("filters");
    Map<String, List<String>> out = new HashMap<>();
    if (f == null || f.isEmpty()) {
      return out;
    }
    try {
      JSON.readTree(f)
          .properties()
          .forEach(
              e -> {
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                  e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                  e.getValue().fieldNames().forEachRemaining(values::add);
                }
                out.put(e.getKey(), values);
              });
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed filters: " + f);
    }
    return out;
  }

  /** The request body as it arrives (streamed routes) or as it arrived. */
  InputStream body() {
    return body;
  }

  /** The request body as JSON; an empty body is an empty object. */
  JsonNode json() {
    try {
      byte[] bytes = body.readAllBytes();
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      JsonNode json = JSON.readTree(bytes);
      if (!json.isObject()) {
        throw new IllegalArgumentException(
            "the request body is JSON but not an object (it is "
                + json.getNodeType().name().toLowerCase(Locale.ROOT)
                + "); send a JSON object");
      }
      return json;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Its own message quotes the body over several lines: the reason and where is enough.
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(
          "the request body is not JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + "; send a JSON object");
    } catch (IOException e) {
      throw new IllegalArgumentException("the request body could not be read: " + e.getMessage());
    }
  }

  /** The {@code Labels} object of a create body, as a map. */
  static Map<String, String> labels(JsonNode body) {
    Map<String, String> labels = new java.util.TreeMap<>();
    body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** Refuses a create body whose {@code Driver} is another than {@code supported}. */
  static void requireDriver(JsonNode body, String kind, String supported) {
    String driver = body.path("Driver").asText(supported);
    if (!driver.isEmpty() && !driver.equals(supported)) {
      throw new IllegalArgumentException(
          kind
              + " driver "
              + driver
              + " is not supported by the jstack engine (only "
              + supported
              + ")");
    }
  }

  // ------------------------------------------------------------------ answers

  /** Adds header {@code name} to the answer this exchange sends next. */
  void header(String name, String value) {
    headers.put(name, value);
  }

  void json(HttpResponseStatus status, JsonNode value) {
    try {
      send(status, "application/json", JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void text(HttpResponseStatus status, String body) {
    send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  void empty(HttpResponseStatus status) {
    send(status, null, new byte[0]);
  }

  /** Docker's error answer: {@code {"message": ...}}. */
  void error(HttpResponseStatus status, String message) {
    send(status, "application/json", ApiErrors.body(message));
  }

  /** 501, naming what is not supported. */
  void unsupported(String what) {
    error(
        HttpResponseStatus.NOT_IMPLEMENTED,
        "the jstack engine does not support "
            + method()
            + " "
            + what
            + " yet; use --engine docker for this");
  }

  private void send(HttpResponseStatus status, @Nullable String type, byte[] bytes) {
    if (ctx.pipeline().get(Connection.HTTP) == null) {
      // A request that could have taken the connection over, answered plainly.
      Hijacked.answer(ctx.channel(), status, type, bytes);
      return;
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    if (type != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    }
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    r.headers().set("Api-Version", EngineServer.API_VERSION);
    headers.forEach(r.headers()::set);
    ctx.writeAndFlush(r);
  }

  /** Sends the head of a 200 answer whose body follows in chunks (a stream). */
  void startChunked(String contentType) {
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set("Api-Version", EngineServer.API_VERSION);
    headers.forEach(head.headers()::set);
    ctx.writeAndFlush(head);
  }

  /** Sends one chunk and waits until it is written (so a slow client slows the sender). */
  void chunk(ByteBuf bytes) {
    ctx.writeAndFlush(new DefaultHttpContent(bytes)).awaitUninterruptibly();
  }

  /** Sends one chunk without waiting for it. */
  void chunkLater(byte[] bytes) {
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
  }

  /** Ends a chunked answer. */
  void end() {
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** Whether the client is still connected. */
  boolean open() {
    return ctx.channel().isActive();
  }

  /** An output stream that sends what is written as chunks of up to 64 KiB. */
  OutputStream chunks() {
    return new OutputStream() {
      private final ByteBuf buffer = Unpooled.buffer(1 << 16);

      @Override
      public void write(int b) {
        buffer.writeByte(b);
        if (buffer.readableBytes() >= 1 << 16) {
          flush();
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        buffer.writeBytes(b, off, len);
        if (buffer.readableBytes() >= 1 << 16) {
          flush();
        }
      }

      @Override
      public void flush() {
        if (buffer.readableBytes() > 0) {
          chunk(buffer.copy());
          buffer.clear();
        }
      }

      private boolean closed;

      @Override
      public void close() {
        // Writers that close what they wrap (a tar stream) close it twice: the second is a no-op.
        if (!closed) {
          closed = true;
          flush();
          buffer.release();
        }
      }
    };
  }

  /** Writes a streamed JSON answer's values. */
  interface Emitter {
    void run(Consumer<JsonNode> out);
  }

  /** A streamed JSON answer (one object per line), ending with an error object on failure. */
  void streamJson(Emitter body) {
    startChunked("application/json");
    streamJsonFrom(body, true);
  }

  /**
   * A streamed JSON answer whose head goes with its first line: a failure before any line (a pull
   * of an image the registry lacks) is answered with its own status, as dockerd does.
   */
  void streamJsonOnceItBegins(Emitter body) {
    streamJsonFrom(body, false);
  }

  private void streamJsonFrom(Emitter body, boolean headSent) {
    boolean[] started = {headSent};
    Consumer<JsonNode> out =
        n -> {
          if (!started[0]) {
            started[0] = true;
            startChunked("application/json");
          }
          try {
            chunkLater((JSON.writeValueAsString(n) + "\r\n").getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    try {
      body.run(out);
    } catch (RuntimeException e) {
      if (!started[0]) {
        throw e;
      }
      ObjectNode err = JSON.createObjectNode();
      err.put("error", ApiErrors.message(e));
      err.putObject("errorDetail").put("message", ApiErrors.message(e));
      out.accept(err);
    }
    if (!started[0]) {
      startChunked("application/json");
    }
    end();
  }
}
