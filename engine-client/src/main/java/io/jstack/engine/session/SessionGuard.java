package io.jstack.engine.session;

import io.jstack.engine.DaemonLauncher;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.engine.http.HttpConnection;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.NettyTransport;
import io.jstack.engine.session.internal.Watchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Crash safety for the Compose projects a JVM brings up: the projects it {@link #watch watches} are
 * removed (containers in any state, networks, volumes: {@link ProjectRemoval}) when the JVM dies
 * without {@link #release releasing} them or {@link #close closing} the guard, even by {@code kill
 * -9}, a grace period after it went; a later guard (Docker) or engine start (embedded) sweeps what
 * sessions of dead owners left behind.
 *
 * <p>On jstack's embedded engine the engine itself holds the session, on a connection of its own
 * ({@code POST /jstack/session}, taken over like an attach); on any other Docker API engine a small
 * watchdog process is started from this JVM's class path (no installation needed) and fed through a
 * pipe, whose end tells it the JVM is gone. Which one is decided by the engine's {@code /info}.
 *
 * <pre>{@code
 * try (SessionGuard guard = SessionGuard.open(address)) {
 *   guard.watch(project);   // before anything of the project is created
 *   ... up, tests, down ...
 *   guard.release(project); // removed cleanly, or kept on purpose (reuse between runs)
 * }
 * }</pre>
 *
 * Thread-safe. Closing it is the clean end: nothing is removed, whatever is still watched.
 */
public final class SessionGuard implements AutoCloseable {
  /** How long a host waits after the owner went before it removes its projects. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);

  /**
   * The system property naming the directory of the Docker watchdogs' session records (default:
   * {@link SessionRecords#defaultDir}).
   */
  public static final String RECORDS_PROPERTY = "jstack.sessions.dir";

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final Link link;
  private final String engine;
  private final boolean embedded;
  private final Set<String> watched = new TreeSet<>();
  private boolean closed;

  private SessionGuard(Link link, String engine, boolean embedded) {
    this.link = link;
    this.engine = engine;
    this.embedded = embedded;
  }

  /** A guard for projects on the engine at {@code address}, with {@link #DEFAULT_GRACE}. */
  public static SessionGuard open(EngineAddress address) {
    return open(address, DEFAULT_GRACE);
  }

  /**
   * A guard for projects on the engine at {@code address}: its session is held once this returns.
   *
   * @param grace how long after this JVM's death its projects are removed (0 to 60 s)
   * @throws EngineException when the engine cannot be reached, or the session cannot be opened (the
   *     message says why)
   */
  public static SessionGuard open(EngineAddress address, Duration grace) {
    if (grace.isNegative() || grace.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("a session's grace is 0 to 60 s, not " + grace);
    }
    boolean embedded;
    try (DockerEngine docker = DockerEngine.connect(address)) {
      // jstack's engine names itself in its version; dockerd and Podman do not.
      embedded = docker.info().version().startsWith("jstack");
    }
    Link link = embedded ? engineLink(address, grace) : watchdogLink(address, grace);
    SessionGuard guard = new SessionGuard(link, address.toString(), embedded);
    String hello = guard.readAnswer();
    if (!hello.startsWith("session ")) {
      link.close();
      throw new EngineException(
          "could not open a session guard on " + address + ": it answered \"" + hello + "\"");
    }
    return guard;
  }

  /** Whether the engine itself holds the session (jstack's engine), rather than a watchdog. */
  public boolean embedded() {
    return embedded;
  }

  /**
   * Has {@code project} removed if this JVM dies before it is released; call it before anything of
   * the project is created. Returns once the host has recorded it.
   *
   * @throws IllegalArgumentException when {@code project} is not a Compose project name
   * @throws EngineException when the host is gone (the guard protects nothing any more)
   */
  public synchronized void watch(String project) {
    requireName(project);
    send("watch " + project);
    watched.add(project);
  }

  /**
   * Stops watching {@code project}: it was removed cleanly, or is kept on purpose (reused by a
   * later run). Releasing one that is not watched does nothing.
   *
   * @throws EngineException when the host is gone
   */
  public synchronized void release(String project) {
    requireName(project);
    if (watched.remove(project)) {
      send("release " + project);
    }
  }

  /** The projects watched now. */
  public synchronized Set<String> watched() {
    return Set.copyOf(watched);
  }

  /**
   * Ends the session cleanly: the host forgets it and removes nothing (release or remove the
   * projects first). Closing twice does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      send("close");
    } finally {
      link.close();
    }
  }

  @Override
  public String toString() {
    return "session guard on " + engine + (embedded ? " (held by the engine)" : " (watchdog)");
  }

  private void send(String command) {
    if (closed && !command.equals("close")) {
      throw new IllegalStateException("the session guard on " + engine + " is closed");
    }
    try {
      link.out().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      link.out().flush();
    } catch (IOException e) {
      throw new EngineException(
          "the session guard on " + engine + " lost its host (" + e.getMessage() + ")", e);
    }
    String answer = readAnswer();
    if (!answer.equals("ok")) {
      throw new EngineException(
          "the session guard on " + engine + ": " + command + " answered \"" + answer + "\"");
    }
  }

  /** The host's next line, within {@link #ANSWER_TIMEOUT}. */
  private String readAnswer() {
    Future<@Nullable String> line = link.reader().submit(() -> link.in().readLine());
    try {
      String s = line.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (s == null) {
        throw new EngineException(
            "the session guard on " + engine + " lost its host: " + link.whyGone());
      }
      return s;
    } catch (TimeoutException e) {
      line.cancel(true);
      throw new EngineException(
          "the session host on " + engine + " did not answer within " + ANSWER_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while waiting for the session host", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EngineException(
          "the session guard on " + engine + " lost its host (" + cause.getMessage() + ")", cause);
    }
  }

  private static void requireName(String project) {
    if (!SessionHost.PROJECT_NAME.matcher(project).matches()) {
      throw new IllegalArgumentException(
          "not a Compose project name: \""
              + project
              + "\" (lower-case letters, digits, '-' and '_', starting with a letter or digit)");
    }
  }

  /**
   * The connection to the session's host, whichever it is: its answers (read off the caller's
   * thread by {@code reader}, so that a dead host cannot hang it), where commands go, why it may
   * have gone (for messages), and how to let it go.
   */
  private record Link(
      BufferedReader in,
      OutputStream out,
      ExecutorService reader,
      String whyGone,
      Runnable release) {
    Link(InputStream answers, OutputStream out, String whyGone, Runnable release) {
      this(
          new BufferedReader(new InputStreamReader(answers, StandardCharsets.UTF_8)),
          out,
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "jstack-session-guard");
                t.setDaemon(true);
                return t;
              }),
          whyGone,
          release);
    }

    void close() {
      reader.shutdownNow();
      release.run();
    }
  }

  /** The embedded engine's session endpoint, on a connection the engine takes over. */
  private static Link engineLink(EngineAddress address, Duration grace) {
    NettyTransport transport = new NettyTransport(address);
    HttpResponse response;
    try {
      response =
          transport.execute(
              HttpRequest.post("/jstack/session?grace=" + grace.toMillis()).upgrading());
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
    return new Link(
        c.input(),
        c.output(),
        "the engine closed the session's connection (was it stopped?)",
        () -> {
          c.close();
          response.close();
          transport.close();
        });
  }

  /** A watchdog process of this JVM's class path, hosting the session over its stdin/stdout. */
  private static Link watchdogLink(EngineAddress address, Duration grace) {
    String dir = System.getProperty(RECORDS_PROPERTY);
    Path records =
        dir != null && !dir.isBlank()
            ? Path.of(dir).toAbsolutePath()
            : SessionRecords.defaultDir(System.getenv());
    // Created here, so that a directory that cannot be made fails in this JVM, with its reason.
    Path log = new SessionRecords(records).dir().resolve("watchdog.log");
    Process p;
    try {
      p =
          DaemonLauncher.java(
                  true,
                  List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1"),
                  Watchdog.class.getName(),
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
    return new Link(
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
        });
  }
}
