package io.jstack.engine.session;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
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
 * When the embedded engine restarts under a live guard (it was killed, say), the guard takes its
 * session up again on the new engine within {@link #RECONNECT_FOR}.
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

  /** How long a guard tries to take its session up again on a restarted embedded engine. */
  public static final Duration RECONNECT_FOR = Duration.ofMinutes(2);

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final EngineAddress address;
  private final Duration grace;
  private final boolean embedded;
  private final Set<String> watched = new TreeSet<>();
  private @Nullable HostLink link;
  private String session = "";
  private boolean closed;

  private SessionGuard(EngineAddress address, Duration grace, boolean embedded) {
    this.address = address;
    this.grace = grace;
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
    SessionGuard guard = new SessionGuard(address, grace, embedded);
    synchronized (guard) {
      guard.connect(null);
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
      if (link != null) {
        link.close();
      }
    }
  }

  @Override
  public String toString() {
    return "session guard on " + address + (embedded ? " (held by the engine)" : " (watchdog)");
  }

  /** Opens the session, or takes {@code resume} up again; the host has recorded it on return. */
  private void connect(@Nullable String resume) {
    HostLink l =
        embedded
            ? HostLink.toEngine(address, grace, resume, this::lost)
            : HostLink.toWatchdog(address, grace, recordsDir(), this::lost);
    try {
      String hello = l.next(ANSWER_TIMEOUT, address.toString());
      if (!hello.startsWith("session ")) {
        throw new EngineException(
            "could not open a session guard on " + address + ": it answered \"" + hello + "\"");
      }
      session = hello.substring("session ".length());
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
    link = l;
  }

  /**
   * {@code gone}'s connection ended. Unless the guard was closed, the embedded engine went (a
   * watchdog's end is final): take the session up again once an engine answers.
   */
  private void lost(HostLink gone) {
    synchronized (this) {
      if (closed || gone != link || !embedded) {
        return;
      }
    }
    Thread t = new Thread(() -> resume(gone), "jstack-session-resume");
    t.setDaemon(true);
    t.start();
  }

  private void resume(HostLink gone) {
    long deadline = System.nanoTime() + RECONNECT_FOR.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (this) {
        if (closed || gone != link) {
          return;
        }
        try {
          connect(session);
          gone.close();
          // A new engine may not have found the record (a data root wiped meanwhile): again.
          for (String p : watched) {
            send("watch " + p);
          }
          return;
        } catch (EngineException notYet) {
          // No engine answers yet.
        }
      }
    }
  }

  private static Path recordsDir() {
    String dir = System.getProperty(RECORDS_PROPERTY);
    return dir != null && !dir.isBlank()
        ? Path.of(dir).toAbsolutePath()
        : SessionRecords.defaultDir(System.getenv());
  }

  private void send(String command) {
    if (closed && !command.equals("close")) {
      throw new IllegalStateException("the session guard on " + address + " is closed");
    }
    HostLink l = link;
    if (l == null) {
      throw new IllegalStateException("the session guard on " + address + " is not open");
    }
    try {
      l.send(command);
    } catch (IOException e) {
      throw new EngineException(
          "the session guard on " + address + " lost its host (" + e.getMessage() + ")", e);
    }
    String answer = l.next(ANSWER_TIMEOUT, address.toString());
    if (!answer.equals("ok")) {
      throw new EngineException(
          "the session guard on " + address + ": " + command + " answered \"" + answer + "\"");
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
}
