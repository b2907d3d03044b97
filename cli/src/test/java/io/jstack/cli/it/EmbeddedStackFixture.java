package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack on the embedded engine for integration tests: a data root and engine socket of its own
 * (in a temporary directory), the examples' busybox image loaded into its store (dockerd only
 * supplies it, through docker save), and after each test {@code down} and the engine stopped.
 */
abstract class EmbeddedStackFixture {
  @TempDir Path dir;
  Map<String, String> env;
  JstackRunner jstack;
  final String project = "embedded-it-" + UUID.randomUUID().toString().substring(0, 6);
  String[] base;

  @BeforeAll
  static void image() {
    Docker.requireExampleImage();
  }

  @BeforeEach
  void engineWithImage() throws Exception {
    env =
        Map.of(
            "JSTACK_DATA_ROOT",
            dir.resolve("data").toString(),
            "JSTACK_ENGINE_SOCKET",
            socket().toString());
    jstack = new JstackRunner(env);
    Path archive = dir.resolve("busybox.tar");
    assertThat(
            Docker.run(
                    null,
                    "docker",
                    "save",
                    "-o",
                    archive.toString(),
                    "jstack-examples/busybox:latest")
                .code())
        .isZero();
    assertThat(jstack.run(new String[0], "image", "load", "-i", archive.toString()).code())
        .isZero();
    base =
        new String[] {
          "--engine", "embedded", "-p", project, "-f", dir.resolve("compose.yaml").toString()
        };
  }

  @AfterEach
  void downAndStopTheEngine() throws Exception {
    jstack.run(base, "down", "-t", "1");
    // Networks outlive the engine (Docker's do too); this engine's go with its data root.
    if (java.nio.file.Files.exists(socket())) {
      for (JsonNode n : api("/networks")) {
        apiCall("DELETE", "/networks/" + n.path("Id").asText(), null);
      }
    }
    jstack.run(new String[0], "engine", "stop");
  }

  Path socket() {
    return dir.resolve("engine.sock");
  }

  /** Writes the stack's compose file. */
  void compose(String yaml) throws Exception {
    Files.writeString(dir.resolve("compose.yaml"), yaml);
  }

  /** Runs {@code args} on the stack; fails the test unless it exits 0. */
  JstackRunner.Run ok(String... args) {
    JstackRunner.Run r = jstack.run(base, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** Pushes the busybox image (with skopeo, from its docker save archive) as {@code image}. */
  void push(String image) {
    Docker.Result pushed =
        Docker.run(
            null,
            "skopeo",
            "--insecure-policy",
            "copy",
            "-q",
            "--dest-tls-verify=false",
            "docker-archive:" + dir.resolve("busybox.tar"),
            "docker://" + image);
    assertThat(pushed.code()).as(pushed.err()).isZero();
  }

  /** {@code GET path} of the engine's Docker API, as JSON. */
  JsonNode api(String path) throws Exception {
    Docker.Result r =
        Docker.run(
            null, "curl", "-sS", "--unix-socket", socket().toString(), "http://engine" + path);
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  /**
   * {@code method path} of the engine's Docker API with a JSON body (or none); what it answered.
   */
  String apiCall(String method, String path, String json) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("curl", "-sS", "-X", method, "--unix-socket", socket().toString()));
    if (json != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", json));
    }
    cmd.add("http://engine" + path);
    Docker.Result r = Docker.run(null, cmd.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  /** Docker's inspect of the stack's container for {@code service}. */
  JsonNode inspect(String service) throws Exception {
    return api("/containers/" + project + "-" + service + "-1/json");
  }
}
