package io.jstack.runtime.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The time a request has to arrive, from its first byte to the end of its head (and of its body
 * when that is read whole): a client that trickles bytes is answered 408 and the connection ends,
 * instead of holding it, and its buffers, for as long as it likes. It sits in front of the HTTP
 * decoder and sees bytes; {@link Connection} tells it when a request is whole ({@link #received})
 * or its body streams ({@link #streaming}), which no deadline bounds. A connection at rest between
 * requests has none either. Everything runs on the channel's event loop.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
  /** Its name in the pipeline: a connection taken over removes it. */
  static final String NAME = "deadline";

  private enum State {
    AT_REST,
    ARRIVING,
    STREAMING
  }

  private final Duration timeout;
  private State state = State.AT_REST;
  private @Nullable ScheduledFuture<?> timer;

  RequestDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /** Whether a request is on its way (its first bytes came, not all of it). */
  boolean arriving() {
    return state == State.ARRIVING;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.AT_REST) {
      state = State.ARRIVING;
      timer = ctx.executor().schedule(() -> expire(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** The request that was arriving is whole: the next one's first byte starts its own deadline. */
  void received() {
    cancel();
    state = State.AT_REST;
  }

  /** The request that was arriving streams its body: it has no deadline until that ends. */
  void streaming() {
    cancel();
    state = State.STREAMING;
  }

  private void expire(ChannelHandlerContext ctx) {
    if (state != State.ARRIVING || !ctx.channel().isActive()) {
      return;
    }
    state = State.STREAMING;
    // Before the encoder: the answer goes out as bytes, and nothing more is read.
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(
            Unpooled.wrappedBuffer(
                ApiErrors.closingBytes(
                    HttpResponseStatus.REQUEST_TIMEOUT,
                    "the request did not arrive whole within "
                        + timeout.toMillis()
                        + " ms of its first byte; send each request at once")))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }
}
