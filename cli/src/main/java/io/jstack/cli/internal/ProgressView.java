package io.jstack.cli.internal;

import io.jstack.compose.ProjectWriter;
import io.jstack.planner.Operation;
import io.jstack.planner.PlanEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How a run's progress is shown ({@code --progress}): a live view redrawn in place on a terminal,
 * plain lines elsewhere, JSON lines for programs, or nothing.
 */
public abstract class ProgressView implements Consumer<PlanEvent>, AutoCloseable {
  /** The {@code --progress} modes. */
  public enum Mode {
    auto,
    tty,
    plain,
    quiet,
    json
  }

  /**
   * The view {@code mode} names; {@code auto} is the live view only when {@code ansi} (escape codes
   * are wanted).
   */
  public static ProgressView of(Mode mode, boolean ansi, PrintWriter out) {
    Mode m = mode == Mode.auto ? (ansi ? Mode.tty : Mode.plain) : mode;
    return switch (m) {
      case tty -> new Live(out);
      case quiet ->
          new ProgressView() {
            @Override
            public void accept(PlanEvent e) {}
          };
      case json -> new Json(out);
      default ->
          new ProgressView() {
            private final Progress plain = new Progress(out);

            @Override
            public void accept(PlanEvent e) {
              plain.accept(e);
            }
          };
    };
  }

  /** Ends the view (the live one draws its last frame). */
  @Override
  public void close() {}

  /** One JSON object per event. */
  private static final class Json extends ProgressView {
    private final PrintWriter out;

    Json(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void accept(PlanEvent e) {
      Operation op = e.operation();
      Map<String, Object> m = new TreeMap<>();
      m.put("id", op.id());
      m.put("action", op.step().verb());
      m.put("target", op.step().target());
      m.put("service", op.service() == null ? "" : op.service());
      if (e instanceof PlanEvent.Started) {
        m.put("status", "started");
      } else if (e instanceof PlanEvent.Finished f) {
        m.put("status", f.skipped() == null ? "done" : "skipped");
        m.put("elapsed_ms", f.took().toMillis());
        if (f.skipped() != null) {
          m.put("reason", f.skipped());
        }
      } else if (e instanceof PlanEvent.Failed f) {
        m.put("status", "failed");
        m.put("elapsed_ms", f.took().toMillis());
        m.put("error", String.valueOf(f.cause().getMessage()));
      }
      out.println(ProjectWriter.jsonLine(m));
      out.flush();
    }
  }

  /**
   * One line per resource, redrawn in place ten times a second: a spinner while it works, its state
   * in Docker Compose's words and the time it took.
   */
  private static final class Live extends ProgressView {
    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private final PrintWriter out;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Thread ticker;
    private final long started = System.nanoTime();
    private int drawn;
    private int frame;
    private volatile boolean closed;

    private static final class Row {
      final String label;
      @Nullable String status;
      long since = System.nanoTime();
      long took = -1;
      boolean failed;

      Row(String label) {
        this.label = label;
      }
    }

    Live(PrintWriter out) {
      this.out = out;
      this.ticker =
          new Thread(
              () -> {
                while (!closed) {
                  draw();
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "jstack-progress");
      ticker.setDaemon(true);
      ticker.start();
    }

    @Override
    public synchronized void accept(PlanEvent e) {
      Operation op = e.operation();
      String[] words = Progress.words(op);
      String key = words[0] + " " + targetOf(op);
      Row row = rows.computeIfAbsent(key, k -> new Row(k));
      if (e instanceof PlanEvent.Started) {
        row.status = words[1];
        row.since = System.nanoTime();
        row.took = -1;
      } else if (e instanceof PlanEvent.Finished f) {
        row.status = f.skipped() == null ? words[2] : words[2] + " (" + f.skipped() + ")";
        row.took = System.nanoTime() - row.since;
      } else if (e instanceof PlanEvent.Failed f) {
        row.status = "Error: " + f.cause().getMessage();
        row.took = System.nanoTime() - row.since;
        row.failed = true;
      }
    }

    /** Renames end on the final name, so a recreated container stays on one line. */
    private static String targetOf(Operation op) {
      String t = op.step().target();
      int arrow = t.indexOf(" -> ");
      t = arrow < 0 ? t : t.substring(arrow + 4);
      int underscore = t.indexOf('_');
      if (op.step().verb().endsWith("container")
          && underscore == 12
          && t.substring(0, 12).matches("[0-9a-f]{12}")) {
        t = t.substring(13);
      }
      return t;
    }

    private synchronized void draw() {
      List<String> lines = new ArrayList<>();
      int done = 0;
      for (Row r : rows.values()) {
        if (r.took >= 0) {
          done++;
        }
      }
      double total = (System.nanoTime() - started) / 1e9;
      lines.add(
          String.format(
              "[+] Running %d/%d%s", done, rows.size(), String.format("%" + 20 + ".1fs", total)));
      int width = 0;
      for (String k : rows.keySet()) {
        width = Math.max(width, k.length());
      }
      for (Row r : rows.values()) {
        String mark = r.took >= 0 ? (r.failed ? "✘" : "✔") : SPINNER[frame % SPINNER.length];
        double secs = (r.took >= 0 ? r.took : System.nanoTime() - r.since) / 1e9;
        lines.add(
            String.format(" %s %-" + width + "s  %-12s %6.1fs", mark, r.label, r.status, secs));
      }
      StringBuilder sb = new StringBuilder();
      if (drawn > 0) {
        sb.append("\u001b[").append(drawn).append('A');
      }
      for (String l : lines) {
        sb.append("\u001b[2K").append(l).append('\n');
      }
      out.print(sb);
      out.flush();
      drawn = lines.size();
      frame++;
    }

    @Override
    public void close() {
      closed = true;
      ticker.interrupt();
      try {
        ticker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      draw();
    }
  }
}
