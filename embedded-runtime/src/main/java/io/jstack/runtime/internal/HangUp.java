package io.jstack.runtime.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether the peer of a connected unix stream socket is gone, told apart from a peer that only
 * ended its writing half: the kernel reports {@code POLLHUP} once both halves are shut, which a
 * closed (or killed) peer's release does, and only {@code POLLRDHUP} for a half-close.
 */
public final class HangUp {
  private static final short POLLHUP = 0x10;
  private static final short POLLRDHUP = 0x2000;

  private interface LibC extends Library {
    int poll(byte[] fds, long count, int timeout) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private HangUp() {}

  /** Whether the socket {@code fd}'s peer closed its whole end; false when that cannot be told. */
  public static boolean peerGone(int fd) {
    ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
    pollfd.putInt(0, fd).putShort(4, POLLRDHUP);
    byte[] fds = pollfd.array();
    try {
      if (Holder.LIBC.poll(fds, 1, 0) <= 0) {
        return false;
      }
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return false;
    }
    short revents = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(6);
    return (revents & POLLHUP) != 0;
  }
}
