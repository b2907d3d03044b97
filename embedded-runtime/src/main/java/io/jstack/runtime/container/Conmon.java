package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.Digests;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * conmon, the monitor each container runs under: the command line that has it create a container
 * from its bundle (log, exit file, pid files, attach socket, console), its launch until the runtime
 * has created the container, and waiting for it to end. It runs in the container's run-time
 * directory (in memory; its {@code config.json} links to the bundle's), so its files are written
 * there, and read by {@link Containers}. Its runtime arguments are global options both runc and
 * crun take ({@code --root}, {@code --log}).
 */
final class Conmon {
  /** The digits of a container id that name its attach socket's link (conmon's {@code --cuuid}). */
  private static final int CUUID = 24;

  private final Path conmon;

  /**
   * Where conmon puts each container's attach socket (as a link to its directory, named by the
   * first {@value #CUUID} digits of its id): a socket's address holds 108 bytes, so below the data
   * root when that is short enough.
   */
  private final Path socketDir;

  Conmon(DataRoot root, Path conmon) {
    this.conmon = conmon;
    Path own = root.run().resolve("s");
    this.socketDir =
        own.toString().length() + 1 + CUUID + "/attach".length() < 100
            ? own
            : Path.of(
                "/run/jstack/s-"
                    + Digests.hex(
                            Digests.of(root.path().toString().getBytes(StandardCharsets.UTF_8)))
                        .substring(0, 12));
  }

  /**
   * Starts a conmon for container {@code id} with {@code runc} in its run-time directory {@code
   * dir} (whose {@code config.json} is the bundle's, and {@code console} what it asks for) and
   * returns once the runtime has created the container (its process waits for {@code start}).
   * conmon writes the exit code to {@code dir}'s {@code exits/<id>} and to {@code persist}'s {@code
   * exit}, which is on disk: the run-time directory is not, and does not outlive a reboot.
   *
   * @return whether the container has a console (a terminal or an open input), so an attach socket
   * @throws EngineException with conmon's or the runtime's own words when either fails
   */
  boolean launch(String id, Path dir, Path persist, String console, Path logFile, Runc runc)
      throws IOException, InterruptedException {
    Files.createDirectories(runc.root());
    Files.createDirectories(socketDir);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                conmon.toString(),
                "--api-version",
                "1",
                "--cid",
                id,
                "--cuuid",
                cuuid(id),
                "--name",
                id,
                "--runtime",
                runc.runtime().toString(),
                "--bundle",
                dir.toString(),
                "--log-path",
                "k8s-file:" + logFile,
                "--exit-dir",
                dir.resolve("exits").toString(),
                "--persist-dir",
                persist.toString(),
                "--container-pidfile",
                dir.resolve("pidfile").toString(),
                "--conmon-pidfile",
                dir.resolve("conmon.pid").toString(),
                "--socket-dir-path",
                socketDir.toString(),
                // Else conmon sync(2)s every file system when a container exits: seconds on a busy
                // disk, for each container of a down. Its log lines are written before that anyway.
                "--no-sync-log",
                "--runtime-arg",
                "--root=" + runc.root(),
                "--runtime-arg",
                "--log=" + dir.resolve("runc.log")));
    if (console.contains("tty")) {
      cmd.add("--terminal");
    }
    if (console.contains("stdin")) {
      cmd.add("--stdin");
      if (!console.contains("once")) {
        cmd.add("--leave-stdin-open");
      }
    }
    Process conmon =
        runc.process(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(dir.resolve("conmon.err").toFile())
            .start();
    if (!conmon.waitFor(30, TimeUnit.SECONDS) || conmon.exitValue() != 0) {
      throw new EngineException(
          "conmon could not start container " + id + ": " + tail(dir.resolve("conmon.err")));
    }
    // conmon runs `runc create` in the background; the container pid file says it is done.
    Instant deadline = Instant.now().plusSeconds(30);
    while (!created(dir)) {
      if (Files.exists(dir.resolve("exits").resolve(id)) || Instant.now().isAfter(deadline)) {
        throw new EngineException(
            "the runtime could not create container " + id + ": " + tail(dir.resolve("runc.log")));
      }
      Thread.sleep(1);
    }
    return !console.isEmpty();
  }

  /** Removes the link to container {@code id}'s directory that names its attach socket. */
  void removeSocketLink(String id) throws IOException {
    Files.deleteIfExists(socketDir.resolve(cuuid(id)));
  }

  /** Whether the runtime has created the container of bundle {@code dir} (conmon wrote its pid). */
  static boolean created(Path dir) {
    try {
      return Files.size(dir.resolve("pidfile")) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits (up to 10 s) for the conmon of bundle {@code dir} (named by its container's id) to end,
   * then kills it. A conmon that has ended but is not yet reaped (a zombie, until the host's init
   * collects it) counts as ended, and so does a pid that is no longer that container's conmon: the
   * engine, which runs as root, never waits on or kills another process that took the pid.
   */
  static void waitForExit(Path dir) {
    long pid;
    try {
      Path pidFile = dir.resolve("conmon.pid");
      if (!Files.exists(pidFile)) {
        return;
      }
      pid = Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      return; // no conmon to wait for
    }
    String id = dir.getFileName().toString();
    Instant deadline = Instant.now().plusSeconds(10);
    while (monitors(pid, id)) {
      if (Instant.now().isAfter(deadline)) {
        ProcessHandle.of(pid)
            .filter(p -> monitors(pid, id))
            .ifPresent(ProcessHandle::destroyForcibly);
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Whether {@code pid} is the live conmon of container {@code id}: a process gone, a zombie (whose
   * command line reads empty) or another process that took the pid since are not.
   */
  static boolean monitors(long pid, String id) {
    try {
      String args =
          new String(
              Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
              StandardCharsets.UTF_8);
      return args.contains("\0--cid\0" + id + "\0");
    } catch (IOException gone) {
      return false;
    }
  }

  private static String cuuid(String id) {
    return id.substring(0, Math.min(CUUID, id.length()));
  }

  /** The last line of a conmon or runtime log, for an error message. */
  static String tail(Path p) {
    try {
      List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
      return lines.isEmpty() ? "(no message)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(no message)";
    }
  }
}
