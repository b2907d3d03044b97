package io.jstack.engine;

import java.io.InputStream;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Where a process's standard streams go when a caller attaches to it ({@code exec}, {@code run}).
 *
 * @param in what the process reads, or null to give it no input; its end closes the process's input
 * @param out where its standard output goes (and, with a terminal, everything it prints)
 * @param err where its standard error goes
 * @param terminal the caller's terminal when the process gets a pseudo-terminal, else null
 */
public record Stdio(
    @Nullable InputStream in, OutputStream out, OutputStream err, @Nullable Terminal terminal) {
  public Stdio {
    java.util.Objects.requireNonNull(out, "out");
    java.util.Objects.requireNonNull(err, "err");
  }

  /** The caller's terminal, as a process given a pseudo-terminal sees it. */
  public interface Terminal {
    /** Its current size. */
    Size size();

    /** Calls {@code listener} with the new size whenever the terminal is resized. */
    void onResize(java.util.function.Consumer<Size> listener);

    /** A terminal size in character cells. */
    record Size(int rows, int columns) {}
  }
}
