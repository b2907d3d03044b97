package io.jstack.runtime;

import io.jstack.engine.EngineException;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.api.RecordUpgrade;
import io.jstack.runtime.container.RuntimeChoice;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.engine.RecordFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded engine in the foreground, serving the Docker Engine API on its socket until the
 * process is asked to stop: what {@code jstack engine} runs, and the main class of the detached
 * engine {@link Engines} starts on demand for the CLI and the Java API alike.
 */
public final class EngineDaemon {
  /** Where the running engine notes its runtime and why, for {@code jstack engine status}. */
  public static final String RUNTIME_FILE = "engine.runtime";

  /**
   * The file, in the data root, that says where the running engine serves TCP besides its socket
   * (as {@code TcpListen.describe} writes it); absent when it serves its socket only.
   */
  public static final String LISTEN_FILE = "engine.listen";

  /**
   * The file, in the data root, naming the build of jstack whose clients' commands the running
   * engine runs ({@link ResidentCommands#BUILD_PROPERTY}); absent when it runs none.
   */
  public static final String BUILD_FILE = "engine.build";

  private EngineDaemon() {}

  /**
   * The detached engine's entry: {@code --data-root DIR --socket PATH} and the flags of {@link
   * ServeOptions}; exits 1 with a one-line error when it cannot serve, 2 on a wrong argument.
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i], args[i + 1]);
    }
    String dataRoot = flags.get("--data-root");
    String socket = flags.get("--socket");
    ServeOptions options;
    try {
      options = ServeOptions.fromFlags(flags);
    } catch (IllegalArgumentException e) {
      err.println("jstack engine: " + e.getMessage());
      options = null;
    }
    if (args.length % 2 != 0 || dataRoot == null || socket == null || options == null) {
      err.println(
          "jstack engine: usage: EngineDaemon --data-root DIR --socket PATH"
              + " [--dns-upstream HOST:PORT] [--group GROUP] [--runtime crun|runc|PATH]"
              + " [--tls-listen ADDR:PORT --tlscacert FILE --tlscert FILE --tlskey FILE"
              + " | --insecure-listen LOOPBACK:PORT]");
      System.exit(2);
      return;
    }
    int code;
    try {
      code = serve(DataRoot.resolve(dataRoot, System.getenv()), Path.of(socket), options, out, err);
    } catch (Exception e) {
      err.println("jstack engine: " + e.getMessage());
      code = 1;
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Serves the engine of {@code root} on {@code at} until this process is asked to stop, and
   * returns the exit code; when this process does not work in {@code /} with the daemon's umask,
   * the engine runs as a child that does ({@link EngineProcess}). Its runtime is {@code runtime}
   * when given, else {@code $JSTACK_RUNTIME}, else the fastest installed one that runs a container
   * here. {@code out} gets the request log, {@code err} the warnings.
   *
   * @throws EngineException when another engine already answers on {@code at}
   */
  public static int serve(
      DataRoot root, Path at, ServeOptions options, PrintWriter out, PrintWriter err)
      throws Exception {
    if (!EngineProcess.settled()) {
      return runSettled(root, at, options);
    }
    String runtime = options.runtime();
    String dnsUpstream = options.dnsUpstream();
    String group = options.group();
    // Netty (the engine's server) probes Java Flight Recorder when it loads: ~100 classes unused.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    Path verdicts = Files.createDirectories(root.path().resolve("runtime"));
    holdTheDataRoot(root);
    RuntimeChoice choice =
        runtime != null
            ? RuntimeChoice.choose(runtime, "--runtime", verdicts)
            : RuntimeChoice.choose(
                System.getenv(RuntimeChoice.VARIABLE), RuntimeChoice.VARIABLE, verdicts);
    for (String warning : choice.warnings()) {
      err.println("jstack engine: warning: " + warning);
    }
    err.flush();
    RuntimeTools tools = choice.tools();
    int upgraded = RecordUpgrade.upgrade(root);
    if (upgraded > 0) {
      err.println(
          "jstack engine: upgraded "
              + upgraded
              + " container record(s) to format "
              + RecordFile.FORMAT);
    }
    if (EngineServer.answers(at)) {
      throw new EngineException(
          "an engine already answers on " + at + ": stop it first (jstack engine stop)");
    }
    RunDirectory run = RunDirectory.open(root);
    EmbeddedEngine engine;
    try {
      engine = new EmbeddedEngine(root, tools);
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
    Path pid = root.path().resolve("engine.pid");
    Path pidTemp = root.path().resolve("engine.pid.tmp");
    Path runtimeFile = root.path().resolve(RUNTIME_FILE);
    Path listenFile = root.path().resolve(LISTEN_FILE);
    Path buildFile = root.path().resolve(BUILD_FILE);
    // What says the engine runs and how; gone when it stops.
    java.util.List<Path> notes = java.util.List.of(pid, runtimeFile, listenFile, buildFile);
    java.util.concurrent.atomic.AtomicReference<EngineServer> serving =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook is in place before anyone can find the engine (by its pid file or its socket): a
    // stop at any moment from here on, even while it is still starting, releases what it holds.
    Thread shutdown =
        new Thread(
            () -> {
              engine.stopSupervising();
              EngineServer server = serving.get();
              if (server != null) {
                server.close();
              }
              try {
                for (Path note : notes) {
                  Files.deleteIfExists(note);
                }
              } catch (IOException ignored) {
                // The next engine overwrites them.
              }
              try {
                String kept = run.release();
                if (kept != null) {
                  System.err.println("jstack engine: " + kept);
                }
              } catch (IOException e) {
                System.err.println("jstack engine: " + e.getMessage());
              }
              stopped.countDown();
            },
            "jstack-engine-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    java.util.function.Consumer<String> log =
        line -> {
          synchronized (out) {
            out.println(Instant.now() + " " + line);
            out.flush();
          }
        };
    try {
      // Networks, DNS and published ports are back before the socket answers: a client that
      // finds the engine finds them too.
      Map<String, String> dnsEnv = new HashMap<>(System.getenv());
      if (dnsUpstream != null) {
        dnsEnv.put("JSTACK_DNS_UPSTREAM", dnsUpstream);
      }
      engine.supervise(
          java.time.Duration.ofMillis(200), io.jstack.runtime.network.DnsServer.upstreams(dnsEnv));
      String socketGroup = group != null ? group : groupExists("jstack") ? "jstack" : null;
      Files.writeString(runtimeFile, choice.reason() + "\n");
      if (options.tcp() != null) {
        Files.writeString(listenFile, options.tcp().describe() + "\n");
      } else {
        Files.deleteIfExists(listenFile);
      }
      String build = System.getProperty(ResidentCommands.BUILD_PROPERTY);
      if (build != null) {
        Files.writeString(buildFile, build + "\n");
      } else {
        Files.deleteIfExists(buildFile);
      }
      // The pid file is in place before the socket answers: whoever finds the engine can stop it.
      Files.writeString(pidTemp, ProcessHandle.current().pid() + "\n");
      Files.move(pidTemp, pid, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      EngineServer server = EngineServer.start(engine, at, socketGroup, log);
      serving.set(server);
      if (options.tcp() != null) {
        server.listen(options.tcp(), log);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdown);
      } catch (IllegalStateException stopping) {
        throw e; // A stop came meanwhile: the hook releases everything.
      }
      EngineServer server = serving.get();
      if (server != null) {
        server.close();
      }
      for (Path note : notes) {
        Files.deleteIfExists(note);
      }
      engine.stopSupervising();
      run.close();
      throw e;
    }
    out.println(
        "jstack engine "
            + ProcessHandle.current().pid()
            + " serving unix://"
            + at
            + (options.tcp() == null ? "" : " and " + options.tcp().describe())
            + " (data root "
            + root.path()
            + ", runtime "
            + choice.reason()
            + (run.mountedByJstack() ? ", run-time state on a tmpfs at " + run.path() : "")
            + ")");
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Runs the engine again as a child working in {@code /} with the daemon's umask (a JVM can change
   * neither), passing signals on and returning its exit code.
   */
  private static int runSettled(DataRoot root, Path at, ServeOptions options)
      throws IOException, InterruptedException {
    Process child = EngineProcess.builder(root, at, options, false).inheritIO().start();
    Thread forward =
        new Thread(
            () -> {
              child.destroy();
              try {
                child.waitFor();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "jstack-engine-forward");
    Runtime.getRuntime().addShutdownHook(forward);
    int code = child.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(forward);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it has waited for the child already.
    }
    return code;
  }

  /** The data root's lock, held while this process lives. */
  private static java.nio.channels.@org.jspecify.annotations.Nullable FileChannel dataRootLock;

  /**
   * Takes the data root for this process: two engines on one data root would restart, network and
   * remove the same containers.
   *
   * @throws EngineException when another engine holds it
   */
  private static synchronized void holdTheDataRoot(DataRoot root) throws IOException {
    java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            root.path().resolve("engine.lock"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException inThisProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String pid = "";
      try {
        pid = " (pid " + Files.readString(root.path().resolve("engine.pid")).strip() + ")";
      } catch (IOException unknown) {
        // It is starting, or has not written its pid yet.
      }
      throw new EngineException(
          "another engine"
              + pid
              + " uses the data root "
              + root.path()
              + ": stop it first (jstack engine stop), or give this one a data root of its own"
              + " (--data-root)");
    }
    dataRootLock = channel;
  }

  private static boolean groupExists(String name) {
    try {
      java.nio.file.FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(name);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
