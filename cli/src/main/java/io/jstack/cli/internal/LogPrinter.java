package io.jstack.cli.internal;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.planner.ComposeLabels;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Prints containers' output with Docker Compose's aligned, coloured prefixes: {@code web-1 | }. */
public final class LogPrinter {
  private static final String[] COLORS = {
    "36", "33", "32", "35", "34", "31", "96", "93", "92", "95", "94", "91"
  };

  private final PrintWriter out;
  private final boolean color;
  private final boolean prefix;
  private final boolean timestamps;

  private LogPrinter(PrintWriter out, boolean color, boolean prefix, boolean timestamps) {
    this.out = out;
    this.color = color;
    this.prefix = prefix;
    this.timestamps = timestamps;
  }

  /** {@code --ansi}: when to use colours and the live view. */
  public enum Ansi {
    auto,
    never,
    always;

    /**
     * Whether escape codes are wanted: always, never, or on a {@code terminal} without NO_COLOR in
     * {@code env}.
     */
    public boolean enabled(boolean terminal, java.util.Map<String, String> env) {
      return this == always || this == auto && terminal && env.get("NO_COLOR") == null;
    }
  }

  /** A printer colouring when {@code ansi} (escape codes are wanted) and not {@code noColor}. */
  public static LogPrinter forTerminal(
      PrintWriter out, boolean ansi, boolean noColor, boolean noPrefix, boolean timestamps) {
    return new LogPrinter(out, ansi && !noColor, !noPrefix, timestamps);
  }

  /** {@code web-1} for {@code demo-web-1}; a custom container name stays as it is. */
  public static String shortName(ContainerInfo c) {
    String project = c.label(ComposeLabels.PROJECT);
    String name = c.name();
    return project != null && name.startsWith(project + "-")
        ? name.substring(project.length() + 1)
        : name;
  }

  private List<String> prefixes(List<ContainerInfo> containers) {
    int width = 0;
    for (ContainerInfo c : containers) {
      width = Math.max(width, shortName(c).length());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      out.add(prefix(shortName(containers.get(i)), i, width));
    }
    return out;
  }

  /**
   * The prefix of a line from {@code name}, padded to {@code width}, in the colour of the {@code
   * index}th source when colouring.
   */
  public String prefix(String name, int index, int width) {
    String p = String.format("%-" + width + "s  | ", name);
    return color ? "\u001b[" + COLORS[index % COLORS.length] + "m" + p + "\u001b[0m" : p;
  }

  /** Prints {@code line} after {@code prefix} (unless prefixes are off), safe from any thread. */
  public void println(String prefix, LogStream.Line line) {
    print(prefix, line);
  }

  /**
   * Prints what the containers printed, all of it (no following), merged by the engine's times of
   * the lines: lines of several services read in the order they happened, lines of one time in the
   * containers' order, each container's own lines in their order. For several containers the engine
   * is asked for the times whether or not they are shown.
   */
  public void print(Engine engine, List<ContainerInfo> containers, LogStream.Options options) {
    List<String> prefixes = prefixes(containers);
    // One container's lines need no merging: the engine is asked for times only when they are
    // shown (a line printed in parts then reads as without them, whole).
    LogStream.Options timed =
        new LogStream.Options(
            false,
            options.tail(),
            options.since(),
            options.until(),
            options.timestamps() || containers.size() > 1);
    List<LogStream> streams = new ArrayList<>();
    try {
      java.util.PriorityQueue<Head> heads = new java.util.PriorityQueue<>();
      for (int i = 0; i < containers.size(); i++) {
        LogStream s;
        try {
          s = engine.logs(containers.get(i).id(), timed);
        } catch (EngineException.NotFound gone) {
          continue; // Removed meanwhile: nothing left to print.
        }
        streams.add(s);
        Head first = Head.next(s, i, Instant.MIN);
        if (first != null) {
          heads.add(first);
        }
      }
      for (Head h; (h = heads.poll()) != null; ) {
        print(prefixes.get(h.container), h.line);
        Head next = Head.next(h.stream, h.container, h.time);
        if (next != null) {
          heads.add(next);
        }
      }
    } finally {
      for (LogStream s : streams) {
        try {
          s.close();
        } catch (RuntimeException ignored) {
          // Read to its end, or gone with its container.
        }
      }
    }
    out.flush();
  }

  /**
   * The next line of one container's stream, with the time it is ordered by: its own, else (a line
   * the engine gave no time) the time of the line before it.
   */
  private record Head(LogStream stream, int container, Instant time, LogStream.Line line)
      implements Comparable<Head> {
    static @Nullable Head next(LogStream stream, int container, Instant previous) {
      LogStream.Line line;
      try {
        line = stream.next();
      } catch (EngineException.NotFound gone) {
        return null;
      }
      if (line == null) {
        return null;
      }
      Instant time = previous;
      if (line.timestamp() != null) {
        try {
          time = java.time.OffsetDateTime.parse(line.timestamp()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
          // Ordered as the line before it.
        }
      }
      return new Head(stream, container, time, line);
    }

    @Override
    public int compareTo(Head o) {
      int byTime = time.compareTo(o.time);
      return byTime != 0 ? byTime : Integer.compare(container, o.container);
    }
  }

  /**
   * Follows every container's output at once until all of them stop, interleaving lines as they
   * come.
   */
  public void follow(
      Engine engine,
      List<ContainerInfo> containers,
      @Nullable String since,
      @Nullable String until,
      @Nullable Integer tail)
      throws InterruptedException {
    follow(engine, containers, since, until, tail, c -> {});
  }

  /**
   * As {@link #follow(Engine, List, String, String, Integer)}, telling {@code ended} about each
   * container whose output ends.
   */
  public void follow(
      Engine engine,
      List<ContainerInfo> containers,
      @Nullable String since,
      @Nullable String until,
      @Nullable Integer tail,
      java.util.function.Consumer<ContainerInfo> ended)
      throws InterruptedException {
    List<String> prefixes = prefixes(containers);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      ContainerInfo c = containers.get(i);
      String p = prefixes.get(i);
      Thread t =
          new Thread(
              () -> {
                try (LogStream s =
                    engine.logs(
                        c.id(), new LogStream.Options(true, tail, since, until, timestamps))) {
                  LogStream.Line line;
                  while ((line = s.next()) != null) {
                    print(p, line);
                  }
                } catch (EngineException e) {
                  // The container went away or the engine closed the stream: this follower ends.
                }
                ended.accept(c);
              },
              "logs-" + c.name());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    out.flush();
  }

  /**
   * Follows {@code containers} and, as long as it runs, every container of the project that starts
   * later and that {@code wanted} accepts; it returns only when the thread is interrupted or the
   * engine's event stream ends (Ctrl-C ends the process before that).
   */
  public void followProject(
      Engine engine,
      String project,
      List<ContainerInfo> containers,
      java.util.function.Predicate<ContainerInfo> wanted,
      @Nullable String since,
      @Nullable Integer tail) {
    java.util.Set<String> followed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // The time of the last line printed of each container: its next run is followed from after it.
    java.util.Map<String, java.time.Instant> lastPrinted =
        new java.util.concurrent.ConcurrentHashMap<>();
    int[] width = {0};
    for (ContainerInfo c : containers) {
      width[0] = Math.max(width[0], shortName(c).length());
    }
    // A container seen again (a restart) is followed from the moment it started, not replayed.
    java.util.function.BiConsumer<ContainerInfo, String> start =
        (c, from) -> {
          if (!followed.add(c.id())) {
            return;
          }
          width[0] = Math.max(width[0], shortName(c).length());
          String p = String.format("%-" + width[0] + "s  | ", shortName(c));
          String prefixText =
              color
                  ? "\u001b["
                      + COLORS[(followed.size() - 1) % COLORS.length]
                      + "m"
                      + p
                      + "\u001b[0m"
                  : p;
          Thread f =
              new Thread(
                  () -> {
                    try (LogStream s =
                        engine.logs(
                            c.id(),
                            new LogStream.Options(
                                true,
                                from == null ? tail : null,
                                from == null ? since : from,
                                null,
                                true))) {
                      for (LogStream.Line line = s.next(); line != null; line = s.next()) {
                        String at = line.timestamp();
                        if (at != null) {
                          try {
                            lastPrinted.put(c.id(), java.time.Instant.parse(at));
                          } catch (java.time.format.DateTimeParseException e) {
                            // Not a time: its next run is followed from its start event.
                          }
                        }
                        print(prefixText, line);
                      }
                    } catch (EngineException e) {
                      // Gone, or the stream closed: this follower ends.
                    }
                    followed.remove(c.id());
                  },
                  "logs-" + c.name());
          f.setDaemon(true);
          f.start();
        };
    try (io.jstack.engine.EventStream events =
        engine.events(java.util.Map.of(io.jstack.planner.ComposeLabels.PROJECT, project))) {
      containers.forEach(c -> start.accept(c, null));
      for (io.jstack.engine.EventStream.Event e = events.next(); e != null; e = events.next()) {
        if (e.type().equals("container") && e.action().equals("start")) {
          // A container followed before goes on after the last line printed of it, to the
          // nanosecond (its last lines may share the second its restart began in); a new one
          // from the second of its start.
          java.time.Instant last = lastPrinted.get(e.id());
          java.time.Instant after = last == null ? null : last.plusNanos(1);
          String from =
              after == null
                  ? Long.toString(e.time().getEpochSecond())
                  : after.getEpochSecond() + String.format(".%09d", after.getNano());
          engine.container(e.id()).filter(wanted).ifPresent(c -> start.accept(c, from));
        }
      }
    }
  }

  private void print(String p, LogStream.Line line) {
    StringBuilder sb = new StringBuilder();
    if (prefix) {
      sb.append(p);
    }
    if (timestamps && line.timestamp() != null) {
      sb.append(line.timestamp()).append(' ');
    }
    sb.append(line.text());
    synchronized (out) {
      out.println(sb);
      out.flush();
    }
  }
}
