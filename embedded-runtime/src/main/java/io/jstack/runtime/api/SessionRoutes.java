package io.jstack.runtime.api;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.session.SessionHost;
import io.jstack.engine.session.SessionRecords;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code POST /jstack/session}, jstack's own: a session held on the connection, which the engine
 * takes over as an attach's ({@code Upgrade: tcp}) and serves as {@link SessionHost} says. When the
 * connection ends without {@code close} (its client died), the session's projects are removed after
 * the grace the client asked for ({@code ?grace=MILLIS}, at most a minute). A client whose
 * connection was lost (the engine restarted) takes its session up again with {@code ?resume=ID}
 * (the id the host sent first), as long as it is the session's owner. The records live in {@code
 * DATA-ROOT/sessions}; {@link #sweep} at the engine's start clears those of dead owners.
 */
final class SessionRoutes {
  private static final Duration MAX_GRACE = Duration.ofMinutes(1);

  private final SessionRecords records;
  private final EngineAddress self;
  private final Consumer<String> log;

  /** Sessions recorded under {@code dataRoot}, removing projects through {@code socket}. */
  SessionRoutes(Path dataRoot, Path socket, Consumer<String> log) {
    this.records = new SessionRecords(dataRoot.resolve("sessions"));
    this.self = new EngineAddress.Unix(socket);
    this.log = log;
  }

  void register(Router r) {
    r.add(HttpMethod.POST, "/jstack/session", this::session);
  }

  /** Clears what sessions of dead owners left (on a thread of its own: the engine serves on). */
  void sweep() {
    io.jstack.runtime.internal.Daemons.start(
        "jstack-session-sweep",
        () -> {
          try {
            int swept = new SessionHost(records, self, Duration.ZERO, log).sweep();
            if (swept > 0) {
              log.accept("swept " + swept + " session(s) whose owner is gone");
            }
          } catch (RuntimeException e) {
            log.accept("the sweep of dead sessions failed: " + e.getMessage());
          }
        });
  }

  private void session(Exchange x) throws IOException {
    if (!x.request().headers().contains(HttpHeaderNames.UPGRADE)) {
      x.error(
          HttpResponseStatus.BAD_REQUEST,
          "a session is held on its connection: ask for it with Upgrade: tcp");
      return;
    }
    Duration grace = Duration.ofMillis(x.param("grace") == null ? 3000 : x.intParam("grace"));
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      x.error(HttpResponseStatus.BAD_REQUEST, "grace is 0 to 60000 ms, not " + grace.toMillis());
      return;
    }
    long owner = -1;
    if (x.channel() instanceof EpollDomainSocketChannel d) {
      owner = d.peerCredentials().pid();
    }
    PipedInputStream commands = new PipedInputStream(4096);
    PipedOutputStream sink = new PipedOutputStream(commands);
    try (Hijacked h = Hijacked.take(x.channel(), x.request(), Hijacked.RAW, sink)) {
      OutputStream answers =
          new OutputStream() {
            @Override
            public void write(int b) {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              h.send(Hijacked.TERMINAL, b, off, len);
            }
          };
      new SessionHost(records, self, grace, log).serve(owner, x.param("resume"), commands, answers);
    }
  }
}
