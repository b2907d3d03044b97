package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.runtime.ResidentCall;
import io.jstack.runtime.ResidentCommands;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /jstack/run}, jstack's own: runs a command line in this JVM for a thin client (the
 * native half of the {@code jstack} launcher), so that the command starts warm instead of paying a
 * JVM's start. The body is {@code {"Args": [..], "Dir": "/abs", "Env": ["K=V", ..], "Terminal":
 * BOOL, "Build": "ID"}}.
 *
 * <p>The engine answers 409, with the reason as its message, when the client must run the command
 * itself: the client is another user than the engine's (peer credentials of the unix socket; over
 * TCP never), its jstack is another build than the one this JVM runs ({@code -Djstack.build}), or
 * the command needs the client's own process ({@link ResidentCommands#refusal}). Otherwise it takes
 * the connection over ({@code Upgrade: tcp}) and sends frames in Docker's multiplexed format: 1 for
 * standard output, 2 for standard error and, last, {@link #EXIT} with the exit status as a 4-byte
 * big-endian integer. The client sends one byte {@link #INTERRUPT} per Ctrl-C; when it goes away
 * before its status, the command's thread is interrupted, as if its process had been killed.
 */
final class ResidentRoutes {
  /** The frame carrying the exit status. */
  static final int EXIT = 3;

  /** The byte a client sends for each Ctrl-C (ASCII ETX, what Ctrl-C types). */
  static final int INTERRUPT = 3;

  private final ResidentCommands commands;
  private final @Nullable String build;
  private final int uid;
  private final Consumer<String> log;

  /**
   * Runs {@code commands} for clients of this process's user whose jstack is {@code build} (null:
   * none is).
   */
  ResidentRoutes(ResidentCommands commands, @Nullable String build, Consumer<String> log) {
    this(commands, build, ownUid(), log);
  }

  ResidentRoutes(ResidentCommands commands, @Nullable String build, int uid, Consumer<String> log) {
    this.commands = commands;
    this.build = build;
    this.uid = uid;
    this.log = log;
  }

  void register(Router r) {
    r.add(HttpMethod.POST, "/jstack/run", this::run);
  }

  private void run(Exchange x) {
    String refused = refusedPeer(x);
    JsonNode body = x.json();
    if (refused == null) {
      String asked = body.path("Build").asText("");
      if (build == null || !build.equals(asked)) {
        refused =
            "this engine runs "
                + (build == null ? "no launcher's build" : "build " + build)
                + " of jstack, the client "
                + (asked.isEmpty() ? "none" : asked);
      }
    }
    Call call = refused == null ? Call.of(body) : null;
    if (call == null && refused == null) {
      refused = "the request names no absolute Dir and Args";
    }
    if (call != null) {
      refused = commands.refusal(call);
    }
    if (refused != null || call == null) {
      x.error(HttpResponseStatus.CONFLICT, refused != null ? refused : "refused");
      return;
    }
    if (!x.request().headers().contains(HttpHeaderNames.UPGRADE)) {
      x.error(HttpResponseStatus.BAD_REQUEST, "a command runs on its connection: ask with Upgrade");
      return;
    }
    call.serve(x, commands, log);
  }

  /** Why the client at the other end of {@code x} may not have commands run here, or null. */
  private @Nullable String refusedPeer(Exchange x) {
    if (!(x.channel() instanceof EpollDomainSocketChannel d)) {
      return "commands run only for clients on the engine's unix socket";
    }
    try {
      int peer = d.peerCredentials().uid();
      return peer == uid
          ? null
          : "the engine runs commands only for its own user (uid " + uid + "), not uid " + peer;
    } catch (IOException e) {
      return "the client's credentials cannot be read: " + e.getMessage();
    }
  }

  private static int ownUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1; // Nobody's: every client is refused.
    }
  }

  /** One call: what the client sent, and the connection once taken over. */
  private static final class Call implements ResidentCall {
    private final List<String> args;
    private final Path workdir;
    private final Map<String, String> environment;
    private final boolean terminal;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile @Nullable Runnable press;
    private volatile @Nullable Hijacked connection;
    private volatile @Nullable Thread runner;

    private Call(List<String> args, Path workdir, Map<String, String> env, boolean terminal) {
      this.args = List.copyOf(args);
      this.workdir = workdir;
      this.environment = Map.copyOf(env);
      this.terminal = terminal;
    }

    /** The call {@code body} asks for, or null when it lacks an absolute directory or args. */
    static @Nullable Call of(JsonNode body) {
      String dir = body.path("Dir").asText("");
      if (!dir.startsWith("/") || !body.path("Args").isArray()) {
        return null;
      }
      List<String> args = new ArrayList<>();
      body.path("Args").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new HashMap<>();
      for (JsonNode e : body.path("Env")) {
        String kv = e.asText();
        int eq = kv.indexOf('=');
        if (eq > 0) {
          env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      return new Call(args, Path.of(dir), env, body.path("Terminal").asBoolean());
    }

    void serve(Exchange x, ResidentCommands commands, Consumer<String> log) {
      runner = Thread.currentThread();
      try (Hijacked h = Hijacked.take(x.channel(), x.request(), Hijacked.MULTIPLEXED, presses())) {
        connection = h;
        int status;
        try {
          status = commands.run(this);
        } catch (RuntimeException | Error e) {
          log.accept("a command run for a client failed: " + e);
          byte[] text =
              ("jstack: "
                      + e
                      + " (the engine ran this command; JSTACK_RESIDENT=off runs it in a"
                      + " process of its own)\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          h.send(Hijacked.STDERR, text, 0, text.length);
          status = 1;
        }
        end(status);
      } finally {
        runner = null;
        Thread.interrupted(); // The worker thread serves other requests next.
      }
    }

    /** Where the client's bytes go: each {@link #INTERRUPT} is a Ctrl-C; closing, its leaving. */
    private OutputStream presses() {
      return new OutputStream() {
        @Override
        public void write(int b) {
          if (b == INTERRUPT) {
            Runnable p = press;
            if (p != null) {
              p.run();
            } else {
              halt(130); // No handler: SIGINT ends a process so.
            }
          }
        }

        @Override
        public void close() {
          if (ended.compareAndSet(false, true)) {
            interruptRunner(); // The client went without its status: killed.
          }
        }
      };
    }

    private void end(int status) {
      Hijacked h = connection;
      if (h != null && ended.compareAndSet(false, true)) {
        byte[] code = ByteBuffer.allocate(4).putInt(status).array();
        h.send(EXIT, code, 0, code.length);
        h.close();
      }
    }

    private void interruptRunner() {
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    }

    @Override
    public List<String> args() {
      return args;
    }

    @Override
    public Path workdir() {
      return workdir;
    }

    @Override
    public Map<String, String> environment() {
      return environment;
    }

    @Override
    public boolean terminal() {
      return terminal;
    }

    @Override
    public OutputStream out() {
      return stream(Hijacked.STDOUT);
    }

    @Override
    public OutputStream err() {
      return stream(Hijacked.STDERR);
    }

    private OutputStream stream(int stream) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          Hijacked h = connection;
          if (h != null && !ended.get() && len > 0) {
            h.send(stream, b, off, len);
          }
        }
      };
    }

    @Override
    public void onInterrupt(@Nullable Runnable press) {
      this.press = press;
    }

    @Override
    public void halt(int status) {
      end(status);
      interruptRunner();
    }
  }
}
