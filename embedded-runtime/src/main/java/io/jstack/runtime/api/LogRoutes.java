package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.internal.SeqPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A container's output: {@code GET /containers/{id}/logs} from conmon's log file, and {@code POST
 * /containers/{id}/attach} (the log as it grows, or the console of a container with a terminal or
 * an open input).
 */
final class LogRoutes {
  private final LogService engine;

  LogRoutes(LogService engine) {
    this.engine = engine;
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/containers/{id}/logs", this::logs)
        .addHijacking(HttpMethod.POST, "/containers/{id}/attach", this::attach);
  }

  private void logs(Exchange x) {
    Container c = engine.require(x.path("id"));
    boolean follow = x.flag("follow");
    boolean timestamps = x.flag("timestamps");
    boolean stdout = x.flag("stdout", true);
    boolean stderr = x.flag("stderr", true);
    Instant since = x.time("since");
    Instant until = x.time("until");
    String tailParam = x.param("tail");
    int tail = tailParam == null || tailParam.equals("all") ? -1 : Integer.parseInt(tailParam);
    x.startChunked(Hijacked.MULTIPLEXED);
    String id = c.record().id();
    Path file = engine.logFile(id);
    Consumer<String> send =
        l -> {
          Frame f = Frame.of(l, stdout, stderr, timestamps, since, until);
          if (f != null) {
            ByteBuf b = Unpooled.buffer(8 + f.payload().length);
            b.writeByte(f.stream()).writeByte(0).writeByte(0).writeByte(0);
            b.writeInt(f.payload().length).writeBytes(f.payload());
            x.chunk(b);
          }
        };
    try {
      long offset = 0;
      if (tail >= 0) {
        List<String> lines = new ArrayList<>();
        offset = sendLog(file, 0, lines::add);
        lines.subList(Math.max(0, lines.size() - tail), lines.size()).forEach(send);
      }
      while (x.open()) {
        boolean exited = engine.exitCode(id).isPresent();
        long before = offset;
        offset = sendLog(file, offset, send);
        if (offset == before) {
          if (!follow || exited) {
            break;
          }
          Thread.sleep(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    x.end();
  }

  /**
   * Streams a container's output from now until it exits (its log, as conmon writes it): what
   * {@code docker run} and {@code docker start -a} attach to. Its input is not attached: the jstack
   * engine keeps no stdin open for a container.
   */
  private void attach(Exchange x) {
    Container c = engine.require(x.path("id"));
    if (c.record().settings().console().stdin() || c.record().settings().console().tty()) {
      attachConsole(x, c);
      return;
    }
    boolean stdout = x.flag("stdout");
    boolean stderr = x.flag("stderr");
    boolean replay = x.flag("logs");
    String id = c.record().id();
    Path file = engine.logFile(id);
    // The run to follow: the current one if it runs, else the next one to start.
    boolean running = c.alive();
    Instant startedAt = c.record().startedAt();
    Runnable done = engine.reading(id);
    try (Hijacked out = Hijacked.take(x.channel(), x.request(), Hijacked.MULTIPLEXED, null)) {
      long offset = replay ? 0 : size(file);
      while (out.open()) {
        Container now = engine.find(id).orElse(null);
        boolean thisRun =
            now != null
                && now.record().startedAt() != null
                && (running || !Objects.equals(now.record().startedAt(), startedAt));
        boolean ended = now == null || thisRun && now.status() == Container.Status.exited;
        long before = offset;
        offset = sendLog(file, offset, l -> send(out, l, stdout, stderr));
        if (offset == before) {
          if (ended) {
            break;
          }
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.run();
    }
  }

  /**
   * Attaches to the console of a container with a terminal or an open input (conmon's attach
   * socket): its output as it comes, the client's bytes to its input, the client's half-close ends
   * its input.
   */
  private void attachConsole(Exchange x, Container c) {
    boolean tty = c.record().settings().console().tty();
    boolean stdin = x.flag("stdin") && c.record().settings().console().stdin();
    boolean stdout = x.flag("stdout");
    boolean stderr = x.flag("stderr");
    CompletableFuture<SeqPacket> socket = engine.attach(c.record().id());
    OutputStream input =
        !stdin
            ? null
            : new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                SeqPacket s = connected(socket);
                for (int at = off; at < off + len; at += 8192) {
                  s.write(b, at, Math.min(8192, off + len - at));
                }
              }

              @Override
              public void close() throws IOException {
                connected(socket).shutdownOutput();
              }
            };
    try (Hijacked out =
        Hijacked.take(x.channel(), x.request(), tty ? Hijacked.RAW : Hijacked.MULTIPLEXED, input)) {
      SeqPacket s = null;
      while (s == null && out.open()) {
        try {
          s = socket.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          // It has not started yet.
        } catch (ExecutionException e) {
          return;
        }
      }
      if (s == null) {
        return;
      }
      try (SeqPacket attached = s) {
        byte[] packet = new byte[8193];
        for (int n = attached.read(packet); n > 0; n = attached.read(packet)) {
          boolean err = packet[0] == 3;
          if (err ? stderr : stdout) {
            out.send(
                tty ? Hijacked.TERMINAL : err ? Hijacked.STDERR : Hijacked.STDOUT,
                packet,
                1,
                n - 1);
          }
        }
      } catch (IOException ended) {
        // Its console closed.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      socket.cancel(false);
    }
  }

  private static SeqPacket connected(CompletableFuture<SeqPacket> socket) throws IOException {
    try {
      return socket.get();
    } catch (ExecutionException | CancellationException e) {
      throw new IOException("the container's console is gone", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void send(Hijacked out, String line, boolean stdout, boolean stderr) {
    Frame f = Frame.of(line, stdout, stderr, false, null, null);
    if (f != null) {
      out.send(f.stream(), f.payload(), 0, f.payload().length);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Passes each whole line of conmon's log from byte {@code offset} on to {@code line}; the offset
   * after the last whole line.
   */
  private static long sendLog(Path file, long offset, Consumer<String> line) {
    long size = size(file);
    if (size <= offset) {
      return offset;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      byte[] more = new byte[(int) Math.min(size - offset, 8 << 20)];
      f.readFully(more);
      int last = more.length - 1;
      while (last >= 0 && more[last] != '\n') {
        last--;
      }
      if (last < 0) {
        return offset;
      }
      int start = 0;
      for (int i = 0; i <= last; i++) {
        if (more[i] == '\n') {
          line.accept(new String(more, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return offset + last + 1;
    } catch (IOException e) {
      return offset;
    }
  }

  /** One conmon log line as Docker frames it: its stream (1 or 2) and its bytes. */
  private record Frame(int stream, byte[] payload) {
    /**
     * The frame of one conmon log line ({@code <time> <stream> <F|P> <text>}); null when the line
     * is filtered out or malformed.
     */
    static @Nullable Frame of(
        String line,
        boolean stdout,
        boolean stderr,
        boolean timestamps,
        @Nullable Instant since,
        @Nullable Instant until) {
      String[] f = line.split(" ", 4);
      if (f.length < 3) {
        return null;
      }
      if (since != null || until != null) {
        Instant at;
        try {
          at = OffsetDateTime.parse(f[0]).toInstant();
        } catch (DateTimeParseException e) {
          return null;
        }
        if (since != null && at.isBefore(since) || until != null && at.isAfter(until)) {
          return null;
        }
      }
      boolean err = f[1].equals("stderr");
      if (err ? !stderr : !stdout) {
        return null;
      }
      String text = (f.length == 4 ? f[3] : "") + (f[2].equals("P") ? "" : "\n");
      if (timestamps) {
        text = f[0] + " " + text;
      }
      return new Frame(
          err ? Hijacked.STDERR : Hijacked.STDOUT, text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
