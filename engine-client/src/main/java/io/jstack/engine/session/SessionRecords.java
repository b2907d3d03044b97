package io.jstack.engine.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The sessions a host keeps (the embedded engine under its data root, a Docker watchdog under the
 * user's state directory), one file each, so that a later start can remove what is left of sessions
 * whose owner is dead.
 *
 * <p>Layout: {@code DIR/ID.session}, mode 0600 in a directory of mode 0700 (whatever the umask),
 * with lines {@code owner PID START-MILLIS} (the owner's start time tells a reused pid from it),
 * {@code engine ADDRESS} and one {@code project NAME} per watched project. Each change writes a
 * temporary file and renames it over the record: a crash leaves the old record or the new one.
 */
public final class SessionRecords {
  private static final String SUFFIX = ".session";

  private final Path dir;

  /** The record each session served now holds, by id: a resumed session's replaces the old. */
  private final java.util.concurrent.ConcurrentMap<String, Record> held =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The records in {@code dir}, created (mode 0700) when missing. */
  public SessionRecords(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
      Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + this.dir + " for session records", e);
    }
  }

  /**
   * Where a user's Docker sessions are recorded: {@code $XDG_STATE_HOME/jstack/sessions}, else
   * {@code ~/.local/state/jstack/sessions}.
   */
  public static Path defaultDir(Map<String, String> env) {
    String state = env.get("XDG_STATE_HOME");
    Path base =
        state != null && state.startsWith("/")
            ? Path.of(state)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("jstack").resolve("sessions");
  }

  public Path dir() {
    return dir;
  }

  /** A new, empty session of the process {@code ownerPid} on {@code engine}. */
  public Record create(long ownerPid, String engine) {
    String id = ownerPid + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Record r =
        new Record(
            id,
            ownerPid,
            ProcessHandle.of(ownerPid).flatMap(p -> p.info().startInstant()).orElse(null),
            engine);
    r.write();
    held.put(id, r);
    return r;
  }

  /**
   * The record {@code id} taken up again by its owner {@code ownerPid} (the session's connection
   * was lost, say to an engine restart), if it is there and is that live process's; the record held
   * before it, if any, is no longer {@link #holds held}.
   */
  public Optional<Record> resume(String id, long ownerPid) {
    if (!id.matches("\\d+-[0-9a-f]{8}")) {
      return Optional.empty();
    }
    try {
      Optional<Record> r =
          read(dir.resolve(id + SUFFIX))
              .filter(found -> found.ownerPid == ownerPid && found.ownerAlive());
      r.ifPresent(found -> held.put(id, found));
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the session record " + id, e);
    }
  }

  /** Whether {@code r} is still what its session holds (not taken up again by another). */
  public boolean holds(Record r) {
    return held.get(r.id) == r;
  }

  /** Every record here whose owner is no longer running. */
  public List<Record> ofDeadOwners() {
    List<Record> dead = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        read(f).filter(r -> !r.ownerAlive()).ifPresent(dead::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the session records in " + dir, e);
    }
    return dead;
  }

  private Optional<Record> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
    String name = file.getFileName().toString();
    long pid = -1;
    Instant start = null;
    String engine = "";
    Set<String> projects = new TreeSet<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "owner" -> {
          pid = Long.parseLong(f[1]);
          start = f[2].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[2]));
        }
        case "engine" -> engine = line.substring("engine ".length());
        case "project" -> projects.add(f[1]);
        default -> {
          // A line of a later format: ignored.
        }
      }
    }
    if (pid < 0) {
      throw new IOException(file + " is not a session record (no owner line): delete it");
    }
    Record r = new Record(name.substring(0, name.length() - SUFFIX.length()), pid, start, engine);
    r.projects.addAll(projects);
    return Optional.of(r);
  }

  /** One session: its owner, its engine, and the projects it watches. */
  public final class Record {
    private final String id;
    private final long ownerPid;
    private final @Nullable Instant ownerStart;
    private final String engine;
    private final Set<String> projects = new TreeSet<>();

    private Record(String id, long ownerPid, @Nullable Instant ownerStart, String engine) {
      this.id = id;
      this.ownerPid = ownerPid;
      this.ownerStart = ownerStart;
      this.engine = engine;
    }

    public String id() {
      return id;
    }

    public long ownerPid() {
      return ownerPid;
    }

    /** The address of the engine the projects are on. */
    public String engine() {
      return engine;
    }

    /** The watched projects. */
    public synchronized Set<String> projects() {
      return Set.copyOf(projects);
    }

    /** Whether the owner still runs: its pid is taken by a process that started when it did. */
    public boolean ownerAlive() {
      Optional<ProcessHandle> p = ProcessHandle.of(ownerPid);
      if (p.isEmpty() || !p.get().isAlive()) {
        return false;
      }
      Optional<Instant> start = p.get().info().startInstant();
      return ownerStart == null
          || start.isEmpty()
          || start.get().toEpochMilli() == ownerStart.toEpochMilli();
    }

    /** Adds {@code project} to the record, on disk before it returns. */
    public synchronized void watch(String project) {
      if (projects.add(project)) {
        write();
      }
    }

    /** Takes {@code project} off the record, on disk before it returns. */
    public synchronized void release(String project) {
      if (projects.remove(project)) {
        write();
      }
    }

    /** Deletes the record (its session is over). */
    public void delete() {
      held.remove(id, this);
      try {
        Files.deleteIfExists(file());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the session record " + file(), e);
      }
    }

    private Path file() {
      return dir.resolve(id + SUFFIX);
    }

    private synchronized void write() {
      StringBuilder s =
          new StringBuilder("owner ")
              .append(ownerPid)
              .append(' ')
              .append(ownerStart == null ? "-" : Long.toString(ownerStart.toEpochMilli()))
              .append("\nengine ")
              .append(engine)
              .append('\n');
      projects.forEach(p -> s.append("project ").append(p).append('\n'));
      Path temp = dir.resolve(id + ".tmp");
      try {
        Files.writeString(temp, s, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the session record " + file(), e);
      }
    }

    @Override
    public String toString() {
      return "session " + id + " of pid " + ownerPid + " on " + engine + " " + projects();
    }
  }
}
