package io.jstack.runtime;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which engine a client talks to (the CLI and the Java API alike): the embedded engine, started
 * detached on demand, or Docker at {@code DOCKER_HOST}, else Docker's socket.
 */
public final class Engines {
  private Engines() {}

  /** The kinds of engine a client can use. */
  public enum Kind {
    docker,
    embedded,
    /**
     * A Docker Swarm's manager: stacks of services, not containers (up, down, ps, logs, config).
     */
    swarm
  }

  /**
   * Connects to the engine {@code kind} names (null: the default).
   *
   * @throws EngineException when it cannot be reached, saying how to start it
   */
  @SuppressWarnings("try") // The start lock is used by holding it.
  public static Engine open(Kind kind, Map<String, String> env) {
    if (kind == Kind.swarm) {
      throw new EngineException(
          "jstack --engine swarm runs up, down, ps, logs and config of a stack; for this command use --engine"
              + " docker (a node's own containers) or the embedded engine");
    }
    if (kind == Kind.embedded) {
      Path socket = embeddedSocket(env);
      if (!answers(socket)) {
        DataRoot root = DataRoot.resolve(null, env);
        // Two commands that find no engine at once (two first `up`) start one: the second waits,
        // then finds the first's engine answering. Without the lock both start one, and the
        // engine that finds the data root taken exits, failing its command.
        try (io.jstack.runtime.internal.Locks.Lock starting = startLock(root)) {
          if (!answers(socket)) {
            startEmbedded(
                socket,
                root,
                new ServeOptions(env.get("JSTACK_DNS_UPSTREAM"), null, null, null),
                env.get(io.jstack.runtime.container.RuntimeChoice.VARIABLE));
          }
        }
      }
      return DockerEngine.connect(new EngineAddress.Unix(socket), env);
    }
    return DockerEngine.connect(EngineAddress.fromEnvironment(env), env);
  }

  /**
   * The lock that orders the starts of an engine on {@code root} between commands; none (a no-op)
   * when it cannot be taken there, and then the start says what is wrong with the data root.
   */
  private static io.jstack.runtime.internal.Locks.Lock startLock(DataRoot root) {
    try {
      Files.createDirectories(root.path());
      return io.jstack.runtime.internal.Locks.exclusive(root.path().resolve("engine-start.lock"));
    } catch (IOException e) {
      return () -> {};
    }
  }

  /** The embedded engine's socket: {@code JSTACK_ENGINE_SOCKET}, else /run/jstack/engine.sock. */
  public static Path embeddedSocket(Map<String, String> env) {
    String s = env.get("JSTACK_ENGINE_SOCKET");
    return Path.of(s != null && !s.isBlank() ? s : "/run/jstack/engine.sock");
  }

  /** Whether an engine answers on {@code socket}. */
  public static boolean answers(Path socket) {
    return io.jstack.runtime.api.EngineServer.answers(socket);
  }

  /**
   * Starts the embedded engine with {@code options} detached from this process (its own session, no
   * stdio of ours, in {@code /}, output to {@code <data root>/engine.log}) and waits until it
   * answers; {@code runtime} as {@code JSTACK_RUNTIME} would choose it, or null.
   *
   * @throws EngineException when it exits or does not answer within 20 s, with its log's last line
   */
  public static void startEmbedded(
      Path socket, DataRoot root, ServeOptions options, @Nullable String runtime) {
    try {
      Files.createDirectories(root.path());
      Path log = root.path().resolve("engine.log");
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      ProcessBuilder builder = EngineProcess.builder(root, socket, options, true);
      if (runtime != null) {
        // As the variable, so that the engine says what chose its runtime.
        builder.environment().put(io.jstack.runtime.container.RuntimeChoice.VARIABLE, runtime);
      }
      Process engine =
          builder
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true)
              .start();
      Instant deadline = Instant.now().plusSeconds(20);
      Started started = new Started(engine, socket, log, logStart, deadline);
      started.await("answered on " + socket, () -> answers(socket));
      if (options.tcp() != null) {
        // The engine binds TCP after its socket answers: wait for that too, so that whoever
        // started it finds everything it asked for.
        java.net.InetSocketAddress at = options.tcp().address();
        java.net.InetSocketAddress reach =
            at.getAddress().isAnyLocalAddress()
                ? new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), at.getPort())
                : at;
        started.await(
            "listened on " + options.tcp().describe(),
            () -> {
              try (java.net.Socket s = new java.net.Socket()) {
                s.connect(reach, 200);
                return true;
              } catch (IOException notYet) {
                return false;
              }
            });
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot start the embedded engine: "
              + e.getMessage()
              + " (is setsid from util-linux installed?)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while starting the embedded engine", e);
    }
  }

  /** An engine process just started: what to wait for, and what to say when it does not come. */
  private record Started(Process engine, Path socket, Path log, long logStart, Instant deadline) {
    /**
     * Waits until {@code ready}.
     *
     * @throws EngineException when the engine exits first, with its log's last line, or the
     *     deadline passes
     */
    void await(String what, java.util.function.BooleanSupplier ready) throws InterruptedException {
      while (!ready.getAsBoolean()) {
        // The launcher may exit early (setsid forks); the engine is gone when its socket is too.
        if (!engine.isAlive() && !answers(socket)) {
          throw new EngineException(
              "the embedded engine exited (code "
                  + engine.exitValue()
                  + ") before it "
                  + what
                  + ": "
                  + lastLine(log, logStart)
                  + " (whole log: "
                  + log
                  + ")");
        }
        if (Instant.now().isAfter(deadline)) {
          throw new EngineException(
              "the embedded engine had not "
                  + what
                  + " 20 s after it started; see its log: "
                  + log);
        }
        Thread.sleep(25);
      }
    }
  }

  /** The last line {@code log} got after {@code from}, or what to look at when there is none. */
  private static String lastLine(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      String added =
          new String(
              all,
              (int) Math.min(from, all.length),
              (int) (all.length - Math.min(from, all.length)),
              java.nio.charset.StandardCharsets.UTF_8);
      return added.strip().lines().reduce((a, b) -> b).orElse("it printed nothing");
    } catch (IOException e) {
      return "its log cannot be read (" + e.getMessage() + ")";
    }
  }
}
