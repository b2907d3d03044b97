package io.jstack.runtime.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A request body read as it arrives, with bounded memory: the connection stops reading while more
 * than {@link #HIGH} bytes wait, and reads again once the reader is below {@link #LOW}. Closing it
 * early throws the rest of the body away as it comes. A body longer than its limit, or that sends
 * nothing for longer than its idle time, is {@linkplain #refusal refused}: its reader gets a {@link
 * Refused} and the rest is thrown away.
 */
final class BodyStream extends InputStream {
  static final int HIGH = 4 << 20;
  static final int LOW = 1 << 20;

  /** Why a body was given up, and the status that answers it. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final transient HttpResponseStatus status;

    Refused(HttpResponseStatus status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final Channel channel;
  private final long limit;
  private final long idleNanos;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long queued;
  private long total;
  private boolean ended;
  private boolean closed;
  private boolean paused;
  private @Nullable Refused refusal;

  /** A body without limits (tests of the flow control). */
  BodyStream(Channel channel) {
    this(channel, Long.MAX_VALUE, Duration.ofDays(365));
  }

  /** A body of at most {@code limit} bytes, none of its pauses longer than {@code idle}. */
  BodyStream(Channel channel, long limit, Duration idle) {
    this.channel = channel;
    this.limit = limit;
    this.idleNanos = idle.toNanos();
  }

  /** Why the body was given up, or null. */
  synchronized @Nullable Refused refusal() {
    return refusal;
  }

  /** More of the body (from the event loop); the stream takes it over. */
  synchronized void offer(ByteBuf bytes) {
    if (closed || refusal != null || !bytes.isReadable()) {
      bytes.release();
      return;
    }
    total += bytes.readableBytes();
    if (total > limit) {
      bytes.release();
      refuse(
          new Refused(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              "the request body is larger than the engine takes ("
                  + limit
                  + " bytes); send less, or in several requests"));
      return;
    }
    queue.add(bytes);
    queued += bytes.readableBytes();
    if (queued > HIGH && !paused) {
      paused = true;
      channel.config().setAutoRead(false);
    }
    notifyAll();
  }

  /** The body ended, or the connection went before it did. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long idleSince = System.nanoTime();
    while (queue.isEmpty()) {
      if (refusal != null) {
        throw refusal;
      }
      if (ended || closed) {
        return -1;
      }
      long left = idleNanos - (System.nanoTime() - idleSince);
      if (left <= 0) {
        refuse(
            new Refused(
                HttpResponseStatus.REQUEST_TIMEOUT,
                "the request body sent nothing for "
                    + Duration.ofNanos(idleNanos).toMillis()
                    + " ms; send it without pausing that long"));
        throw refusal;
      }
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted reading the request body");
      }
    }
    ByteBuf head = queue.peek();
    int n = Math.min(len, head.readableBytes());
    head.readBytes(b, off, n);
    queued -= n;
    if (!head.isReadable()) {
      queue.poll().release();
    }
    if (paused && queued < LOW) {
      paused = false;
      channel.config().setAutoRead(true);
    }
    return n;
  }

  /** Gives the body up for {@code why} (from the event loop: it cannot be read as HTTP). */
  synchronized void fail(Refused why) {
    if (refusal == null) {
      refuse(why);
    }
  }

  /** Gives the body up for {@code why}: what waits is thrown away, and so is what comes. */
  private void refuse(Refused why) {
    refusal = why;
    queue.forEach(ByteBuf::release);
    queue.clear();
    queued = 0;
    if (paused) {
      paused = false;
      channel.config().setAutoRead(true);
    }
    notifyAll();
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.forEach(ByteBuf::release);
    queue.clear();
    queued = 0;
    if (paused) {
      paused = false;
      channel.config().setAutoRead(true);
    }
    notifyAll();
  }
}
