package io.jstack.runtime.container;

import io.jstack.runtime.internal.NativeFs;
import io.jstack.runtime.internal.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A process started in a running container besides its own ({@code exec}): the runtime's {@code
 * exec} in the foreground, whose exit code is the process's. Without a terminal its standard
 * streams are pipes to it; with one, a host pseudo-terminal, whose size goes to the container's
 * terminal too.
 */
public final class ExecProcess {
  private static final int SIGWINCH = 28;

  private final Process runtime;
  private final @Nullable Pty pty;
  private final java.nio.file.Path pidFile;
  private final java.util.List<java.nio.file.Path> files;

  /**
   * @param files the runtime's files for it, its pid file first: removed on {@link #release}
   */
  ExecProcess(Process runtime, @Nullable Pty pty, java.util.List<java.nio.file.Path> files) {
    this.runtime = runtime;
    this.pty = pty;
    this.pidFile = files.get(0);
    this.files = files;
  }

  /** Whether it has a terminal (then its output and errors are one stream). */
  public boolean tty() {
    return pty != null;
  }

  /** What it writes to its standard output (with a terminal: everything it shows). */
  public InputStream output() {
    if (pty == null) {
      return runtime.getInputStream();
    }
    return new InputStream() {
      private final byte[] one = new byte[1];

      @Override
      public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return pty.read(b, off, len);
      }
    };
  }

  /** What it writes to its standard error; empty with a terminal. */
  public InputStream errors() {
    return pty == null ? runtime.getErrorStream() : InputStream.nullInputStream();
  }

  /** Its standard input; closing it ends the input (without a terminal). */
  public OutputStream input() {
    if (pty == null) {
      return runtime.getOutputStream();
    }
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        pty.write(b, off, len);
      }
    };
  }

  /** Resizes its terminal; nothing without one. */
  public void resize(int rows, int columns) throws IOException {
    if (pty != null) {
      pty.resize(rows, columns);
      if (runtime.isAlive()) {
        NativeFs.kill(runtime.pid(), SIGWINCH);
        // runc copies the new size to the container's terminal on SIGWINCH; crun 1.8 does not, so
        // the size is set on that terminal itself, the exec'd process's input.
        try {
          String pid = java.nio.file.Files.readString(pidFile).strip();
          Path inner = Path.of("/proc", pid, "fd", "0");
          if (!pid.isEmpty() && java.nio.file.Files.exists(inner)) {
            Pty.resize(inner, rows, columns);
          }
        } catch (IOException | java.io.UncheckedIOException gone) {
          // Ended meanwhile: nothing to resize.
        }
      }
    }
  }

  /** Waits up to {@code timeout} for it to end; its exit code (128 + signal if killed). */
  public OptionalInt waitFor(Duration timeout) throws InterruptedException {
    if (!runtime.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.empty();
    }
    int code = runtime.exitValue();
    // The runtime fails with 255 when the process cannot start (most often: no such program);
    // Docker (since 23.0) answers 127 then, as a shell does.
    return OptionalInt.of(code == 255 && !started() ? 127 : code);
  }

  /** Whether the process started in the container (the runtime wrote its pid). */
  private boolean started() {
    try {
      return !java.nio.file.Files.readString(pidFile).isBlank();
    } catch (IOException notWritten) {
      return false;
    }
  }

  /** The runtime process's pid on the host. */
  public long pid() {
    return runtime.pid();
  }

  /**
   * Kills it, if it still runs: the runtime's {@code exec} passes the signal on to the process in
   * the container.
   */
  public void kill() {
    try {
      String pid = java.nio.file.Files.readString(pidFile).strip();
      if (!pid.isEmpty() && runtime.isAlive()) {
        NativeFs.kill(Long.parseLong(pid), 9);
      }
    } catch (IOException | NumberFormatException notStarted) {
      // No process in the container yet: ending the runtime's exec is enough.
    }
    runtime.destroyForcibly();
  }

  /** Releases its terminal, once its output has been read to the end. */
  public void release() {
    if (pty != null) {
      pty.close();
    }
    for (java.nio.file.Path f : files) {
      try {
        java.nio.file.Files.deleteIfExists(f);
      } catch (IOException ignored) {
        // A stale file in the container's directory goes with the container.
      }
    }
  }
}
