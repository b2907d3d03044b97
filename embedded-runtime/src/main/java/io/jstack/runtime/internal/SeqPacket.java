package io.jstack.runtime.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A connected unix socket of the packet kind ({@code SOCK_SEQPACKET}), which the JDK cannot open:
 * conmon's attach socket is one. Each read returns one packet. Reached through {@code
 * /proc/self/fd}, so its path may be longer than a socket address holds.
 */
public final class SeqPacket implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_SEQPACKET = 5;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int O_PATH = 010000000;
  private static final int SHUT_WR = 1;
  private static final int EINTR = 4;

  private interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, byte[] address, int length) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private final int fd;
  private volatile boolean closed;

  private SeqPacket(int fd) {
    this.fd = fd;
  }

  /** Connects to the socket at {@code path}. */
  public static SeqPacket connect(Path path) throws IOException {
    LibC c = Holder.LIBC;
    int pathFd;
    try {
      pathFd = c.open(path.toString(), O_PATH | SOCK_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("cannot open " + path + ": " + NativeFs.strerror(e), e);
    }
    try {
      int fd = c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
      byte[] name = ("/proc/self/fd/" + pathFd).getBytes(StandardCharsets.US_ASCII);
      byte[] address = new byte[2 + 108];
      address[0] = AF_UNIX; // sun_family, little-endian
      System.arraycopy(name, 0, address, 2, name.length);
      try {
        c.connect(fd, address, 2 + name.length + 1);
      } catch (LastErrorException e) {
        c.close(fd);
        throw new IOException("cannot connect to " + path + ": " + NativeFs.strerror(e), e);
      }
      return new SeqPacket(fd);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a socket: " + NativeFs.strerror(e), e);
    } finally {
      c.close(pathFd);
    }
  }

  /** Reads one packet into {@code buffer}; its length, -1 when the other side is gone. */
  public int read(byte[] buffer) throws IOException {
    while (true) {
      try {
        long n = Holder.LIBC.read(fd, buffer, buffer.length);
        return n <= 0 ? -1 : (int) n;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == EINTR) {
          continue;
        }
        if (closed) {
          return -1;
        }
        throw new IOException("reading the attach socket: " + NativeFs.strerror(e), e);
      }
    }
  }

  /** Sends {@code length} bytes as one packet. */
  public void write(byte[] data, int offset, int length) throws IOException {
    byte[] packet = Arrays.copyOfRange(data, offset, offset + length);
    try {
      Holder.LIBC.write(fd, packet, packet.length);
    } catch (LastErrorException e) {
      throw new IOException("writing to the attach socket: " + NativeFs.strerror(e), e);
    }
  }

  /** Ends what this side sends (the other side reads the end); reading goes on. */
  public void shutdownOutput() {
    try {
      Holder.LIBC.shutdown(fd, SHUT_WR);
    } catch (LastErrorException gone) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        Holder.LIBC.close(fd);
      } catch (LastErrorException ignored) {
        // Closed already.
      }
    }
  }
}
