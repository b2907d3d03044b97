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
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
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

  /** The largest body read whole (JSON requests); uploads are streamed and have no limit. */
  static final int MAX_WHOLE_BODY = 16 << 20;

  private final Router router;
  private final ExecutorService workers;

  /** Requests being answered on this connection, and whether its client ended its side. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private volatile boolean inputEnded;

  private Connection(Router router, ExecutorService workers) {
    this.router = router;
    this.workers = workers;
  }

  /** Sets up {@code channel}'s pipeline to answer with {@code router}'s routes. */
  static void install(Channel channel, Router router, ExecutorService workers) {
    Connection c = new Connection(router, workers);
    channel
        .pipeline()
        .addLast(HTTP, new HttpServerCodec())
        .addLast(BODIES, c.new StreamedBodies())
        .addLast(AGGREGATE, new HttpObjectAggregator(MAX_WHOLE_BODY))
        .addLast(API, c.new WholeRequests());
  }

  /** The decoded path segments of {@code uri}, without the API version prefix. */
  static List<String> segments(String uri) {
    List<String> parts = new ArrayList<>();
    for (String s : uri.split("\\?", 2)[0].split("/")) {
      if (!s.isEmpty()) {
        parts.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
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
    if (inFlight.get() == 0 || peerGone(ctx.channel())) {
      ctx.close();
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
            } else {
              x.unsupported(head.uri().split("\\?", 2)[0]);
            }
          } catch (Exception e) {
            x.error(ApiErrors.status(e), ApiErrors.message(e));
          } finally {
            done.run();
            if (inFlight.decrementAndGet() == 0 && inputEnded && !mayHijack) {
              ctx.close();
            }
          }
        });
  }

  /**
   * Takes the requests of streamed routes before they are aggregated and answers them at once,
   * their body a {@link BodyStream}; passes every other request on.
   */
  private final class StreamedBodies extends ChannelInboundHandlerAdapter {
    private @Nullable BodyStream current;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (current != null && msg instanceof HttpContent content) {
        current.offer(content.content().retain());
        if (content instanceof LastHttpContent) {
          current.end();
          current = null;
        }
        content.release();
        return;
      }
      if (msg instanceof HttpRequest head && !(msg instanceof FullHttpRequest)) {
        Optional<Router.Match> match = router.match(head.method(), segments(head.uri()));
        if (match.isPresent() && match.get().route().streamsBody()) {
          if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            head.headers().remove(HttpHeaderNames.EXPECT);
          }
          BodyStream body = new BodyStream(ctx.channel());
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
        current.end();
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
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      req.retain();
      Optional<Router.Match> match = router.match(req.method(), segments(req.uri()));
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
