package io.jstack.engine.session;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The host's side of a session: it keeps the session's record while its owner is connected, and
 * when the connection ends without a {@code close} (the owner died, even by {@code kill -9}) waits
 * the grace period and removes the session's projects ({@link ProjectRemoval}) through the Docker
 * API at its engine's address. The embedded engine hosts sessions on its own socket; for dockerd a
 * watchdog process does, fed through its standard input.
 *
 * <p>The protocol, in UTF-8 lines: the host first sends {@code session ID}; then the owner sends
 * {@code watch PROJECT}, {@code release PROJECT} or {@code close}, each answered {@code ok} (once
 * the record on disk says so) or {@code error MESSAGE}. After {@code close} the record is deleted
 * and the host ends the session, removing nothing.
 */
public final class SessionHost {
  /** Docker Compose's project names (its {@code NormalizeProjectName} keeps these). */
  static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private final SessionRecords records;
  private final EngineAddress engine;
  private final Duration grace;
  private final Consumer<String> log;

  /**
   * A host keeping its records in {@code records}, removing projects from the engine at {@code
   * engine} {@code grace} after their owner went; {@code log} gets a line per removal.
   */
  public SessionHost(
      SessionRecords records, EngineAddress engine, Duration grace, Consumer<String> log) {
    this.records = records;
    this.engine = engine;
    this.grace = grace;
    this.log = log;
  }

  /**
   * Serves the session of process {@code ownerPid}, reading its commands from {@code in} and
   * answering on {@code out}; returns once it is over: closed by its owner, or lost and then its
   * projects removed. Removal failures are logged and the record kept, for a later {@link #sweep}.
   */
  public void serve(long ownerPid, InputStream in, OutputStream out) {
    serve(ownerPid, null, in, out);
  }

  /**
   * As {@link #serve(long, InputStream, OutputStream)}, taking up the session {@code resume} again
   * when it is {@code ownerPid}'s (its connection was lost, say to an engine restart), else a new
   * one. A session taken up again is no longer its old connection's: that one removes nothing.
   */
  public void serve(long ownerPid, @Nullable String resume, InputStream in, OutputStream out) {
    SessionRecords.Record record =
        (resume == null
                ? Optional.<SessionRecords.Record>empty()
                : records.resume(resume, ownerPid))
            .orElseGet(() -> records.create(ownerPid, engine.toString()));
    boolean closed = false;
    try {
      answer(out, "session " + record.id());
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] f = line.strip().split(" ", 2);
        String reply = "ok";
        if (f[0].equals("close") && f.length == 1) {
          record.delete();
          closed = true;
        } else if (f.length == 2 && !PROJECT_NAME.matcher(f[1]).matches()) {
          reply = "error not a Compose project name: " + f[1];
        } else if (f[0].equals("watch") && f.length == 2) {
          record.watch(f[1]);
        } else if (f[0].equals("release") && f.length == 2) {
          record.release(f[1]);
        } else {
          reply = "error unknown command: " + line.strip() + " (watch, release or close)";
        }
        answer(out, reply);
        if (closed) {
          return;
        }
      }
    } catch (IOException | UncheckedIOException lost) {
      // The owner's side broke: as good as gone.
    }
    if (!closed) {
      expire(record);
    }
  }

  /** Waits the grace period, then removes what {@code record} watches and deletes it. */
  private void expire(SessionRecords.Record record) {
    try {
      Thread.sleep(grace.toMillis());
    } catch (InterruptedException e) {
      // The host is going down: the record stays for a later sweep.
      Thread.currentThread().interrupt();
      return;
    }
    if (records.holds(record)) {
      removeAll(record);
    }
  }

  /**
   * Removes the projects of every recorded session on this host's engine whose owner is dead, and
   * their records; returns how many sessions it cleared.
   */
  public int sweep() {
    int swept = 0;
    for (SessionRecords.Record r : records.ofDeadOwners()) {
      if (r.engine().equals(engine.toString()) && removeAll(r)) {
        swept++;
      }
    }
    return swept;
  }

  private boolean removeAll(SessionRecords.Record record) {
    Set<String> projects = record.projects();
    if (!projects.isEmpty()) {
      try (DockerEngine docker = DockerEngine.connect(engine)) {
        for (String p : projects) {
          ProjectRemoval.Removed removed = ProjectRemoval.remove(docker, p);
          log.accept(
              "session "
                  + record.id()
                  + " of pid "
                  + record.ownerPid()
                  + " is gone: removed project "
                  + p
                  + " "
                  + removed);
        }
      } catch (EngineException e) {
        log.accept(
            "session "
                + record.id()
                + ": could not remove its projects "
                + projects
                + " ("
                + e.getMessage()
                + "); a later sweep tries again");
        return false;
      }
    }
    record.delete();
    return true;
  }

  private static void answer(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
