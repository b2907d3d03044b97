package io.jstack.runtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.RuntimeChoice;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Create-to-running latency of one container, in-process against the peer's raw API: the embedded
 * runtime called from this JVM (overlay mount, bundle, conmon, runc create and start) against
 * dockerd's Engine API called from this JVM (create and start over its unix socket, no CLI), on the
 * same busybox content, alternating: {@code ContainerStartBench ROUNDS}. Containers run {@code
 * sleep 60} with no network; each is checked to be running, then removed (neither is timed).
 * dockerd must hold {@code jstack-examples/busybox:latest}. The whole-process comparison (the
 * docker CLI against each engine) is bench/container-start.sh's.
 */
public final class ContainerStartBench {
  private static final String IMAGE = "jstack-examples/busybox:latest";
  private static final Path DOCKERD = Path.of("/var/run/docker.sock");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContainerStartBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory("jstack-bench-");
    try {
      DataRoot root = new DataRoot(dir);
      byte[] tar = TestImages.busyboxLayer();
      Path layer = ImageStore.open(root).putLayer(Digests.of(tar), new ByteArrayInputStream(tar));
      Containers containers = new Containers(root, RuntimeTools.detect());
      // The run-time state of this in-process engine is in the data root's run directory on disk:
      // only the engine process mounts a tmpfs there.
      System.out.println("runtime: in-process: " + RuntimeChoice.forThisProcess().reason());
      request("GET", "/v1.41/images/" + IMAGE + "/json", null, 200);
      List<Long> jstack = new ArrayList<>();
      List<Long> docker = new ArrayList<>();
      for (int i = -3; i < rounds; i++) { // three warm-up rounds, not counted
        String id = "bench" + (i + 3);
        long t0 = System.nanoTime();
        containers.create(ContainerConfig.of(id, List.of(layer), List.of("sleep", "60")));
        containers.start(id);
        long took = System.nanoTime() - t0;
        if (containers.pids(id).isEmpty() || containers.exitCode(id).isPresent()) {
          throw new IllegalStateException("jstack's container " + id + " is not running");
        }
        containers.stop(id, "KILL", Duration.ZERO);
        containers.remove(id);

        String name = "jstack-bench-" + (i + 3);
        long d0 = System.nanoTime();
        request(
            "POST",
            "/v1.41/containers/create?name=" + name,
            "{\"Image\":\""
                + IMAGE
                + "\",\"Cmd\":[\"sleep\",\"60\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}",
            201);
        request("POST", "/v1.41/containers/" + name + "/start", null, 204);
        long dt = System.nanoTime() - d0;
        JsonNode state =
            JSON.readTree(request("GET", "/v1.41/containers/" + name + "/json", null, 200))
                .path("State");
        if (!state.path("Running").asBoolean()) {
          throw new IllegalStateException("dockerd's container " + name + " is not running");
        }
        request("DELETE", "/v1.41/containers/" + name + "?force=1", null, 204);
        if (i >= 0) {
          jstack.add(took);
          docker.add(dt);
        }
      }
      System.out.printf(
          "create-to-running, in-process vs the peer's raw API (%d rounds): jstack's runtime called"
              + " in this JVM median %.1f ms (p90 %.1f, best %.1f); dockerd's Engine API called from"
              + " this JVM (create + start over its socket, network none) median %.1f ms (p90 %.1f,"
              + " best %.1f); ratio jstack/dockerd %.2f%n",
          rounds,
          ms(median(jstack)),
          ms(pct(jstack, 0.9)),
          ms(Collections.min(jstack)),
          ms(median(docker)),
          ms(pct(docker, 0.9)),
          ms(Collections.min(docker)),
          (double) median(jstack) / median(docker));
    } finally {
      Containers containers = new Containers(new DataRoot(dir), RuntimeTools.detect());
      for (int i = 0; i < rounds + 3; i++) {
        containers.remove("bench" + i);
        try {
          request("DELETE", "/v1.41/containers/jstack-bench-" + i + "?force=1", null, -1);
        } catch (IOException | IllegalStateException gone) {
          // Removed already.
        }
      }
      LayerUnpacker.removeTree(dir);
    }
  }

  /**
   * {@code method path} on dockerd's socket, as HTTP/1.0 (one connection, no chunking); its body.
   *
   * @throws IllegalStateException unless it answers {@code expected} (any status when -1)
   */
  private static String request(String method, String path, String json, int expected)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.0\r\nHost: docker\r\n"
            + (json == null ? "" : "Content-Type: application/json\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(DOCKERD))) {
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(body));
      ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
      while (ch.read(buffer) >= 0) {
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
    String text = answer.toString(StandardCharsets.UTF_8);
    int status = Integer.parseInt(text.substring(9, 12));
    int end = text.indexOf("\r\n\r\n");
    String content = end < 0 ? "" : text.substring(end + 4);
    if (expected >= 0 && status != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + status + ": " + content);
    }
    return content;
  }

  private static long median(List<Long> v) {
    return pct(v, 0.5);
  }

  private static long pct(List<Long> v, double p) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.floor(p * (s.size() - 1) + 0.5)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
