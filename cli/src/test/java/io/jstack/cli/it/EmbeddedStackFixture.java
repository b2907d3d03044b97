package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackRunner;
import io.jstack.cli.internal.Engines;
import io.jstack.engine.testing.NothingLeft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack on the embedded engine for integration tests: a data root and engine socket of its own
 * (in a temporary directory), the examples' busybox image loaded into its store (dockerd only
 * supplies it, through docker save), and after each test {@code down}, the engine's networks
 * removed and the engine stopped, each of which must succeed; then {@link NothingLeft} checks that
 * the host is as the test found it.
 */
abstract class EmbeddedStackFixture {
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
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
    List<String> failed = new ArrayList<>();
    // A test that wrote no compose file has no stack to take down.
    if (Files.exists(dir.resolve("compose.yaml"))) {
      JstackRunner.Run down = jstack.run(base, "down", "-t", "1");
      if (down.code() != 0) {
        failed.add("down exited " + down.code() + ": " + down.err().strip());
      }
    }
    // Networks outlive the engine (Docker's do too); this engine's go with its data root.
    if (Engines.answers(socket())) {
      for (JsonNode n : api("/networks")) {
        String id = n.path("Id").asText();
        String status = apiStatus("DELETE", "/networks/" + id);
        if (!status.startsWith("2")) {
          failed.add("DELETE /networks/" + id + " answered " + status);
        }
      }
    }
    JstackRunner.Run stop = jstack.run(new String[0], "engine", "stop");
    if (stop.code() != 0) {
      failed.add("engine stop exited " + stop.code() + ": " + stop.err().strip());
    }
    assertThat(failed).as("the fixture's clean-up").isEmpty();
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
        new ArrayList<>(List.of("curl", "-sS", "-X", method, "--unix-socket", socket().toString()));
    if (json != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", json));
    }
    cmd.add("http://engine" + path);
    Docker.Result r = Docker.run(null, cmd.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  /** The HTTP status the engine's Docker API answers {@code method path} with. */
  private String apiStatus(String method, String path) {
    Docker.Result r =
        Docker.run(
            null,
            "curl",
            "-sS",
            "-X",
            method,
            "--unix-socket",
            socket().toString(),
            "-w",
            "%{http_code}",
            "-o",
            "/dev/null",
            "http://engine" + path);
    return r.code() == 0 ? r.out().strip() : "nothing (curl: " + r.err().strip() + ")";
  }

  /** Docker's inspect of the stack's container for {@code service}. */
  JsonNode inspect(String service) throws Exception {
    return api("/containers/" + project + "-" + service + "-1/json");
  }
}
