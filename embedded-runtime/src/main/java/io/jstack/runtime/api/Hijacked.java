package io.jstack.runtime.api;

import io.jstack.runtime.internal.Daemons;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A connection taken over after Docker's upgrade answer ({@code Upgrade: tcp}), as attach and exec
 * use it: raw bytes both ways. What the engine sends is either a process's terminal as it is, or
 * its streams multiplexed in frames ({@code [stream, 0, 0, 0, length]} then the bytes, 1 for stdout
 * and 2 for stderr); what the client sends goes to the process's input, which ends when the client
 * half-closes or goes.
 */
final class Hijacked implements AutoCloseable {
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
   * Takes the HTTP handlers (see {@link Connection}) off {@code ch} as a request that may take the
   * connection over arrives, and holds back whatever the client sent after it: those bytes are the
   * process's input, not HTTP, even when they came in the same read as the request. From then on
   * the request is answered either by {@link #take} or by {@link #answer}. Call on the channel's
   * event loop, from the {@code api} handler.
   */
  public static void detach(Channel ch) {
    // Reading goes on (the hold keeps what comes): toggling reads off and on again after the
    // client's half-close would make epoll drop the connection.
    ch.pipeline().replace(Connection.API, "hold", new Hold());
    // The process's input may pause as long as it likes.
    if (ch.pipeline().get(RequestDeadline.NAME) != null) {
      ch.pipeline().remove(RequestDeadline.NAME);
    }
    ch.pipeline().remove(Connection.AGGREGATE);
    ch.pipeline().remove(Connection.BODIES);
    // The decoder hands what it has not decoded yet to the next handler: the hold.
    ch.pipeline().remove(Connection.HTTP);
  }

  /**
   * Answers a detached request plainly (an error, or a start that detaches), then closes the
   * connection.
   */
  public static void answer(
      Channel ch, HttpResponseStatus status, @Nullable String contentType, byte[] body) {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(status.code())
            .append(' ')
            .append(status.reasonPhrase())
            .append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    ByteBuf b = Unpooled.buffer();
    b.writeCharSequence(head, java.nio.charset.StandardCharsets.US_ASCII);
    b.writeBytes(body);
    ch.writeAndFlush(b).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  /** What the client sent while held: its bytes, and whether it ended its side. */
  private static final class Hold extends ChannelInboundHandlerAdapter {
    private final java.util.List<Object> held = new java.util.ArrayList<>();
    private boolean inputEnded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      held.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        inputEnded = true;
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    void replay(Channel ch) {
      held.forEach(ch.pipeline()::fireChannelRead);
      held.clear();
      if (inputEnded) {
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      }
    }
  }

  /**
   * Answers a {@link #detach detached} request with an upgrade (or a plain 200 when it did not ask
   * for one) and takes the connection over: what the client sent since goes to {@code input}. The
   * connection must allow half-closure, so that a client that ends its input at once still gets the
   * output.
   *
   * @param input where the client's bytes go, closed when the client ends its side; null to drop
   *     them
   */
  public static Hijacked take(
      Channel ch, HttpRequest request, String contentType, @Nullable OutputStream input) {
    boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
    String head =
        (upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n")
            + "Content-Type: "
            + contentType
            + "\r\n"
            + (upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "")
            + "\r\n";
    ChannelPromise switched = ch.newPromise();
    ch.writeAndFlush(Unpooled.copiedBuffer(head, java.nio.charset.StandardCharsets.US_ASCII))
        .addListener(
            f -> {
              try {
                Hold hold = (Hold) ch.pipeline().get("hold");
                ch.pipeline().replace("hold", "raw", new Input(input));
                hold.replay(ch);
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
    private final @Nullable OutputStream sink;
    private final @Nullable ExecutorService writer;
    private final AtomicBoolean ended = new AtomicBoolean();

    Input(@Nullable OutputStream sink) {
      this.sink = sink;
      this.writer =
          sink == null
              ? null
              : Executors.newSingleThreadExecutor(Daemons.named("jstack-engine-input"));
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
      // (Once the client has ended its side nothing more comes, and reads are left alone.)
      boolean throttle = !((io.netty.channel.socket.DuplexChannel) ctx.channel()).isInputShutdown();
      if (throttle) {
        ctx.channel().config().setAutoRead(false);
      }
      java.util.Objects.requireNonNull(writer, "bytes for no process")
          .execute(
              () -> {
                try {
                  sink.write(bytes);
                  sink.flush();
                } catch (IOException gone) {
                  // The process stopped reading; the rest is dropped.
                } finally {
                  if (throttle) {
                    ctx.channel()
                        .eventLoop()
                        .execute(
                            () -> {
                              if (!((io.netty.channel.socket.DuplexChannel) ctx.channel())
                                  .isInputShutdown()) {
                                ctx.channel().config().setAutoRead(true);
                              }
                            });
                  }
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
        java.util.Objects.requireNonNull(writer, "a sink has a writer")
            .execute(
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
