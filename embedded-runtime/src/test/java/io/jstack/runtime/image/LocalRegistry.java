package io.jstack.runtime.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's {@code docker-registry} serving on 127.0.0.1 (a free port) from a temporary directory,
 * for one test class; {@link #close()} stops it and removes its storage.
 */
public final class LocalRegistry implements AutoCloseable {
  public final String host;
  private final Process process;
  private final Path dir;

  private LocalRegistry(String host, Process process, Path dir) {
    this.host = host;
    this.process = process;
    this.dir = dir;
  }

  public static LocalRegistry start() throws IOException, InterruptedException {
    return start("");
  }

  /** Starts one with {@code extraConfig} (YAML, e.g. an {@code auth:} section) appended. */
  public static LocalRegistry start(String extraConfig) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = io.jstack.runtime.NothingLeft.temporaryDirectory("registry");
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        "version: 0.1\n"
            + "log: {level: error}\n"
            + "storage:\n  filesystem: {rootdirectory: "
            + dir.resolve("data")
            + "}\n  delete: {enabled: true}\n"
            + "http: {addr: 127.0.0.1:"
            + port
            + "}\n"
            + extraConfig);
    Process p =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    String host = "127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401) {
          return new LocalRegistry(host, p, dir);
        }
      } catch (IOException notYet) {
        // Keep waiting.
      }
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        throw new IOException(
            "docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    io.jstack.runtime.image.internal.LayerUnpacker.removeTree(dir);
  }
}
