package io.jstack.runtime.api;

import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One client connection: HTTP decoding, bodies (whole for JSON requests, streamed for uploads), and
 * each request answered on a worker thread of its own, so that a {@code wait} or a followed log
 * holds no one else up. Every failure is answered through {@link ApiErrors}.
 */
final class Connection {
  /** Handler names in the pipeline, which a connection taken over removes. */
  static final String HTTP = "http";

  static final String BODIES = "bodies";
  static final String AGGREGATE = "aggregate";
  static final String API = "api";

  private final Router router;
  private final ExecutorService workers;
  private final ServerLimits limits;
  private final RequestDeadline deadline;

  /** An answer that ends the connection once no request is in flight ({@link #refuse}). */
  private @Nullable Runnable refusal;

  /** When a request last came or was answered, for {@link #idleSince}. */
  private volatile long lastActive = System.nanoTime();

  /** Requests being answered on this connection, and whether its client ended its side. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private volatile boolean inputEnded;

  private Connection(Router router, ExecutorService workers, ServerLimits limits) {
    this.router = router;
    this.workers = workers;
    this.limits = limits;
    this.deadline = new RequestDeadline(limits.requestTimeout());
  }

  /**
   * Sets up {@code channel}'s pipeline to answer with {@code router}'s routes within {@code
   * limits}, and returns the connection.
   */
  static Connection install(
      Channel channel, Router router, ExecutorService workers, ServerLimits limits) {
    Connection c = new Connection(router, workers, limits);
    channel
        .pipeline()
        .addLast(RequestDeadline.NAME, c.deadline)
        .addLast(
            HTTP,
            new HttpServerCodec(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(limits.maxLine())
                    .setMaxHeaderSize(limits.maxHeaders())))
        .addLast(BODIES, c.new StreamedBodies())
        .addLast(AGGREGATE, new WholeBodies(limits.maxWholeBody()))
        .addLast(API, c.new WholeRequests());
    return c;
  }

  /**
   * Since when (in {@link System#nanoTime}) this connection has been at rest: no request in flight,
   * none arriving; {@link Long#MAX_VALUE} when it is busy.
   */
  long idleSince() {
    return inFlight.get() == 0 && !deadline.arriving() ? lastActive : Long.MAX_VALUE;
  }

  /**
   * The decoded path segments of {@code uri}, without the API version prefix.
   *
   * @throws IllegalArgumentException when a segment is not URL-encoded correctly, or decodes to
   *     control characters (no name or ID holds one)
   */
  static List<String> segments(String uri) {
    List<String> parts = new ArrayList<>();
    for (String s : uri.split("\\?", 2)[0].split("/")) {
      if (!s.isEmpty()) {
        String decoded;
        try {
          decoded = URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "the path segment " + s + " is not URL-encoded correctly (" + e.getMessage() + ")");
        }
        if (decoded.chars().anyMatch(Character::isISOControl)) {
          throw new IllegalArgumentException(
              "the path segment " + s + " holds control characters; no name or ID has them");
        }
        parts.add(decoded);
      }
    }
    if (!parts.isEmpty() && parts.get(0).matches("v\\d+\\.\\d+")) {
      parts.remove(0);
    }
    return parts;
  }

  private void inputShutdown(ChannelHandlerContext ctx) {
    // A plain HTTP client that ended its side gets its answers, then the connection ends; one that
    // is gone altogether (closed, killed) gets nothing more: a stream it followed (logs, events)
    // would otherwise be served to nobody, polling, until something new came to write.
    inputEnded = true;
    if (deadline.arriving() && inFlight.get() == 0) {
      // What the decoder could not make a request of (half a head, a body shorter than its
      // length): the client said all it will.
      refuse(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "the request ended before all of it came (the client closed its side within its head,"
              + " or before the body its length or chunks announce); send each request whole");
      return;
    }
    if (inFlight.get() == 0 || peerGone(ctx.channel())) {
      // After what is queued: a worker that just answered has its answer waiting as a task, which
      // this event may have come before.
      ctx.executor().execute(ctx::close);
    } else if (ctx.channel() instanceof io.netty.channel.epoll.EpollDomainSocketChannel) {
      watchPeer(ctx);
    }
  }

  /** Closes the connection once its half-closed peer is gone too, while answers are in flight. */
  private void watchPeer(ChannelHandlerContext ctx) {
    ctx.executor()
        .schedule(
            () -> {
              if (!ctx.channel().isActive() || inFlight.get() == 0) {
                return;
              }
              if (peerGone(ctx.channel())) {
                ctx.close();
              } else {
                watchPeer(ctx);
              }
            },
            500,
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static boolean peerGone(Channel ch) {
    return ch instanceof io.netty.channel.epoll.EpollDomainSocketChannel d
        && io.jstack.runtime.internal.HangUp.peerGone(d.fd().intValue());
  }

  /** Answers {@code head} on a worker thread; {@code done} runs after. */
  private void dispatch(
      ChannelHandlerContext ctx,
      HttpRequest head,
      Optional<Router.Match> match,
      InputStream body,
      boolean mayHijack,
      Runnable done) {
    inFlight.incrementAndGet();
    lastActive = System.nanoTime();
    workers.submit(
        () -> {
          Exchange x =
              new Exchange(
                  ctx,
                  head,
                  match.map(Router.Match::parameters).orElse(java.util.Map.of()),
                  new QueryStringDecoder(head.uri()),
                  body);
          try {
            if (match.isPresent()) {
              match.get().route().handler().handle(x);
            } else if (DockerPaths.isDockers(head.method(), segments(head.uri()))) {
              x.unsupported(head.uri().split("\\?", 2)[0]);
            } else {
              x.error(
                  HttpResponseStatus.NOT_FOUND,
                  "page not found: "
                      + head.method()
                      + " "
                      + head.uri().split("\\?", 2)[0]
                      + " is no endpoint of the Docker Engine API");
            }
          } catch (Exception e) {
            BodyStream.Refused refused = body instanceof BodyStream b ? b.refusal() : null;
            if (refused != null) {
              // The rest of its body is not read: the connection cannot carry another request.
              x.error(refused.status, ApiErrors.message(refused));
              ctx.close();
            } else {
              x.error(ApiErrors.status(e), ApiErrors.message(e));
            }
          } finally {
            done.run();
            lastActive = System.nanoTime();
            if (inFlight.decrementAndGet() == 0) {
              ctx.executor().execute(this::refuseOnceAnswered);
              if (inputEnded && !mayHijack) {
                ctx.close();
              }
            }
          }
        });
  }

  /**
   * Answers a request refused before any route saw it, and ends the connection: once the requests
   * in flight on it are answered (a client that sent more than its request's length sends the rest
   * as another request, while the first one's answer streams). Called on the event loop.
   */
  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
    deadline.streaming();
    ctx.channel().config().setAutoRead(false);
    refusal =
        () ->
            ctx.writeAndFlush(ApiErrors.closing(status, message))
                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    // Queued: after what workers that just answered queued themselves.
    ctx.executor().execute(() -> refuseOnceAnswered());
  }

  /** Sends the refusal waiting, if any, once no request is in flight (on the event loop). */
  private void refuseOnceAnswered() {
    Runnable r = refusal;
    if (r != null && inFlight.get() == 0) {
      refusal = null;
      r.run();
    }
  }

  /** The answer to a request the decoder could not read ({@code head.decoderResult()} failed). */
  private void refuseUndecoded(ChannelHandlerContext ctx, Throwable why) {
    if (why instanceof TooLongHttpLineException) {
      refuse(
          ctx,
          HttpResponseStatus.REQUEST_URI_TOO_LONG,
          "the request line is longer than "
              + limits.maxLine()
              + " bytes; shorten the path and query");
    } else if (why instanceof TooLongHttpHeaderException) {
      refuse(
          ctx,
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "the request headers are larger than "
              + limits.maxHeaders()
              + " bytes; send fewer or shorter headers");
    } else {
      refuse(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "malformed HTTP request ("
              + why.getMessage()
              + "); the engine speaks HTTP/1.1 as the Docker Engine API does");
    }
  }

  /**
   * Bodies read whole, past whose limit the request is answered 413 in Docker's error shape (the
   * aggregator's own answer has no body) and the connection ends.
   */
  private static final class WholeBodies extends HttpObjectAggregator {
    private final int limit;

    WholeBodies(int limit) {
      super(limit);
      this.limit = limit;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      ReferenceCountUtil.release(oversized);
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(
              ApiErrors.closing(
                  HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                  "the request body is larger than the engine reads whole ("
                      + limit
                      + " bytes); send a smaller JSON body"))
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Takes the requests of streamed routes before they are aggregated and answers them at once,
   * their body a {@link BodyStream}; passes every other request on.
   */
  private final class StreamedBodies extends ChannelInboundHandlerAdapter {
    private @Nullable BodyStream current;

    /** Whether the rest of what the client sends is thrown away (its request was refused). */
    private boolean discarding;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (discarding) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        if (current != null) {
          // Its route answers, as it reads the body: one answer on the connection.
          current.fail(
              new BodyStream.Refused(
                  HttpResponseStatus.BAD_REQUEST,
                  "the request body could not be read ("
                      + o.decoderResult().cause().getMessage()
                      + "); send it whole, with a Content-Length or in valid chunks"));
          current = null;
          return;
        }
        refuseUndecoded(ctx, o.decoderResult().cause());
        return;
      }
      if (current != null && msg instanceof HttpContent content) {
        current.offer(content.content().retain());
        if (content instanceof LastHttpContent) {
          current.end();
          current = null;
          deadline.received();
        }
        content.release();
        return;
      }
      if (msg instanceof HttpRequest head && !(msg instanceof FullHttpRequest)) {
        if (!head.protocolVersion().equals(HttpVersion.HTTP_1_1)
            && !head.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
          discarding = true;
          ReferenceCountUtil.release(msg);
          refuse(
              ctx,
              HttpResponseStatus.BAD_REQUEST,
              "the engine speaks HTTP/1.1 (or 1.0), not " + head.protocolVersion().text());
          return;
        }
        Optional<Router.Match> match;
        try {
          match = router.match(head.method(), segments(head.uri()));
        } catch (IllegalArgumentException e) {
          discarding = true;
          ReferenceCountUtil.release(msg);
          refuse(ctx, HttpResponseStatus.BAD_REQUEST, ApiErrors.message(e));
          return;
        }
        if (match.isPresent() && match.get().route().streamsBody()) {
          long declared = HttpUtil.getContentLength(head, -1L);
          if (declared > limits.maxStreamedBody()) {
            discarding = true;
            ReferenceCountUtil.release(msg);
            refuse(
                ctx,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "the request body is larger than the engine takes ("
                    + limits.maxStreamedBody()
                    + " bytes; this one says "
                    + declared
                    + "); send less, or in several requests");
            return;
          }
          deadline.streaming();
          if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            head.headers().remove(HttpHeaderNames.EXPECT);
          }
          BodyStream body =
              new BodyStream(ctx.channel(), limits.maxStreamedBody(), limits.bodyIdleTimeout());
          current = body;
          dispatch(ctx, head, match, body, false, body::close);
          if (msg instanceof HttpContent content) {
            channelRead(ctx, content);
          }
          return;
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent && current != null) {
        // The client said all it will before the body it announced was whole.
        current.fail(
            new BodyStream.Refused(
                HttpResponseStatus.BAD_REQUEST,
                "the request body ended before the length or chunks it announced; send it whole"));
        current = null;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (current != null) {
        current.end();
        current = null;
      }
      ctx.fireChannelInactive();
    }
  }

  /** Answers requests whose body was read whole. */
  private final class WholeRequests extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        inputShutdown(ctx);
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // What reaches here is the connection's own trouble (reset, broken pipe): nobody to answer.
      ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      deadline.received();
      Optional<Router.Match> match = router.match(req.method(), segments(req.uri()));
      req.retain();
      // Attach and exec take the connection over: nothing the client sends next is HTTP.
      boolean mayHijack =
          req.headers().contains(HttpHeaderNames.UPGRADE)
              || match.isPresent() && match.get().route().hijacks();
      if (mayHijack) {
        Hijacked.detach(ctx.channel());
      }
      dispatch(ctx, req, match, new ByteBufInputStream(req.content()), mayHijack, req::release);
    }
  }
}
