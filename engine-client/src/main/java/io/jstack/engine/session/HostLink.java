package io.jstack.engine.session;

import io.jstack.engine.DaemonLauncher;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.http.HttpConnection;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import io.jstack.engine.session.internal.Watchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A guard's connection to its session's host, whichever it is: commands go out, answers are read by
 * a thread of its own (so that a dead host cannot hang the caller, and its end is noticed even
 * while the guard says nothing), and the end of the connection is reported once.
 */
final class HostLink implements AutoCloseable {
  private final OutputStream out;
  private final String whyGone;
  private final Runnable release;
  private final BlockingQueue<Optional<String>> answers = new LinkedBlockingQueue<>();

  private HostLink(
      InputStream in,
      OutputStream out,
      String whyGone,
      Runnable release,
      Consumer<HostLink> onLost) {
    this.out = out;
    this.whyGone = whyGone;
    this.release = release;
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                  answers.add(Optional.of(l));
                }
              } catch (IOException ended) {
                // As good as the end.
              }
              answers.add(Optional.empty());
              onLost.accept(this);
            },
            "jstack-session-guard");
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends one command line. */
  void send(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * The host's next line.
   *
   * @throws EngineException when the host is gone, or says nothing within {@code timeout}
   */
  String next(Duration timeout, String engine) {
    Optional<String> line;
    try {
      line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while waiting for the session host", e);
    }
    if (line == null) {
      throw new EngineException(
          "the session host on " + engine + " did not answer within " + timeout);
    }
    if (line.isEmpty()) {
      answers.add(line);
      throw new EngineException("the session guard on " + engine + " lost its host: " + whyGone);
    }
    return line.get();
  }

  @Override
  public void close() {
    release.run();
  }

  /**
   * The embedded engine's session endpoint, on a connection the engine takes over; {@code resume}
   * names a session of this process's to take up again (after the engine restarted), or is null.
   */
  static HostLink toEngine(
      EngineAddress address, Duration grace, @Nullable String resume, Consumer<HostLink> onLost) {
    SocketTransport transport = new SocketTransport(address);
    HttpResponse response;
    try {
      response =
          transport.execute(
              HttpRequest.post(
                      "/jstack/session?grace="
                          + grace.toMillis()
                          + (resume == null
                              ? ""
                              : "&resume=" + URLEncoder.encode(resume, StandardCharsets.UTF_8)))
                  .upgrading());
    } catch (IOException e) {
      transport.close();
      throw new EngineException(
          "could not open a session on " + address + ": " + e.getMessage(), e);
    }
    if (response.status() != 101) {
      response.close();
      transport.close();
      throw new EngineException(
          "the engine at "
              + address
              + " answered "
              + response.status()
              + " to a session request: it is no jstack engine with sessions (upgrade it)");
    }
    HttpConnection c = response.connection();
    return new HostLink(
        c.input(),
        c.output(),
        "the engine closed the session's connection (was it stopped?)",
        () -> {
          c.close();
          response.close();
          transport.close();
        },
        onLost);
  }

  /**
   * A watchdog process of this JVM's class path, hosting the session over its standard input and
   * output, its records in {@code records}.
   */
  static HostLink toWatchdog(
      EngineAddress address, Duration grace, Path records, Consumer<HostLink> onLost) {
    // Made here, so that a directory that cannot be made fails in this JVM, with its reason.
    Path log = new SessionRecords(records).dir().resolve("watchdog.log");
    Process p;
    try {
      p =
          DaemonLauncher.java(
                  true,
                  List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1"),
                  Watchdog.class,
                  List.of(
                      address.toString(),
                      Long.toString(ProcessHandle.current().pid()),
                      Long.toString(grace.toMillis()),
                      records.toString()))
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new EngineException("could not start the session watchdog: " + e.getMessage(), e);
    }
    return new HostLink(
        p.getInputStream(),
        p.getOutputStream(),
        "the watchdog (pid " + p.pid() + ") ended; see " + log,
        () -> {
          try {
            // It exits once its sweep is done; nothing to wait for here.
            p.getOutputStream().close();
            p.getInputStream().close();
          } catch (IOException ignored) {
            // It is gone already.
          }
        },
        onLost);
  }
}
