package io.jstack.cli;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.EngineDaemon;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
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
    subcommands = {
      EngineCommand.Start.class,
      EngineCommand.Status.class,
      EngineCommand.Stop.class,
      EngineCommand.Logs.class
    },
    footer = {"", "Examples:", "  jstack engine status", "  jstack engine stop"})
final class EngineCommand implements Callable<Integer> {
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

  @Override
  public Integer call() throws Exception {
    Jstack root = (Jstack) spec.root().userObject();
    Path at = socket != null ? socket : Engines.embeddedSocket(root.environment());
    return EngineDaemon.serve(
        root.dataRoot(),
        at,
        dnsUpstream,
        group,
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  @Command(
      name = "start",
      description =
          "Start the embedded engine in the background, as any command that needs it does; nothing to do when it runs.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Jstack root = (Jstack) spec.root().userObject();
      io.jstack.engine.Engine engine = root.openEmbeddedEngine();
      try {
        spec.commandLine()
            .getOut()
            .println(
                "running: unix://"
                    + Engines.embeddedSocket(root.environment())
                    + pidOf(root.dataRoot()));
      } finally {
        if (engine instanceof AutoCloseable c) {
          c.close();
        }
      }
      return Jstack.EXIT_OK;
    }
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
}
