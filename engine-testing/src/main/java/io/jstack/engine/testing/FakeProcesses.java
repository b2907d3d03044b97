package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.Engine.ExecResult;
import io.jstack.engine.Engine.ExecSpec;
import io.jstack.engine.Engine.Processes;
import io.jstack.engine.EngineException;
import io.jstack.engine.Stdio;
import io.jstack.engine.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What happens inside the fake engine's running containers: the commands exec runs (each program's
 * result set by a test), the process table, and the files copied in and out.
 */
final class FakeProcesses {
  private final FakeState state;

  /** By program (a command's first word); guarded by the state's lock. */
  private final Map<String, Function<ExecSpec, ExecResult>> execs = new HashMap<>();

  FakeProcesses(FakeState state) {
    this.state = state;
  }

  void execBehaviour(String program, Function<ExecSpec, ExecResult> behaviour) {
    synchronized (state.lock) {
      execs.put(program, behaviour);
    }
  }

  int exec(String id, ExecSpec spec, Stdio stdio) {
    Function<ExecSpec, ExecResult> behaviour;
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state != State.RUNNING) {
        throw FakeState.notRunning(c);
      }
      behaviour = execs.get(spec.command().isEmpty() ? "" : spec.command().get(0));
    }
    ExecResult r = behaviour != null ? behaviour.apply(spec) : notFound(spec.command().get(0));
    if (spec.detach()) {
      return 0;
    }
    try {
      stdio.out().write(r.stdout());
      stdio.out().flush();
      stdio.err().write(r.stderr());
      stdio.err().flush();
    } catch (IOException e) {
      throw new EngineException("exec output could not be written: " + e.getMessage(), e);
    }
    return r.exitCode();
  }

  /**
   * What dockerd 20.10 answers for a program the container does not have: the runtime's message on
   * the standard output, exit code 126 (since Docker 23.0: 127).
   */
  private static ExecResult notFound(String program) {
    return new ExecResult(
        126,
        ("OCI runtime exec failed: exec failed: unable to start container process: exec: \""
                + program
                + "\": executable file not found in $PATH: unknown\r\n")
            .getBytes(StandardCharsets.UTF_8),
        new byte[0]);
  }

  /** One process: the container's command (or its image's, unknown here: "sh"). */
  Processes top(String id) {
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state != State.RUNNING) {
        throw FakeState.notRunning(c);
      }
      List<String> cmd =
          c.spec.command() == null || c.spec.command().isEmpty() ? List.of("sh") : c.spec.command();
      return new Processes(
          List.of("UID", "PID", "CMD"), List.of(List.of("root", "1", String.join(" ", cmd))));
    }
  }

  /**
   * Where a path of a container is: the files that hold it (the container's own, or those of the
   * named volume mounted there), the path in them, and whether it may be written.
   */
  private record Place(Map<String, byte[]> files, String path, boolean writable) {}

  private Place place(FakeContainer c, String path) {
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    io.jstack.engine.ContainerSpec.Mount mount = null;
    for (io.jstack.engine.ContainerSpec.Mount m : c.spec.mounts()) {
      String t = m.target();
      if (m.type().equals("volume")
          && m.source() != null
          && (base.equals(t) || base.startsWith(t + "/"))
          && (mount == null || t.length() > mount.target().length())) {
        mount = m;
      }
    }
    if (mount == null) {
      return new Place(c.files, base, true);
    }
    return new Place(
        state.volumeFiles.computeIfAbsent(mount.source(), v -> new HashMap<>()),
        base.substring(mount.target().length()),
        !mount.readOnly());
  }

  io.jstack.engine.ContainerStats stats(String id) {
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state != io.jstack.engine.ContainerInfo.State.RUNNING) {
        throw new EngineException.Conflict("container " + c.id + " is not running");
      }
      return new io.jstack.engine.ContainerStats(c.id, c.name, 0, 0, 0, 0, 0, 0, 0, 1);
    }
  }

  /** The container's own files (not its volumes'), named below its root, as a tar stream. */
  InputStream export(String id) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      try {
        for (Map.Entry<String, byte[]> f : new TreeMap<>(c.files).entrySet()) {
          TarWriter.file(tar, f.getKey().substring(1), 0644, 0, 0, f.getValue());
        }
        TarWriter.end(tar);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return new java.io.ByteArrayInputStream(tar.toByteArray());
  }

  /**
   * Regular files only: what {@link #copyTo} put there, by absolute path (into a volume: in the
   * volume), and {@code /etc/hostname}.
   */
  InputStream copyFrom(String id, String path) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      Place place = place(c, path);
      String base = place.path();
      String shown = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      String top = shown.substring(shown.lastIndexOf('/') + 1);
      Map<String, byte[]> files = new TreeMap<>(place.files());
      if (shown.equals("/etc/hostname")) {
        String hostname = c.spec.hostname() != null ? c.spec.hostname() : c.id.substring(0, 12);
        files.putIfAbsent(base, (hostname + "\n").getBytes(StandardCharsets.UTF_8));
      }
      boolean found = false;
      try {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          if (f.getKey().equals(base)) {
            TarWriter.file(tar, top, 0644, 0, 0, f.getValue());
            found = true;
          } else if (f.getKey().startsWith(base + "/")) {
            TarWriter.file(
                tar, top + f.getKey().substring(base.length()), 0644, 0, 0, f.getValue());
            found = true;
          }
        }
        TarWriter.end(tar);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (!found) {
        throw new EngineException.NotFound(
            "Could not find the file " + path + " in container " + c.name);
      }
    }
    return new ByteArrayInputStream(tar.toByteArray());
  }

  void copyTo(String id, String dir, InputStream archive) {
    Map<String, byte[]> entries;
    try {
      entries = TarEntries.readAll(archive);
    } catch (IOException e) {
      throw new EngineException("copy: cannot read the archive: " + e.getMessage());
    }
    synchronized (state.lock) {
      Place place = place(state.require(id), dir);
      if (!place.writable()) {
        throw new EngineException(
            "mounted volume is marked read-only: " + dir + " cannot be written");
      }
      entries.forEach((name, body) -> place.files().put(place.path() + "/" + name, body));
    }
  }
}
