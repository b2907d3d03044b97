package io.jstack.cli;

import io.jstack.cli.internal.EngineProcess;
import io.jstack.cli.internal.Engines;
import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.RunDirectory;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.api.RecordUpgrade;
import io.jstack.runtime.container.RuntimeChoice;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.engine.RecordFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jstack engine}: the embedded engine in the foreground, serving the Docker Engine API on
 * its socket; {@code status}, {@code stop} and {@code logs} for the one the CLI starts on demand.
 */
@Command(
    name = "engine",
    description = "Run the embedded engine (the CLI starts it on demand), or manage it.",
    subcommands = {EngineCommand.Status.class, EngineCommand.Stop.class, EngineCommand.Logs.class},
    footer = {"", "Examples:", "  jstack engine status", "  jstack engine stop"})
final class EngineCommand implements Callable<Integer> {
  /** Where the running engine notes its runtime and why, for {@code status}. */
  static final String RUNTIME_FILE = "engine.runtime";

  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "Where to serve (default: $JSTACK_ENGINE_SOCKET, else /run/jstack/engine.sock).")
  @Nullable Path socket;

  @Option(
      names = "--dns-upstream",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Where the DNS of bridge networks asks names it does not know (default: $JSTACK_DNS_UPSTREAM, else the host's resolvers).")
  @Nullable String dnsUpstream;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "The group that may use the socket besides root (default: jstack, if that group exists).")
  @Nullable String group;

  @Option(
      names = "--runtime",
      paramLabel = "crun|runc|PATH",
      description =
          "The OCI runtime to run containers with (default: $JSTACK_RUNTIME, else the fastest installed one that runs a container here).")
  @Nullable String runtime;

  @Override
  public Integer call() throws Exception {
    Jstack root = (Jstack) spec.root().userObject();
    DataRoot dataRoot = root.dataRoot();
    Path at = socket != null ? socket : Engines.embeddedSocket(root.environment());
    if (!EngineProcess.settled()) {
      return runSettled(dataRoot, at);
    }
    Path verdicts = Files.createDirectories(dataRoot.path().resolve("runtime"));
    RuntimeChoice choice =
        runtime != null
            ? RuntimeChoice.choose(runtime, "--runtime", verdicts)
            : RuntimeChoice.choose(
                root.environment().get(RuntimeChoice.VARIABLE), RuntimeChoice.VARIABLE, verdicts);
    for (String warning : choice.warnings()) {
      spec.commandLine().getErr().println("jstack engine: warning: " + warning);
    }
    spec.commandLine().getErr().flush();
    RuntimeTools tools = choice.tools();
    int upgraded = RecordUpgrade.upgrade(dataRoot);
    if (upgraded > 0) {
      spec.commandLine()
          .getErr()
          .println(
              "jstack engine: upgraded "
                  + upgraded
                  + " container record(s) to format "
                  + RecordFile.FORMAT);
    }
    if (EngineServer.answers(at)) {
      throw new EngineException(
          "an engine already answers on " + at + ": stop it first (jstack engine stop)");
    }
    RunDirectory run = RunDirectory.open(dataRoot);
    EmbeddedEngine engine;
    try {
      engine = new EmbeddedEngine(dataRoot, tools);
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
    // Networks, DNS and published ports are back before the socket answers: a client that finds
    // the engine finds them too.
    Map<String, String> dnsEnv = new java.util.HashMap<>(System.getenv());
    if (dnsUpstream != null) {
      dnsEnv.put("JSTACK_DNS_UPSTREAM", dnsUpstream);
    }
    engine.supervise(
        java.time.Duration.ofMillis(200), io.jstack.runtime.network.DnsServer.upstreams(dnsEnv));
    String socketGroup = group != null ? group : groupExists("jstack") ? "jstack" : null;
    java.io.PrintWriter log = spec.commandLine().getOut();
    // The pid file is in place before the socket answers: whoever finds the engine can stop it.
    Path pid = dataRoot.path().resolve("engine.pid");
    Path pidTemp = dataRoot.path().resolve("engine.pid.tmp");
    Path runtimeFile = dataRoot.path().resolve(RUNTIME_FILE);
    Files.writeString(runtimeFile, choice.reason() + "\n");
    Files.writeString(pidTemp, ProcessHandle.current().pid() + "\n");
    Files.move(pidTemp, pid, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    EngineServer server;
    try {
      server =
          EngineServer.start(
              engine,
              at,
              socketGroup,
              line -> {
                synchronized (log) {
                  log.println(Instant.now() + " " + line);
                  log.flush();
                }
              });
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(pid);
      Files.deleteIfExists(runtimeFile);
      engine.stopSupervising();
      run.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.stopSupervising();
                  server.close();
                  try {
                    Files.deleteIfExists(pid);
                    Files.deleteIfExists(runtimeFile);
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
                "jstack-engine-shutdown"));
    spec.commandLine()
        .getOut()
        .println(
            "jstack engine "
                + ProcessHandle.current().pid()
                + " serving unix://"
                + at
                + " (data root "
                + dataRoot.path()
                + ", runtime "
                + choice.reason()
                + (run.mountedByJstack() ? ", run-time state on a tmpfs at " + run.path() : "")
                + ")");
    spec.commandLine().getOut().flush();
    stopped.await();
    return Jstack.EXIT_OK;
  }

  /**
   * Runs the engine again as a child working in {@code /} with the daemon's umask (a JVM can change
   * neither), passing signals on and returning its exit code.
   */
  private int runSettled(DataRoot dataRoot, Path at) throws IOException, InterruptedException {
    Process child =
        EngineProcess.builder(dataRoot, at, dnsUpstream, group, runtime, false).inheritIO().start();
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

  @Command(name = "status", description = "Say whether the embedded engine runs.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Jstack root = (Jstack) spec.root().userObject();
      Path at = Engines.embeddedSocket(root.environment());
      if (Engines.answers(at)) {
        spec.commandLine().getOut().println("running: unix://" + at + pidOf(root.dataRoot()));
        try {
          spec.commandLine()
              .getOut()
              .println(
                  "runtime: "
                      + Files.readString(root.dataRoot().path().resolve(RUNTIME_FILE)).strip());
        } catch (IOException e) {
          spec.commandLine()
              .getOut()
              .println("runtime: not recorded (an engine of an older jstack)");
        }
        return Jstack.EXIT_OK;
      }
      spec.commandLine()
          .getOut()
          .println("not running (the CLI starts it when a command needs it)");
      return 3;
    }
  }

  @Command(name = "stop", description = "Stop the embedded engine; containers keep running.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Jstack root = (Jstack) spec.root().userObject();
      Path pidFile = root.dataRoot().path().resolve("engine.pid");
      if (!Files.exists(pidFile)) {
        spec.commandLine().getOut().println("not running");
        return Jstack.EXIT_OK;
      }
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      Optional<ProcessHandle> engine = ProcessHandle.of(pid);
      if (engine.isPresent()) {
        ProcessHandle p = engine.get();
        p.destroy();
        Instant deadline = Instant.now().plusSeconds(10);
        while (p.isAlive() && Instant.now().isBefore(deadline)) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for engine " + pid + " to stop");
          }
        }
        if (p.isAlive()) {
          throw new EngineException(
              "engine "
                  + pid
                  + " is still running 10 s after it was asked to stop; see "
                  + root.dataRoot().path().resolve("engine.log")
                  + ", or end it with kill -9 "
                  + pid);
        }
      }
      spec.commandLine().getOut().println("stopped engine " + pid);
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "logs", description = "Print the embedded engine's log.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Jstack root = (Jstack) spec.root().userObject();
      Path log = root.dataRoot().path().resolve("engine.log");
      if (!Files.exists(log)) {
        throw new EngineException(
            "no engine log at " + log + ": the engine has not run with this data root");
      }
      spec.commandLine().getOut().print(Files.readString(log));
      spec.commandLine().getOut().flush();
      return Jstack.EXIT_OK;
    }
  }

  private static String pidOf(DataRoot root) {
    try {
      return " (pid " + Files.readString(root.path().resolve("engine.pid")).strip() + ")";
    } catch (IOException e) {
      return "";
    }
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
