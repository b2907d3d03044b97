package io.jstack.runtime.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A pseudo-terminal pair on the host, made through libc: jstack keeps the master and hands the
 * slave (by its path) to a child process as its standard streams. The slave starts in raw mode, so
 * bytes pass through it unchanged; the terminal the user sees is the container's own.
 */
public final class Pty implements AutoCloseable {
  private static final int O_RDWR = 02;
  private static final int O_NOCTTY = 0400;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int EIO = 5;
  private static final int EINTR = 4;

  private interface LibC extends Library {
    int posix_openpt(int flags) throws LastErrorException;

    int grantpt(int fd) throws LastErrorException;

    int unlockpt(int fd) throws LastErrorException;

    int ptsname_r(int fd, byte[] buf, long len) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int tcgetattr(int fd, byte[] termios) throws LastErrorException;

    int tcsetattr(int fd, int when, byte[] termios) throws LastErrorException;

    void cfmakeraw(byte[] termios);

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int ioctl(int fd, long request, short[] winsize) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private final int master;
  private final Path slave;
  private volatile boolean closed;

  private Pty(int master, Path slave) {
    this.master = master;
    this.slave = slave;
  }

  /** Opens a new pair, its slave in raw mode and {@code rows} × {@code columns} large. */
  public static Pty open(int rows, int columns) throws IOException {
    LibC c = Holder.LIBC;
    int master;
    try {
      master = c.posix_openpt(O_RDWR | O_NOCTTY);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a pseudo-terminal: " + NativeFs.strerror(e), e);
    }
    Pty pty = null;
    try {
      c.grantpt(master);
      c.unlockpt(master);
      byte[] name = new byte[128];
      c.ptsname_r(master, name, name.length);
      int end = 0;
      while (end < name.length && name[end] != 0) {
        end++;
      }
      pty =
          new Pty(
              master, Path.of(new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8)));
      // Never this process's controlling terminal; raw before anyone writes to it.
      int slave = c.open(pty.slave.toString(), O_RDWR | O_NOCTTY);
      try {
        byte[] termios = new byte[128];
        c.tcgetattr(slave, termios);
        c.cfmakeraw(termios);
        c.tcsetattr(slave, 0, termios);
      } finally {
        c.close(slave);
      }
      pty.resize(rows, columns);
      return pty;
    } catch (LastErrorException e) {
      if (pty == null) {
        c.close(master);
      } else {
        pty.close();
      }
      throw new IOException("cannot set up a pseudo-terminal: " + NativeFs.strerror(e), e);
    }
  }

  /** The slave's path, for a child process to open. */
  public Path slave() {
    return slave;
  }

  /** Sets the terminal's size (the child learns it with {@code SIGWINCH}, if it asks). */
  public void resize(int rows, int columns) throws IOException {
    if (rows <= 0 || columns <= 0) {
      return;
    }
    try {
      Holder.LIBC.ioctl(master, TIOCSWINSZ, new short[] {(short) rows, (short) columns, 0, 0});
    } catch (LastErrorException e) {
      throw new IOException("cannot resize the terminal: " + NativeFs.strerror(e), e);
    }
  }

  /**
   * Sets the size of the terminal {@code device} (a process's {@code /proc/<pid>/fd/0}, say); its
   * foreground process group learns it with {@code SIGWINCH}.
   */
  public static void resize(Path device, int rows, int columns) throws IOException {
    if (rows <= 0 || columns <= 0) {
      return;
    }
    int fd;
    try {
      fd = Holder.LIBC.open(device.toString(), O_RDWR | O_NOCTTY);
    } catch (LastErrorException e) {
      throw new IOException("cannot open the terminal " + device + ": " + NativeFs.strerror(e), e);
    }
    try {
      Holder.LIBC.ioctl(fd, TIOCSWINSZ, new short[] {(short) rows, (short) columns, 0, 0});
    } catch (LastErrorException e) {
      throw new IOException(
          "cannot resize the terminal " + device + ": " + NativeFs.strerror(e), e);
    } finally {
      try {
        Holder.LIBC.close(fd);
      } catch (LastErrorException ignored) {
        // Nothing was written.
      }
    }
  }

  /**
   * Reads what the child wrote; blocks until something comes. -1 once every slave side is closed.
   */
  public int read(byte[] b, int off, int len) throws IOException {
    byte[] buffer = off == 0 ? b : new byte[len];
    while (true) {
      try {
        long n = Holder.LIBC.read(master, buffer, len);
        if (n > 0 && buffer != b) {
          System.arraycopy(buffer, 0, b, off, (int) n);
        }
        return n <= 0 ? -1 : (int) n;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == EINTR) {
          continue;
        }
        if (e.getErrorCode() == EIO || closed) {
          return -1;
        }
        throw new IOException("reading the terminal: " + NativeFs.strerror(e), e);
      }
    }
  }

  /** Writes to the child's input. */
  public void write(byte[] data, int offset, int length) throws IOException {
    byte[] rest = Arrays.copyOfRange(data, offset, offset + length);
    int done = 0;
    while (done < rest.length) {
      try {
        byte[] chunk = done == 0 ? rest : Arrays.copyOfRange(rest, done, rest.length);
        done += (int) Holder.LIBC.write(master, chunk, chunk.length);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new IOException("writing to the terminal: " + NativeFs.strerror(e), e);
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        Holder.LIBC.close(master);
      } catch (LastErrorException ignored) {
        // Closed already.
      }
    }
  }
}
