package io.jstack.cli.internal;

import io.jstack.compose.ProjectWriter;
import io.jstack.runtime.image.RegistryClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Shows a pull or push as Docker does: one line per layer. Plain lines print each change of state
 * (not every megabyte); the live view redraws the lines in place with byte counts; json prints
 * every report as a JSON object.
 */
public final class PullProgress implements Consumer<RegistryClient.Progress>, AutoCloseable {
  private final ProgressView.Mode mode;
  private final PrintWriter out;
  private final Map<String, String> rows = new LinkedHashMap<>();
  private final Map<String, String> last = new LinkedHashMap<>();
  private final long started = System.nanoTime();
  private int drawn;
  private long lastDraw;

  public PullProgress(ProgressView.Mode mode, boolean ansi, PrintWriter out) {
    this.mode =
        mode == ProgressView.Mode.auto
            ? (ansi ? ProgressView.Mode.tty : ProgressView.Mode.plain)
            : mode;
    this.out = out;
  }

  @Override
  public synchronized void accept(RegistryClient.Progress p) {
    switch (mode) {
      case quiet -> {}
      case json -> {
        Map<String, Object> m = new TreeMap<>();
        m.put("id", p.id());
        m.put("status", p.status());
        m.put("time_ms", (System.nanoTime() - started) / 1_000_000);
        if (p.total() >= 0 || p.current() >= 0) {
          m.put("current", p.current());
          m.put("total", p.total());
        }
        out.println(ProjectWriter.jsonLine(m));
        out.flush();
      }
      case tty -> {
        rows.put(
            p.id(),
            p.status()
                + (p.status().equals("Downloading") || p.status().equals("Pushing")
                    ? " " + bytes(p.current()) + (p.total() > 0 ? "/" + bytes(p.total()) : "")
                    : ""));
        long now = System.nanoTime();
        if (now - lastDraw > 100_000_000L || !p.status().endsWith("ing")) {
          draw();
          lastDraw = now;
        }
      }
      default -> {
        if (!p.status().equals(last.put(p.id(), p.status()))) {
          out.println(p.id() + ": " + p.status());
          out.flush();
        }
      }
    }
  }

  private void draw() {
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\u001b[").append(drawn).append('A');
    }
    for (Map.Entry<String, String> r : rows.entrySet()) {
      sb.append("\u001b[2K").append(r.getKey()).append(": ").append(r.getValue()).append('\n');
    }
    out.print(sb);
    out.flush();
    drawn = rows.size();
  }

  private static String bytes(long n) {
    return n < 0
        ? "?"
        : n < 1_000_000 ? String.format("%.1fkB", n / 1e3) : String.format("%.1fMB", n / 1e6);
  }

  @Override
  public synchronized void close() {
    if (mode == ProgressView.Mode.tty) {
      draw();
    }
  }
}
