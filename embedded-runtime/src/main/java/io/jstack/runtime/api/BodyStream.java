package io.jstack.runtime.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A request body read as it arrives, with bounded memory: the connection stops reading while more
 * than {@link #HIGH} bytes wait, and reads again once the reader is below {@link #LOW}. Closing it
 * early throws the rest of the body away as it comes.
 */
final class BodyStream extends InputStream {
  static final int HIGH = 4 << 20;
  static final int LOW = 1 << 20;

  private final Channel channel;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long queued;
  private boolean ended;
  private boolean closed;
  private boolean paused;

  BodyStream(Channel channel) {
    this.channel = channel;
  }

  /** More of the body (from the event loop); the stream takes it over. */
  synchronized void offer(ByteBuf bytes) {
    if (closed || !bytes.isReadable()) {
      bytes.release();
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
    while (queue.isEmpty()) {
      if (ended || closed) {
        return -1;
      }
      try {
        wait();
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
