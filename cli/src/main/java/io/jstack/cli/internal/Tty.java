package io.jstack.cli.internal;

import io.jstack.engine.Stdio;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The user's terminal in raw mode while a container's pseudo-terminal takes it over ({@code exec},
 * {@code run}): keys go to the container unprocessed (Ctrl-C included), its output comes back as
 * is, and resizes follow the window ({@code SIGWINCH}). Closing it restores the terminal, as does
 * the end of the process.
 *
 * <p>The JDK cannot set terminal modes, so {@code stty} on {@code /dev/tty} does it.
 */
public final class Tty implements Stdio.Terminal, AutoCloseable {
  private static final Path DEVICE = Path.of("/dev/tty");
  private static final Size FALLBACK = new Size(24, 80);

  private final String saved;
  private final Thread restoreOnExit;
  private final List<Signals.Registration> resizes = new ArrayList<>();
  private boolean closed;

  private Tty(String saved) {
    this.saved = saved;
    this.restoreOnExit = new Thread(this::restore, "jstack-tty-restore");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
  }

  /**
   * The user's terminal, switched to raw mode; empty when jstack's input or output is not a
   * terminal.
   *
   * @throws IOException when the terminal's mode cannot be changed
   */
  public static Optional<Tty> raw() throws IOException {
    if (System.console() == null || !Files.isReadable(DEVICE)) {
      return Optional.empty();
    }
    String saved = stty("-g").strip();
    stty("raw", "-echo");
    return Optional.of(new Tty(saved));
  }

  @Override
  public Size size() {
    try {
      String[] rc = stty("size").strip().split("\\s+");
      return new Size(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
    } catch (IOException | RuntimeException e) {
      return FALLBACK;
    }
  }

  @Override
  public synchronized void onResize(Consumer<Size> listener) {
    resizes.add(Signals.handle(() -> listener.accept(size()), "WINCH"));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    resizes.forEach(Signals.Registration::close);
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreOnExit);
    } catch (IllegalStateException exiting) {
      // The hook is running or about to; it restores the same settings.
    }
  }

  private void restore() {
    try {
      stty(saved);
    } catch (IOException e) {
      System.err.println(
          "jstack: could not restore the terminal (" + e.getMessage() + "): run 'reset'");
    }
  }

  /** Runs {@code stty} on the controlling terminal and returns what it printed. */
  private static String stty(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("stty");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File(DEVICE.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("stty " + String.join(" ", args) + " failed on " + DEVICE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting the terminal", e);
    }
    return out;
  }
}
