package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.internal.Bundles;
import io.jstack.runtime.container.internal.ContainerCgroup;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import io.jstack.runtime.internal.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Containers on this host without a daemon: each is an overlayfs root over its image's layers, an
 * OCI bundle, and a {@code conmon} process that holds its stdio, writes its log ({@code
 * <RFC3339Nano> stdout|stderr F <line>}) and records its exit code, so that neither a container nor
 * a line of its log is lost when jstack itself exits. What outlives a boot (the bundle, the
 * writable layer, the log) lives below {@code <data root>/containers/<id>}; what goes with it, in
 * the run-time directory ({@link DataRoot#run()}, a tmpfs while the engine runs): the runtime's
 * state below {@code runtime/<runtime>}, and below {@code containers/<id>} conmon's pid and exit
 * files, its attach socket and control FIFO, the runtime's log, exec processes, and which runtime
 * runs the container (the one chosen when it started: runc and crun do not read each other's
 * state).
 *
 * <p>A container that lives no longer than the engine call that runs it (a build step's) runs
 * without conmon, in the foreground of one runtime process ({@link #startForeground}), its exit
 * recorded in the same files.
 *
 * <p>This class keeps each container's lifecycle and reads its state from the files conmon and the
 * runtime leave; launching conmon is {@link Conmon}'s, running the runtime {@link Runc}'s, and the
 * bundle and exec processes {@link Bundles}'.
 */
public final class Containers {
  private final Path containers;
  private final Path run;
  private final RuntimeTools tools;
  private final Conmon conmon;
  private final java.util.Map<Path, Runc> runtimes = new java.util.concurrent.ConcurrentHashMap<>();

  /** Which cgroup of a container its processes, usage and freezer are taken from. */
  private final ContainerCgroup.Hierarchies cgroups;

  /** Containers whose cgroups are this host's, v1 first on a hybrid host (as Docker's). */
  public Containers(DataRoot root, RuntimeTools tools) {
    this(root, tools, ContainerCgroup.Hierarchies.HOST);
  }

  /**
   * Containers whose cgroups are taken from {@code cgroups} (a test's choice of hierarchy on a
   * hybrid host; else {@link ContainerCgroup.Hierarchies#HOST}).
   */
  Containers(DataRoot root, RuntimeTools tools, ContainerCgroup.Hierarchies cgroups) {
    this.containers = root.path().resolve("containers");
    NativeFs.spreadSubdirectories(containers);
    this.verdicts = root.path().resolve("runtime");
    this.run = root.run();
    this.tools = tools;
    this.conmon = new Conmon(root, tools.conmon());
    this.cgroups = cgroups;
  }

  /** Where a container's files are. */
  public Path dir(String id) {
    return containers.resolve(id);
  }

  /** Where its run-time files are (conmon's, the runtime's log, exec processes). */
  private Path runDir(String id) {
    return run.resolve("containers").resolve(id);
  }

  /** The runtime new starts use. */
  public RuntimeTools tools() {
    return tools;
  }

  /** The file in a container's directory that names the runtime it asked for at create. */
  private static final String WANTED_RUNTIME = "runtime.wanted";

  /** Where runtime probes run ({@link RuntimeChoice}), as the engine's own. */
  private final Path verdicts;

  /** Runtimes containers asked for by name, probed once: a name's tools. */
  private final java.util.Map<String, RuntimeTools> named =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The tools of the runtime {@code name} ({@code runc}, {@code crun}): the engine's own when it is
   * that one, else that runtime once it ran a probe's container here.
   *
   * @throws EngineException.InvalidArgument when it is not installed or cannot run containers here
   */
  RuntimeTools runtimeNamed(String name) {
    if (name.equals(tools.name())) {
      return tools;
    }
    try {
      return named.computeIfAbsent(
          name,
          n -> {
            try {
              return RuntimeChoice.choose(
                      n, "the container's runtime", Files.createDirectories(verdicts))
                  .tools();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    } catch (EngineException | java.io.UncheckedIOException e) {
      throw new EngineException.InvalidArgument(
          "runtime " + name + " cannot run containers here: " + e.getMessage());
    }
  }

  /** The runtime a container asked for at create, else the engine's. */
  private Path wantedRuntime(Path dir) throws IOException {
    Path wanted = dir.resolve(WANTED_RUNTIME);
    return Files.exists(wanted) ? Path.of(Files.readString(wanted).strip()) : tools.runtime();
  }

  /** The runtime that runs (or last ran) container {@code id}; the current one before a start. */
  private Runc runc(String id) {
    Path runtime = tools.runtime();
    try {
      Path noted = runDir(id).resolve("runtime");
      if (Files.exists(noted)) {
        runtime = Path.of(Files.readString(noted).strip());
      }
    } catch (IOException e) {
      // The current one.
    }
    return runtimes.computeIfAbsent(
        runtime,
        r -> {
          RuntimeTools t = new RuntimeTools(r, tools.conmon(), tools.init());
          return new Runc(t, run.resolve("runtime").resolve(t.name()));
        });
  }

  /**
   * The file the engine made for container {@code id} at {@code pathInContainer} ({@code
   * /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}), which the runtime binds over the
   * root's; null for any other path.
   */
  public @Nullable Path generatedFile(String id, String pathInContainer) {
    String name = Bundles.GENERATED.get(pathInContainer);
    return name == null ? null : dir(id).resolve(name);
  }

  /** Its log, as conmon writes it. */
  public Path logFile(String id) {
    return dir(id).resolve("ctr.log");
  }

  /** The writable layer of its root filesystem: everything it wrote outside volumes. */
  public Path upperDir(String id) {
    return dir(id).resolve("upper");
  }

  /**
   * Its writable layer, its root file system unmounted first: for a container that does not run (a
   * build step's, before it is removed), whose layer may be moved away.
   */
  public Path unmountedUpperDir(String id) throws IOException {
    NativeFs.unmount(dir(id).resolve("rootfs"));
    return upperDir(id);
  }

  /**
   * Prepares a container: its overlay root, generated files and {@code config.json}. Nothing runs
   * until {@link #start}.
   *
   * @throws EngineException when its user, group or working directory cannot be used
   */
  public void create(ContainerConfig c) {
    create(c, false);
  }

  /**
   * As {@link #create(ContainerConfig)}; with {@code singleUse}, for a container whose root is
   * mounted once and whose changes are taken when it is unmounted (a build step's): unmounting it
   * then does not sync the file system it is on. The store of images syncs nothing either (what a
   * build step makes is as durable as a pulled layer); a container that may run again keeps the
   * sync.
   */
  public void create(ContainerConfig c, boolean singleUse) {
    Path dir = dir(c.id());
    if (Files.exists(dir)) {
      throw new EngineException.Conflict("a container with id " + c.id() + " already exists");
    }
    // An unknown runtime, or one that cannot run containers here, fails the create, as dockerd's.
    RuntimeTools wanted = c.runtime() == null ? null : runtimeNamed(c.runtime());
    try {
      Bundles.prepare(dir, c, tools::requireInit, singleUse);
      if (wanted != null && !wanted.equals(tools)) {
        Files.writeString(dir.resolve(WANTED_RUNTIME), wanted.runtime() + "\n");
      }
    } catch (IOException | RuntimeException e) {
      try {
        cleanUp(c.id());
      } catch (IOException ignored) {
        // The first failure is the one to report.
      }
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException(
          "could not create container " + c.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts a created container under a new conmon and returns once its process runs.
   *
   * @throws EngineException with the runtime's own words when it cannot start
   */
  public void start(String id) {
    start(id, socket -> {});
  }

  /**
   * Starts a created container under a new conmon; a container with a terminal or an open input
   * ({@link ContainerConfig.Console}) first has its attach socket passed to {@code beforeRun}, so
   * that clients attached there see everything its process prints.
   */
  public void start(String id, java.util.function.Consumer<Path> beforeRun) {
    try {
      Path rt = prepareRun(id);
      Path consoleFile = dir(id).resolve("console");
      String console = Files.exists(consoleFile) ? Files.readString(consoleFile) : "";
      Runc runc = runc(id);
      if (conmon.launch(id, rt, dir(id).resolve("persist"), console, logFile(id), runc)) {
        beforeRun.accept(attachSocket(id));
      }
      runc.run("start", id);
    } catch (IOException e) {
      throw new EngineException("could not start container " + id + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted starting container " + id, e);
    }
  }

  /**
   * Starts a created container without conmon, in the foreground of one runtime process ({@code
   * run}): for a container that lives no longer than the engine call that runs it, a build step's.
   * One process instead of conmon, the runtime's {@code create} under it and its {@code start}.
   * What it prints, both streams in order, goes to the caller of {@link Foreground#await}, which
   * also records its exit where conmon would. A run whose engine process is gone before it ended is
   * ended by the next one ({@link #endRunsOfGoneWatchers}).
   *
   * @throws EngineException when the runtime cannot be started
   */
  public Foreground startForeground(String id) {
    try {
      Path rt = prepareRun(id);
      Files.writeString(rt.resolve(FOREGROUND), ownProcess() + "\n");
      Runc runc = runc(id);
      Process p =
          runc.process(
                  List.of(
                      runc.runtime().toString(),
                      "--root=" + runc.root(),
                      "--log=" + rt.resolve("runc.log"),
                      "run",
                      "--bundle",
                      rt.toString(),
                      "--pid-file",
                      rt.resolve("pidfile").toString(),
                      id))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectErrorStream(true)
              .start();
      return new Foreground(id, rt, p);
    } catch (IOException e) {
      throw new EngineException("could not start container " + id + ": " + e.getMessage(), e);
    }
  }

  /** A container run by {@link #startForeground}: its output, then its exit. */
  public final class Foreground {
    private final String id;
    private final Path rt;
    private final Process process;

    private Foreground(String id, Path rt, Process process) {
      this.id = id;
      this.rt = rt;
      this.process = process;
    }

    /**
     * Hands {@code output} what the container prints, in whole lines (the last one when it ends),
     * until it ends; records its exit code where conmon would and returns it.
     *
     * @throws EngineException with the runtime's own words when it could not create the container
     */
    public int await(java.util.function.Consumer<String> output) {
      try (InputStream in = process.getInputStream()) {
        Lines lines = new Lines(output);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          lines.add(buffer, n);
        }
        lines.end();
      } catch (IOException e) {
        // Its output is for people: the exit below is what counts.
      }
      int code;
      try {
        code = waitUninterruptibly(process);
      } finally {
        if (process.isAlive()) {
          process.destroyForcibly();
        }
      }
      if (!Conmon.created(rt)) {
        throw new EngineException(
            "the runtime could not create container "
                + id
                + ": "
                + Conmon.tail(rt.resolve("runc.log")));
      }
      try {
        recordExit(id, code);
      } catch (IOException e) {
        throw new EngineException(
            "container "
                + id
                + " exited with "
                + code
                + ", but that could not be recorded: "
                + e.getMessage(),
            e);
      }
      return code;
    }
  }

  /** Splits bytes into whole UTF-8 lines for a consumer. */
  private static final class Lines {
    private final java.util.function.Consumer<String> output;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    Lines(java.util.function.Consumer<String> output) {
      this.output = output;
    }

    void add(byte[] bytes, int n) {
      int last = -1;
      for (int i = n - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          last = i;
          break;
        }
      }
      if (last < 0) {
        pending.write(bytes, 0, n);
        return;
      }
      pending.write(bytes, 0, last + 1);
      output.accept(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
      pending.reset();
      pending.write(bytes, last + 1, n - last - 1);
    }

    void end() {
      if (pending.size() > 0) {
        output.accept(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  private static int waitUninterruptibly(Process p) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor();
        } catch (InterruptedException e) {
          interrupted = true; // it ended its output already: its exit is near
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Records an exit as conmon does: in the run-time directory, and on disk. */
  private void recordExit(String id, int code) throws IOException {
    Path persist = dir(id).resolve("persist");
    if (!Files.isDirectory(persist)) {
      Files.createDirectory(persist); // not its parent: a removed container stays removed
    }
    Files.writeString(persist.resolve("exit"), String.valueOf(code));
    Files.writeString(runDir(id).resolve("exits").resolve(id), String.valueOf(code));
  }

  /**
   * The marker of a run in the foreground ({@link #startForeground}): it names the engine process
   * ({@code pid start-millis}) whose thread waits for it.
   */
  private static final String FOREGROUND = "foreground";

  /** This process as a foreground run's marker names it. */
  private static String ownProcess() {
    ProcessHandle self = ProcessHandle.current();
    return self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** Beside the exit of a run the engine ended itself ({@link #endRunsOfGoneWatchers}): why. */
  private static final String ERROR = "error";

  /** Runs a change of container {@code id} under its lifecycle lock (the engine's). */
  public interface Lifecycle {
    void changing(String id, Runnable change);
  }

  /**
   * Ends the runs whose watcher is gone, whose exit no one would otherwise record: a foreground run
   * whose engine process crashed while a build step ran, and a run whose conmon was killed (the
   * container would run on with its output going nowhere and no exit ever seen, its pid free to be
   * another process's once it ended). Each is killed by the runtime (which checks the process is
   * still the container's) and its exit recorded as 137, with why ({@link #error}); the engine then
   * announces the exit, and the container's restart policy applies.
   *
   * <p>Candidates are found without a lock; each is then looked at again and ended under {@code
   * lifecycle}, so that a start, stop or removal of the same container never interleaves with it (a
   * start that had just deleted the last run's exit record, or a removal, would otherwise meet an
   * exit or a directory written behind its back). A run whose process outlives the runtime's forced
   * delete is not recorded as ended; the next look tries again.
   *
   * @return the ids of the containers ended
   */
  public List<String> endRunsOfGoneWatchers(Lifecycle lifecycle) {
    Path all = run.resolve("containers");
    if (!Files.isDirectory(all)) {
      return List.of();
    }
    List<Path> dirs;
    try (java.util.stream.Stream<Path> list = Files.list(all)) {
      dirs = list.toList();
    } catch (IOException e) {
      return List.of();
    }
    List<String> ended = new ArrayList<>();
    for (Path rt : dirs) {
      String id = rt.getFileName().toString();
      try {
        if (exitCode(id).isPresent() || goneWatcher(rt, id) == null) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      lifecycle.changing(
          id,
          () -> {
            try {
              if (endRun(id)) {
                ended.add(id);
              }
            } catch (IOException | EngineException e) {
              System.err.println(
                  "jstack engine: cannot end container " + id + "'s run: " + e.getMessage());
            }
          });
    }
    return ended;
  }

  /** Ends the run of {@code id} if its watcher is still gone (under its lifecycle lock). */
  private boolean endRun(String id) throws IOException {
    Path dir = dir(id);
    Path rt = runDir(id);
    // conmon records the exit before it ends: a record made meanwhile is the true one.
    String why = exitCode(id).isPresent() || !Files.isDirectory(dir) ? null : goneWatcher(rt, id);
    if (why == null) {
      return false;
    }
    Runc runc = runc(id);
    if (runc.hasState(id)) {
      // It may fail once it killed: the process's zombie, which the host's init reaps slowly, still
      // holds the cgroup. Whether a process still runs is what decides, below.
      runc.runQuietly("delete", "--force", id);
    }
    if (exitCode(id).isPresent()) {
      return false;
    }
    List<Long> live = liveProcessesAfter(id, Duration.ofSeconds(1));
    if (!live.isEmpty()) {
      // Without the runtime's state (or past its delete) they are killed here: a pid in the
      // container's cgroup is one of its processes.
      for (long pid : live) {
        NativeFs.kill(pid, 9);
      }
      if (!liveProcessesAfter(id, Duration.ofSeconds(1)).isEmpty()) {
        return false; // looked at again next time
      }
    }
    conmon.removeSocketLink(id);
    recordExit(id, 137);
    Files.writeString(dir.resolve("persist").resolve(ERROR), why + "\n");
    return true;
  }

  /** The live processes of container {@code id} once they are gone, or {@code patience} is out. */
  private List<Long> liveProcessesAfter(String id, Duration patience) {
    Instant deadline = Instant.now().plus(patience);
    while (true) {
      List<Long> live = cgroups.liveProcesses(id);
      if (live.isEmpty() || Instant.now().isAfter(deadline)) {
        return live;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return live;
      }
    }
  }

  /**
   * Why run {@code rt} of container {@code id}, which has no exit recorded, has no watcher; or
   * null.
   */
  private static @Nullable String goneWatcher(Path rt, String id) throws IOException {
    Path marker = rt.resolve(FOREGROUND);
    if (Files.exists(marker)) {
      return alive(Files.readString(marker))
          ? null
          : "the engine process that ran it in the foreground ended before it";
    }
    Path monitor = rt.resolve("conmon.pid");
    if (!Conmon.created(rt) || !Files.exists(monitor)) {
      return null; // not started, or its conmon is still being launched
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(monitor).strip());
    } catch (NumberFormatException e) {
      return null;
    }
    return Conmon.monitors(pid, id)
        ? null
        : "its monitor (conmon, pid " + pid + ") ended before it did; the engine killed it";
  }

  /**
   * Why the engine ended its last run itself ({@link #endRunsOfGoneWatchers}), Docker's {@code
   * State.Error}; empty when its run ended on its own or it has not ended.
   */
  public String error(String id) {
    try {
      Path f = dir(id).resolve("persist").resolve(ERROR);
      return exitCode(id).isPresent() && Files.exists(f) ? Files.readString(f).strip() : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the process a foreground marker names still runs. */
  private static boolean alive(String marker) {
    String[] f = marker.strip().split(" ");
    try {
      long pid = Long.parseLong(f[0]);
      return ProcessHandle.of(pid)
          .flatMap(h -> h.info().startInstant())
          .map(t -> f.length > 1 && String.valueOf(t.toEpochMilli()).equals(f[1]))
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Readies a created container's run-time directory for a new run ({@code config.json} linked to
   * the bundle's, no exit or pid of a run before, the runtime noted, the mount points made), a
   * restarted one's runtime state of the last run deleted first; returns the directory.
   */
  private Path prepareRun(String id) throws IOException {
    Path dir = requireDir(id);
    Path rt = runDir(id);
    Runc last = runc(id);
    if (last.hasState(id)) {
      // A restart: the runtime's record of the last run goes first.
      last.runQuietly("delete", "--force", id);
      Conmon.waitForExit(rt);
    }
    Files.createDirectories(rt.resolve("exits"));
    Path persist = Files.createDirectories(dir.resolve("persist"));
    Files.deleteIfExists(persist.resolve("exit"));
    Files.deleteIfExists(persist.resolve(ERROR));
    Files.deleteIfExists(rt.resolve("exits").resolve(id));
    Files.deleteIfExists(rt.resolve("pidfile"));
    Files.deleteIfExists(rt.resolve(FOREGROUND));
    Files.writeString(rt.resolve("runtime"), wantedRuntime(dir) + "\n");
    if (!Files.exists(rt.resolve("config.json"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(rt.resolve("config.json"), dir.resolve("config.json"));
    }
    Bundles.makeMountPoints(dir);
    return rt;
  }

  /**
   * The host pid of its main process while it runs, for others to join its namespaces.
   *
   * @throws EngineException.Conflict when it is not running
   */
  public long mainPid(String id, String name) {
    requireDir(id);
    Path rt = runDir(id);
    if (exitCode(id).isEmpty() && Conmon.created(rt) && watched(id)) {
      try {
        return Long.parseLong(Files.readString(rt.resolve("pidfile")).strip());
      } catch (IOException | NumberFormatException e) {
        // Not running after all.
      }
    }
    throw new EngineException.Conflict("container " + name + " is not running");
  }

  /**
   * Makes its next start join namespace {@code type} ({@code ipc} or {@code pid}) of process {@code
   * pid}; joining the IPC namespace of container {@code shmOf} (a shareable one) also shares its
   * {@code /dev/shm}, that of the host (null) the host's.
   */
  public void joinNamespace(String id, String type, long pid, @Nullable String shmOf) {
    try {
      Bundles.join(
          requireDir(id), type, pid, shmOf == null ? Path.of("/dev/shm") : Bundles.shm(dir(shmOf)));
    } catch (IOException e) {
      throw new EngineException(
          "could not join the " + type + " namespace of process " + pid + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts {@code e} in a running container: the runtime's {@code exec} in the foreground, with
   * pipes for its streams, or a host pseudo-terminal of {@code rows} × {@code columns} when {@code
   * e.tty()}.
   *
   * @throws EngineException.Conflict when the container is not running
   */
  public ExecProcess exec(String id, ExecConfig e, int rows, int columns) {
    Path dir = requireDir(id);
    Path rt = runDir(id);
    if (exitCode(id).isPresent() || !Conmon.created(rt)) {
      throw new EngineException.Conflict("container " + id + " is not running");
    }
    if (paused(id)) {
      throw new EngineException.Conflict(
          "container " + id + " is paused, unpause the container before exec");
    }
    String name =
        "exec-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    Path pidFile = rt.resolve(name + ".pid");
    Path processFile = rt.resolve(name + ".json");
    try {
      Bundles.writeExecProcess(dir, e, processFile);
      Runc runc = runc(id);
      List<String> cmd = runc.execCommand(id, pidFile, processFile);
      List<Path> files = List.of(pidFile, processFile);
      if (!e.tty()) {
        return new ExecProcess(runc.process(cmd).start(), null, files);
      }
      Pty pty = Pty.open(rows, columns);
      try {
        // The shell opens the terminal in the child: opened here, it could become the controlling
        // terminal of an engine that leads its own session.
        List<String> viaShell =
            new ArrayList<>(
                List.of("/bin/sh", "-c", "exec \"$@\" <>\"$JSTACK_PTY\" >&0 2>&0", "sh"));
        viaShell.addAll(cmd);
        ProcessBuilder pb = runc.process(viaShell);
        pb.environment().put("JSTACK_PTY", pty.slave().toString());
        return new ExecProcess(pb.start(), pty, files);
      } catch (IOException | RuntimeException failed) {
        pty.close();
        throw failed;
      }
    } catch (IOException ex) {
      throw new EngineException("cannot exec in container " + id + ": " + ex.getMessage(), ex);
    }
  }

  /**
   * What the running container uses now (its cgroups).
   *
   * @throws EngineException.Conflict when it does not run
   */
  public Usage usage(String id) {
    requireDir(id);
    try {
      return Usage.of(cgroups.of(id), pid(id).orElse(0));
    } catch (IOException | NumberFormatException e) {
      if (exitCode(id).isPresent()) {
        throw new EngineException.Conflict("container " + id + " is not running");
      }
      throw new EngineException(
          "cannot read the usage of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Its attach socket (conmon's, while it runs a container with a terminal or an open input):
   * packets of output, each led by its stream (2 stdout, 3 stderr), and input the other way.
   */
  public Path attachSocket(String id) {
    return runDir(id).resolve("attach");
  }

  /** Resizes its terminal (through conmon's control FIFO); nothing if it has none or ended. */
  public void resize(String id, int rows, int columns) {
    Path ctl = runDir(id).resolve("ctl");
    if (rows <= 0 || columns <= 0 || exitCode(id).isPresent() || !Files.exists(ctl)) {
      return;
    }
    try {
      Files.writeString(
          ctl, "1 " + rows + " " + columns + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new EngineException(
          "cannot resize the terminal of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Its exit code once it has exited (conmon's record: in the run-time directory, else the copy
   * conmon keeps on disk, which outlives a reboot), else empty.
   */
  public OptionalInt exitCode(String id) {
    Path f = exitFile(id);
    try {
      String s = f != null ? Files.readString(f).strip() : "";
      return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** When it exited (conmon's record), if it has. */
  public Optional<java.time.Instant> finishedAt(String id) {
    Path f = exitFile(id);
    try {
      return f != null && exitCode(id).isPresent()
          ? Optional.of(Files.getLastModifiedTime(f).toInstant())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** conmon's record of its last exit, in memory, else on disk; null before its first. */
  private @Nullable Path exitFile(String id) {
    Path inMemory = runDir(id).resolve("exits").resolve(id);
    if (Files.exists(inMemory)) {
      return inMemory;
    }
    Path onDisk = dir(id).resolve("persist").resolve("exit");
    return Files.exists(onDisk) ? onDisk : null;
  }

  /** How many times {@link #waitExit} looks every millisecond before it looks every 10 ms. */
  static final int EAGER_POLLS = 50;

  /** Whether it has been started and its pid recorded (it runs, or ran until its exit). */
  public boolean started(String id) {
    return Files.exists(runDir(id).resolve("pidfile"));
  }

  /**
   * Waits up to {@code timeout} for it to exit; its exit code, or empty if still running. conmon's
   * exit file is looked at every millisecond for the first {@link #EAGER_POLLS} looks, then every
   * 10 ms: a build's RUN step often ends within milliseconds, and waiting out a 10 ms sleep cost it
   * 5 ms on average.
   */
  public OptionalInt waitExit(String id, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (int looks = 1; ; looks++) {
      OptionalInt code = exitCode(id);
      if (code.isPresent() || Instant.now().isAfter(deadline)) {
        return code;
      }
      try {
        Thread.sleep(looks <= EAGER_POLLS ? 1 : 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return OptionalInt.empty();
      }
    }
  }

  /**
   * {@link #waitExit}, for a stop or removal (which hold the container's lifecycle lock): a run
   * whose watcher is gone records no exit of its own, so each second it is looked at and, if so,
   * ended here ({@link #endRun}) rather than by the supervisor, which waits for the same lock.
   */
  private OptionalInt waitExitOrEnd(String id, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      OptionalInt code =
          waitExit(id, left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
      if (code.isPresent() || !Instant.now().isBefore(deadline)) {
        return code;
      }
      try {
        if (goneWatcher(runDir(id), id) != null) {
          endRun(id);
        }
      } catch (IOException | EngineException e) {
        // Looked at again in a second.
      }
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code TERM}, {@code KILL}, or a number) to its process. While no
   * exit is recorded and its watcher runs ({@link #watched}), its pid cannot belong to another
   * process: the signal goes straight to it, sparing a runtime process per signal. Without its
   * watcher the host's init may have reaped it, and the runtime, which checks the process's start
   * time, signals it.
   */
  public void kill(String id, String signal) {
    Integer number = Signals.number(signal);
    Path pidFile = runDir(id).resolve("pidfile");
    if (number != null && exitCode(id).isEmpty() && Conmon.created(runDir(id)) && watched(id)) {
      try {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        if (NativeFs.kill(pid, number)) {
          return;
        }
      } catch (IOException | NumberFormatException e) {
        // Let runc try.
      }
    }
    runc(id).run("kill", id, signal);
  }

  /**
   * Whether the run of container {@code id} still has its watcher (its conmon, or the engine thread
   * of a foreground run), which alone reaps its process: only then is the pid in its pidfile
   * certainly that process's, and not one the host's init reaped and gave to another.
   */
  private boolean watched(String id) {
    try {
      return goneWatcher(runDir(id), id) == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends a signal unless the container exited meanwhile (then runc has nothing to signal). */
  private void signal(String id, String signal) {
    try {
      kill(id, signal);
    } catch (EngineException e) {
      if (waitExit(id, Duration.ofSeconds(1)).isEmpty()) {
        throw e;
      }
    }
  }

  /**
   * The host pid of the container's process (runc's pidfile) while no exit is recorded and its
   * watcher runs ({@link #watched}): the number is still that process's; empty before its start,
   * after its end, and once its watcher is gone.
   */
  public OptionalLong pid(String id) {
    Path pidFile = runDir(id).resolve("pidfile");
    if (exitCode(id).isPresent() || !Files.isReadable(pidFile) || !watched(id)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      // Being written, or gone with the container: no process to name.
      return OptionalLong.empty();
    }
  }

  /** The host pids of the container's processes, from its cgroup (v1 or v2); none without one. */
  public List<Long> pids(String id) {
    ContainerCgroup cgroup;
    try {
      cgroup = cgroups.of(id);
    } catch (IOException none) {
      return List.of();
    }
    try {
      return cgroup.processes();
    } catch (IOException | NumberFormatException e) {
      throw new EngineException(
          "cannot read the processes of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Freezes every process of the running container (its cgroup's freezer, as the runtimes' {@code
   * pause}) and notes that it is paused.
   *
   * @throws EngineException.Conflict when it does not run
   */
  public void pause(String id) {
    if (pid(id).isEmpty()) {
      throw new EngineException.Conflict("container " + id + " is not running");
    }
    try {
      cgroups.of(id).freeze(true);
    } catch (IOException e) {
      throw new EngineException("cannot pause container " + id + ": " + e.getMessage(), e);
    }
    try {
      Files.writeString(runDir(id).resolve("paused"), "");
    } catch (IOException e) {
      throw new EngineException(
          "container " + id + " paused, but its state could not be recorded: " + e.getMessage(), e);
    }
  }

  /** Thaws a paused container; one whose cgroup went with its end only loses its paused note. */
  public void resume(String id) {
    try {
      cgroups.of(id).freeze(false);
    } catch (IOException e) {
      if (exitCode(id).isEmpty()) {
        throw new EngineException("cannot resume container " + id + ": " + e.getMessage(), e);
      }
    }
    try {
      Files.deleteIfExists(runDir(id).resolve("paused"));
    } catch (IOException e) {
      throw new EngineException(
          "container " + id + " resumed, but its state could not be recorded: " + e.getMessage(),
          e);
    }
  }

  /** Whether it is paused (and still running). */
  public boolean paused(String id) {
    return Files.exists(runDir(id).resolve("paused")) && exitCode(id).isEmpty();
  }

  /** Sends {@code signal}, then KILL after {@code grace}; returns the exit code. */
  public int stop(String id, String signal, Duration grace) {
    if (paused(id)) {
      resume(id);
    }
    if (exitCode(id).isEmpty()) {
      signal(id, signal == null ? "TERM" : signal);
      if (waitExitOrEnd(id, grace).isEmpty()) {
        signal(id, "KILL");
      }
    }
    return waitExitOrEnd(id, Duration.ofSeconds(30))
        .orElseThrow(() -> new EngineException("container " + id + " did not exit after SIGKILL"));
  }

  /**
   * Removes a container and everything it had on this host: its process (killed), runc state,
   * cgroups, overlay mount and files.
   */
  public void remove(String id) {
    if (!Files.exists(dir(id))) {
      return;
    }
    try {
      if (started(id) && exitCode(id).isEmpty()) {
        try {
          kill(id, "KILL");
        } catch (EngineException gone) {
          // Already stopped.
        }
        if (Files.exists(runDir(id).resolve("paused"))) {
          try {
            // On v1 a frozen process dies of SIGKILL only once thawed.
            resume(id);
          } catch (EngineException stillFrozen) {
            // The runtime's forced delete below thaws it too, after the wait.
          }
        }
        waitExitOrEnd(id, Duration.ofSeconds(30));
      }
      cleanUp(id);
    } catch (IOException e) {
      throw new EngineException("could not remove container " + id + ": " + e.getMessage(), e);
    }
  }

  private void cleanUp(String id) throws IOException {
    Path dir = dir(id);
    Runc runc = runc(id);
    if (runc.hasState(id) && !deleteEnded(id, runc)) {
      runc.runQuietly("delete", "--force", id);
    }
    Conmon.waitForExit(runDir(id));
    conmon.removeSocketLink(id);
    NativeFs.unmount(dir.resolve("rootfs"));
    NativeFs.unmount(Bundles.shm(dir));
    LayerUnpacker.removeTree(runDir(id));
    LayerUnpacker.removeTree(dir);
  }

  /** How long {@link #deleteEnded} waits for the kernel to let the last process leave a cgroup. */
  private static final Duration CGROUP_PATIENCE = Duration.ofMillis(100);

  /**
   * Deletes what the runtime keeps of a container whose end is recorded (its process reaped), as
   * its {@code delete} would, without starting a runtime process: its cgroups, then its state
   * directory. A {@code down} of 50 containers started 50 runtimes for this, each taking tens of
   * milliseconds of these machines' two cores.
   *
   * @return whether it is deleted; false when it has not ended, or a cgroup still holds a process
   *     (the runtime's forced delete, which kills those, is then needed)
   */
  private boolean deleteEnded(String id, Runc runc) throws IOException {
    if (exitCode(id).isEmpty() || !cgroups.remove(id, CGROUP_PATIENCE)) {
      return false;
    }
    LayerUnpacker.removeTree(runc.root().resolve(id));
    return true;
  }

  private Path requireDir(String id) {
    Path dir = dir(id);
    if (!Files.isDirectory(dir)) {
      throw new EngineException.NotFound("No such container: " + id);
    }
    return dir;
  }
}
