package io.jstack.cli;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The training run behind the launcher's class-data archive: runs {@code jstack ps} on a small
 * compose file, once per engine kind (and {@code config -q} for a swarm), against a stand-in engine
 * on a socket of its own, so that the archive holds the classes a typical command loads, the
 * client's HTTP and JSON included. The stand-in answers the Engine API's ping and one container
 * list; it is never a real engine.
 *
 * <p>Usage: {@code ArchiveTraining DIR}, where DIR is a writable directory of the launcher's.
 */
final class ArchiveTraining {
  private ArchiveTraining() {}

  public static void main(String[] args) throws IOException {
    System.exit(train(Path.of(args[0])));
  }

  /**
   * Runs the training in {@code dir} and removes what it made there; 0 when both runs succeeded
   * (else 1, after saying so on standard error).
   */
  static int train(Path dir) throws IOException {
    Path compose = dir.resolve("train.yaml");
    Files.writeString(compose, "services:\n  app:\n    image: busybox\n    ports: [\"8080:80\"]\n");
    Path socket = dir.resolve("train.sock");
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread engine = new Thread(() -> serve(server), "stand-in engine");
      engine.setDaemon(true);
      engine.start();
      PrintWriter out = new PrintWriter(Writer.nullWriter());
      PrintWriter err = new PrintWriter(Writer.nullWriter());
      Map<String, String> env = new HashMap<>(System.getenv());
      env.remove("DOCKER_HOST");
      env.put("JSTACK_ENGINE_SOCKET", socket.toString());
      // Every engine is the stand-in, and none is ever started: the engine runs this too (its
      // warm-up), where a real engine started by a training would be a process nobody owns.
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> standIn =
          (kind, e) -> DockerEngine.connect(new EngineAddress.Unix(socket), e);
      InputStream none = InputStream.nullInputStream();
      int embedded =
          Jstack.run(new String[] {"-f", compose.toString(), "ps"}, out, err, env, standIn, none);
      env.put("DOCKER_HOST", "unix://" + socket);
      int docker =
          Jstack.run(
              new String[] {"--engine", "docker", "-f", compose.toString(), "ps", "-a"},
              out,
              err,
              env,
              standIn,
              none);
      // The swarm's feature table: about a hundred lambdas, spun at run time unless archived.
      int swarm =
          Jstack.run(
              new String[] {"--engine", "swarm", "-f", compose.toString(), "config", "-q"},
              out,
              err,
              env,
              standIn,
              none);
      if (embedded != 0 || docker != 0 || swarm != 0) {
        System.err.printf(
            "archive training: ps exited %d and %d, swarm config %d%n", embedded, docker, swarm);
        return 1;
      }
      return 0;
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(compose);
    }
  }

  private static void serve(ServerSocketChannel server) {
    while (true) {
      try (SocketChannel client = server.accept()) {
        InputStream in = Channels.newInputStream(client);
        OutputStream out = Channels.newOutputStream(client);
        String path;
        while ((path = requestPath(in)) != null) {
          byte[] body = answer(path).getBytes(StandardCharsets.UTF_8);
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
                      + "Content-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
        }
      } catch (IOException closed) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  /** Reads one request's head (the training's requests have no body); null at the end. */
  private static @Nullable String requestPath(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
        String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
        return requestLine.length > 1 ? requestLine[1] : "/";
      }
    }
    return null;
  }

  private static String answer(String path) {
    if (path.contains("/containers/json")) {
      return "[{\"Id\":\"4f2c1d0a9b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a\","
          + "\"Names\":[\"/train-app-1\"],\"Image\":\"busybox\",\"ImageID\":\"sha256:00\","
          + "\"Command\":\"sh\",\"Created\":1700000000,\"State\":\"running\","
          + "\"Status\":\"Up 2 minutes (healthy)\",\"Ports\":[{\"IP\":\"0.0.0.0\","
          + "\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}],"
          + "\"Labels\":{\"com.docker.compose.project\":\"train\","
          + "\"com.docker.compose.service\":\"app\",\"com.docker.compose.oneoff\":\"False\"},"
          + "\"NetworkSettings\":{\"Networks\":{}},\"Mounts\":[]}]";
    }
    return path.endsWith("/_ping") ? "OK" : "{}";
  }
}
