package io.jstack.engine.testing.image;

import io.jstack.engine.testing.NamespaceHttp;
import io.jstack.engine.testing.NothingLeft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} serving on 127.0.0.1 (a free port) from a temporary directory of
 * its own, for one test or test class; {@link #close()} stops it and removes its storage. dockerd
 * pushes to and pulls from it without TLS: 127.0.0.0/8 is an insecure registry by default.
 */
public final class LocalRegistry implements AutoCloseable {
  /** {@code 127.0.0.1:PORT}, the registry part of image names. */
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

  /**
   * Starts one with {@code extraConfig} (YAML, e.g. an {@code auth:} section) appended to its
   * configuration, and waits until it answers.
   *
   * @throws IOException when it does not answer within 20 s, with its log
   */
  public static LocalRegistry start(String extraConfig) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    return start(
        host,
        extraConfig,
        List.of(),
        () -> {
          try {
            HttpResponse<Void> r =
                http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 || r.statusCode() == 401;
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  /**
   * Starts one in network namespace {@code netns} (entered with {@code nsenter --net}), listening
   * on {@code address:port} there, e.g. a node's address on a test subnet that only namespaces
   * reach; its {@link #host} is that address.
   */
  public static LocalRegistry startInNamespace(String netns, String address, int port)
      throws IOException, InterruptedException {
    String host = address + ":" + port;
    return start(
        host,
        "",
        List.of("nsenter", "--net=/run/netns/" + netns),
        () -> {
          String status =
              NamespaceHttp.get(netns, address, port, "/v2/").lines().findFirst().orElse("");
          return status.startsWith("HTTP/1.") && status.contains(" 200");
        });
  }

  /** Whether the registry answers yet. */
  @FunctionalInterface
  private interface Probe {
    boolean answers() throws IOException, InterruptedException;
  }

  private static LocalRegistry start(
      String host, String extraConfig, List<String> launcher, Probe probe)
      throws IOException, InterruptedException {
    Path dir = NothingLeft.temporaryDirectory("registry");
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        "version: 0.1\n"
            + "log: {level: error}\n"
            + "storage:\n  filesystem: {rootdirectory: "
            + dir.resolve("data")
            + "}\n  delete: {enabled: true}\n"
            + "http: {addr: \""
            + host
            + "\"}\n"
            + extraConfig);
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("docker-registry", "serve", config.toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    Instant deadline = Instant.now().plusSeconds(20);
    while (!probe.answers()) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        p.waitFor();
        String log = Files.readString(dir.resolve("registry.log"));
        removeTree(dir);
        throw new IOException("docker-registry did not start: " + log);
      }
      Thread.sleep(100);
    }
    return new LocalRegistry(host, p, dir);
  }

  /** What {@code GET path} answers (e.g. {@code /v2/_catalog}); "" when nothing answers. */
  public String get(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://" + host + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Stops the registry and removes what it stored. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      removeTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the registry's storage " + dir, e);
    }
  }

  /** Deletes a tree without following symbolic links (test directories of every kind). */
  public static void removeTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
