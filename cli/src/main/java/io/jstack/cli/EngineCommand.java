package io.jstack.cli;

import io.jstack.engine.EngineException;
import io.jstack.engine.tls.Certificates;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.EngineDaemon;
import io.jstack.runtime.Engines;
import io.jstack.runtime.ServeOptions;
import io.jstack.runtime.api.TcpListen;
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
import picocli.CommandLine.ParameterException;
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
      EngineCommand.Logs.class,
      EngineCommand.Certs.class
    },
    footer = {
      "",
      "Examples:",
      "  jstack engine status",
      "  jstack engine stop",
      "  jstack engine certs /etc/jstack/tls --host build.example.com --ip 192.0.2.10",
      "  jstack engine --tls-listen 0.0.0.0:2376 --tlscacert /etc/jstack/tls/ca.pem \\",
      "      --tlscert /etc/jstack/tls/server-cert.pem --tlskey /etc/jstack/tls/server-key.pem",
      "",
      "A remote client then sets DOCKER_HOST=tcp://build.example.com:2376, DOCKER_TLS_VERIFY=1",
      "and DOCKER_CERT_PATH to a directory with ca.pem, cert.pem and key.pem (docker and jstack alike)."
    })
final class EngineCommand implements Callable<Integer>, OwnProcess {
  @Override
  public String whyOwnProcess() {
    return "engine commands start, stop and watch the engine itself";
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "Where to serve (default: $JSTACK_ENGINE_SOCKET, else /run/jstack/engine.sock).")
  @Nullable Path socket;

  @picocli.CommandLine.Mixin ServeFlags serve = new ServeFlags();

  @Override
  public Integer call() throws Exception {
    Jstack root = (Jstack) spec.root().userObject();
    Path at = socket != null ? socket : Engines.embeddedSocket(root.environment());
    ServeOptions options = serve.options(spec);
    return EngineDaemon.serve(
        root.dataRoot(), at, options, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * How the engine serves, for {@code engine} in the foreground and {@code engine start} in the
   * background alike: its DNS upstream, socket group, runtime and TCP listener.
   */
  static final class ServeFlags {
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

    @Option(
        names = "--tls-listen",
        paramLabel = "ADDR:PORT",
        description =
            "Also serve the API on TCP with mutual TLS only (TLS 1.2+, a client certificate from --tlscacert's CA required), e.g. 0.0.0.0:2376.")
    @Nullable String tlsListen;

    @Option(
        names = "--tlscacert",
        paramLabel = "FILE",
        description = "The CA whose client certificates --tls-listen accepts (ca.pem).")
    @Nullable String tlsCaCert;

    @Option(
        names = "--tlscert",
        paramLabel = "FILE",
        description = "The engine's certificate for --tls-listen (server-cert.pem).")
    @Nullable String tlsCert;

    @Option(
        names = "--tlskey",
        paramLabel = "FILE",
        description = "The key of --tlscert (server-key.pem).")
    @Nullable String tlsKey;

    @Option(
        names = "--insecure-listen",
        paramLabel = "LOOPBACK:PORT",
        description =
            "Also serve the API on plain TCP, without TLS: on a loopback address only (127.0.0.1, ::1), since whoever reaches it is root here.")
    @Nullable String insecureListen;

    /**
     * These flags as the engine takes them, warning on {@code spec}'s error stream of a listener
     * without TLS.
     *
     * @throws ParameterException when the TCP flags do not go together
     */
    ServeOptions options(CommandSpec spec) {
      TcpListen tcp;
      try {
        tcp = TcpListen.fromFlags(tlsListen, insecureListen, tlsCaCert, tlsCert, tlsKey);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (tcp != null && tcp.tls() == null) {
        spec.commandLine()
            .getErr()
            .println(
                "jstack engine: warning: "
                    + tcp.describe()
                    + " has no TLS: every process on this host that can connect to it can run"
                    + " anything as root; use --tls-listen for anything but a local test");
      }
      return new ServeOptions(dnsUpstream, group, runtime, tcp);
    }

    /** Whether any flag asks for more than what the CLI's on-demand start gives. */
    boolean any() {
      return dnsUpstream != null
          || group != null
          || runtime != null
          || tlsListen != null
          || insecureListen != null;
    }
  }

  @Command(
      name = "start",
      description =
          "Start the embedded engine in the background, as any command that needs it does; nothing to do when it runs.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin ServeFlags serve = new ServeFlags();

    @Override
    public Integer call() throws Exception {
      Jstack root = (Jstack) spec.root().userObject();
      Path at = Engines.embeddedSocket(root.environment());
      if (serve.any()) {
        ServeOptions options = serve.options(spec);
        if (Engines.answers(at)) {
          throw new EngineException(
              "the engine already runs on "
                  + at
                  + ", as it was started: stop it first (jstack engine stop), then start it with"
                  + " these flags");
        }
        // The runtime as the variable, so that the engine says what chose it.
        Engines.startEmbedded(
            at,
            root.dataRoot(),
            new ServeOptions(options.dnsUpstream(), options.group(), null, options.tcp()),
            options.runtime());
      }
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
        Path listen = root.dataRoot().path().resolve(EngineDaemon.LISTEN_FILE);
        try {
          if (Files.exists(listen)) {
            spec.commandLine().getOut().println("listening: " + Files.readString(listen).strip());
          }
        } catch (IOException e) {
          // Gone meanwhile: the engine stopped.
        }
        try {
          spec.commandLine()
              .getOut()
              .println(
                  "runtime: "
                      + Files.readString(root.dataRoot().path().resolve(EngineDaemon.RUNTIME_FILE))
                          .strip());
        } catch (IOException e) {
          spec.commandLine()
              .getOut()
              .println("runtime: not recorded (an engine of an older jstack)");
        }
        spec.commandLine().getOut().println("client commands: " + clientCommands(root));
        return Jstack.EXIT_OK;
      }
      spec.commandLine()
          .getOut()
          .println("not running (the CLI starts it when a command needs it)");
      return 3;
    }
  }

  /**
   * Whether the running engine runs this launcher's commands in its JVM (its build is this one's),
   * and what to do when it does not.
   */
  static String clientCommands(Jstack root) {
    String own = System.getProperty(io.jstack.runtime.ResidentCommands.BUILD_PROPERTY);
    String engine;
    try {
      engine = Files.readString(root.dataRoot().path().resolve(EngineDaemon.BUILD_FILE)).strip();
    } catch (IOException e) {
      return "each in a JVM of its own (the engine was not started by jstack's launcher)";
    }
    if (own == null) {
      return "run in the engine for the launcher's build " + engine;
    }
    return engine.equals(own)
        ? "run in the engine (build " + own + ")"
        : "each in a JVM of its own: the engine is build "
            + engine
            + ", this jstack "
            + own
            + "; restart it (jstack engine stop) to run them in the engine";
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

  @Command(
      name = "certs",
      description =
          "Write what mutual TLS needs to DIR: a CA (ca.pem, ca-key.pem), the engine's pair (server-cert.pem, server-key.pem) and a client pair (cert.pem, key.pem: a client's DOCKER_CERT_PATH takes ca.pem, cert.pem and key.pem).",
      footer = {
        "",
        "Keys are ECDSA P-256; the CA is valid for 10 years, the pairs for --days.",
        "The engine's certificate is for localhost, this host's name, 127.0.0.1 and ::1,",
        "and each --host and --ip given. Existing files are never overwritten."
      })
  static final class Certs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(
        index = "0",
        paramLabel = "DIR",
        description = "Where to write them (made if missing).")
    Path dir;

    @Option(
        names = "--host",
        paramLabel = "NAME",
        description = "A host name clients reach the engine by (repeatable).")
    java.util.List<String> hosts = new java.util.ArrayList<>();

    @Option(
        names = "--ip",
        paramLabel = "ADDR",
        description = "An address clients reach the engine at (repeatable).")
    java.util.List<String> ips = new java.util.ArrayList<>();

    @Option(
        names = "--days",
        paramLabel = "N",
        description =
            "How long the engine's and the client's certificates are valid (default: 730).")
    int days = (int) Certificates.LEAF_LIFETIME.toDays();

    @Override
    public Integer call() throws IOException {
      if (days < 1) {
        throw new ParameterException(spec.commandLine(), "--days " + days + ": at least 1");
      }
      java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(hosts);
      names.add("localhost");
      try {
        names.add(java.net.InetAddress.getLocalHost().getHostName());
      } catch (java.net.UnknownHostException e) {
        // A host without a resolvable name of its own: the others do.
      }
      java.util.LinkedHashSet<java.net.InetAddress> addresses = new java.util.LinkedHashSet<>();
      for (String ip : ips) {
        if (!ip.matches("[0-9a-fA-F.:]+")) {
          throw new ParameterException(
              spec.commandLine(), "--ip " + ip + ": not an IP address (names go with --host)");
        }
        try {
          addresses.add(java.net.InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
          throw new ParameterException(spec.commandLine(), "--ip " + ip + ": not an IP address");
        }
      }
      addresses.add(java.net.InetAddress.getByName("127.0.0.1"));
      addresses.add(java.net.InetAddress.getByName("::1"));
      java.util.List<Path> written =
          Certificates.writeDirectory(
              dir.toAbsolutePath(),
              java.util.List.copyOf(names),
              java.util.List.copyOf(addresses),
              java.time.Duration.ofDays(days));
      java.io.PrintWriter out = spec.commandLine().getOut();
      for (Path p : written) {
        out.println("wrote " + p);
      }
      out.println(
          "engine: jstack engine --tls-listen 0.0.0.0:2376 --tlscacert "
              + written.get(0)
              + " --tlscert "
              + written.get(2)
              + " --tlskey "
              + written.get(3));
      out.println(
          "client: DOCKER_HOST=tcp://"
              + names.iterator().next()
              + ":2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="
              + dir.toAbsolutePath()
              + " (keep ca-key.pem and server-key.pem off the clients)");
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
