package io.jstack.cli.internal;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which engine a command talks to: {@code --engine}, else {@code DOCKER_HOST}, else Docker's
 * socket.
 */
public final class Engines {
  private Engines() {}

  /** The engines {@code --engine} names. */
  public enum Kind {
    docker,
    embedded
  }

  /**
   * Connects to the engine {@code kind} names (null: the default).
   *
   * @throws EngineException when it cannot be reached, saying how to start it
   */
  public static Engine open(Kind kind, Map<String, String> env) {
    if (kind == Kind.embedded) {
      Path socket = embeddedSocket(env);
      if (!answers(socket)) {
        startEmbedded(socket, DataRoot.resolve(null, env), env.get("JSTACK_DNS_UPSTREAM"));
      }
      return DockerEngine.connect(new EngineAddress.Unix(socket));
    }
    return DockerEngine.connect(EngineAddress.fromEnvironment(env));
  }

  /** The embedded engine's socket: {@code JSTACK_ENGINE_SOCKET}, else /run/jstack/engine.sock. */
  public static Path embeddedSocket(Map<String, String> env) {
    String s = env.get("JSTACK_ENGINE_SOCKET");
    return Path.of(s != null && !s.isBlank() ? s : "/run/jstack/engine.sock");
  }

  /** Whether an engine answers on {@code socket}. */
  public static boolean answers(Path socket) {
    return io.jstack.runtime.engine.EngineServer.answers(socket);
  }

  /**
   * Starts the embedded engine detached from this process (its own session, no stdio of ours,
   * output to {@code <data root>/engine.log}) and waits until it answers.
   */
  private static void startEmbedded(Path socket, DataRoot root, String dnsUpstream) {
    try {
      Files.createDirectories(root.path());
      Path log = root.path().resolve("engine.log");
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "setsid",
                  java,
                  "-XX:+UseSerialGC",
                  "-Dio.netty.jfr.enabled=false",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.jstack.cli.Main",
                  "--data-root",
                  root.path().toString(),
                  "engine",
                  "--socket",
                  socket.toString()));
      if (dnsUpstream != null && !dnsUpstream.isBlank()) {
        cmd.addAll(List.of("--dns-upstream", dnsUpstream));
      }
      new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true)
          .start();
      Instant deadline = Instant.now().plusSeconds(20);
      while (!answers(socket)) {
        if (Instant.now().isAfter(deadline)) {
          throw new EngineException(
              "the embedded engine did not start within 20 s; see its log: " + log);
        }
        Thread.sleep(25);
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
}
