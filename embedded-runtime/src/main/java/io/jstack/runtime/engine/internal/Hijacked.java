package io.jstack.runtime.engine.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection taken over after Docker's upgrade answer ({@code Upgrade: tcp}), as attach and exec
 * use it: raw bytes both ways. What the engine sends is either a process's terminal as it is, or
 * its streams multiplexed in frames ({@code [stream, 0, 0, 0, length]} then the bytes, 1 for stdout
 * and 2 for stderr); what the client sends goes to the process's input, which ends when the client
 * half-closes or goes.
 */
public final class Hijacked implements AutoCloseable {
  /** Docker's content type for a terminal's bytes. */
  public static final String RAW = "application/vnd.docker.raw-stream";

  /** Docker's content type for framed stdout and stderr. */
  public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

  /** Frame stream numbers; {@link #TERMINAL} sends bytes unframed. */
  public static final int TERMINAL = 0;

  public static final int STDOUT = 1;
  public static final int STDERR = 2;

  private final Channel channel;

  private Hijacked(Channel channel) {
    this.channel = channel;
  }

  /**
   * Answers {@code request} with an upgrade (or a plain 200 when it did not ask for one) and takes
   * the connection over, replacing the pipeline's HTTP handlers ({@code http}, {@code aggregate}
   * and {@code api}). The connection should have stopped reading when the request came, so that
   * nothing the client sent after it is taken for HTTP.
   *
   * @param input where the client's bytes go, closed when the client ends its side; null to drop
   *     them
   */
  public static Hijacked take(
      ChannelHandlerContext ctx, HttpRequest request, String contentType, OutputStream input) {
    boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
    DefaultHttpResponse head =
        new DefaultHttpResponse(
            HttpVersion.HTTP_1_1,
            upgrade ? HttpResponseStatus.SWITCHING_PROTOCOLS : HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    if (upgrade) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      head.headers().set(HttpHeaderNames.UPGRADE, "tcp");
    }
    Channel ch = ctx.channel();
    ChannelPromise switched = ch.newPromise();
    ctx.writeAndFlush(head)
        .addListener(
            f -> {
              try {
                // The input handler first: removing the decoder hands it any bytes already read.
                ch.pipeline().replace("api", "raw", new Input(input));
                ch.pipeline().remove("aggregate");
                ch.pipeline().remove("http");
                ((DuplexChannelConfig) ch.config()).setAllowHalfClosure(true);
                ch.config().setAutoRead(true);
                switched.setSuccess();
              } catch (RuntimeException e) {
                switched.setFailure(e);
              }
            });
    switched.awaitUninterruptibly();
    return new Hijacked(ch);
  }

  /** Whether the client is still there. */
  public boolean open() {
    return channel.isActive();
  }

  /**
   * Sends {@code length} bytes as {@code stream} ({@link #TERMINAL}, {@link #STDOUT} or {@link
   * #STDERR}); waits until they are written. Gone clients are ignored.
   */
  public void send(int stream, byte[] bytes, int offset, int length) {
    if (!channel.isActive()) {
      return;
    }
    ByteBuf b = Unpooled.buffer(length + (stream == TERMINAL ? 0 : 8));
    if (stream != TERMINAL) {
      b.writeByte(stream).writeByte(0).writeByte(0).writeByte(0).writeInt(length);
    }
    b.writeBytes(bytes, offset, length);
    channel.writeAndFlush(b).awaitUninterruptibly();
  }

  /** Sends everything {@code in} gives as {@code stream}, until it ends. */
  public void copy(InputStream in, int stream) {
    byte[] buffer = new byte[32 << 10];
    try (in) {
      for (int n = in.read(buffer, 0, buffer.length);
          n >= 0;
          n = in.read(buffer, 0, buffer.length)) {
        send(stream, buffer, 0, n);
      }
    } catch (IOException ended) {
      // The process's side is closed: nothing more comes.
    }
  }

  /** Ends the connection. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
  }

  /** Passes the client's bytes to the process's input, off the event loop, in order. */
  private static final class Input extends ChannelInboundHandlerAdapter {
    private final OutputStream sink;
    private final ExecutorService writer;
    private final AtomicBoolean ended = new AtomicBoolean();

    Input(OutputStream sink) {
      this.sink = sink;
      this.writer =
          sink == null
              ? null
              : Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "jstack-engine-input");
                    t.setDaemon(true);
                    return t;
                  });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf b)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      if (sink == null || ended.get()) {
        return;
      }
      // Read no more until the process took these: a slow reader slows the client, not memory.
      ctx.channel().config().setAutoRead(false);
      writer.execute(
          () -> {
            try {
              sink.write(bytes);
              sink.flush();
            } catch (IOException gone) {
              // The process stopped reading; the rest is dropped.
            } finally {
              ctx.channel().config().setAutoRead(true);
            }
          });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        end();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end();
      ctx.fireChannelInactive();
    }

    private void end() {
      if (sink != null && ended.compareAndSet(false, true)) {
        writer.execute(
            () -> {
              try {
                sink.close();
              } catch (IOException ignored) {
                // Closed already.
              }
            });
        writer.shutdown();
      }
    }
  }
}
