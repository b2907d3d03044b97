package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.image.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push, pull and up's pulling, against a local registry on 127.0.0.1. */
class RegistryIT {
  @TempDir Path dir;
  final String project = "registry-it-" + UUID.randomUUID().toString().substring(0, 8);
  LocalRegistry registry;
  String image;

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
    if (image != null) {
      Docker.run(null, "docker", "rmi", "-f", image);
    }
    Docker.run(
        null,
        "docker",
        "image",
        "prune",
        "-f",
        "--filter",
        "label=com.docker.compose.project=" + project);
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void push_thenPull_thenUpPullsWhatIsMissing() throws Exception {
    registry = LocalRegistry.start();
    image = registry.host + "/" + project + "/app:1";
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(
        dir.resolve("app/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nRUN echo pushed > /msg\n");
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          app:
            image: %s
            build: ./app
            command: ["sh", "-c", "cat /msg; sleep 3600"]
            init: true
        """
            .formatted(image));
    JstackRunner jstack = new JstackRunner(Map.of("PATH", System.getenv("PATH")));
    String[] base = {
      "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
    };

    assertThat(jstack.run(base, "build").code()).isZero();
    JstackRunner.Run push = jstack.run(base, "push");
    assertThat(push.code()).as(push.err()).isZero();
    assertThat(push.out()).contains(" Image " + image + "  Pushed");
    assertThat(registry.get("/v2/_catalog")).contains(project + "/app");
    assertThat(registry.get("/v2/" + project + "/app/tags/list")).contains("\"1\"");

    Docker.run(null, "docker", "rmi", "-f", image);
    JstackRunner.Run pull = jstack.run(base, "pull");
    assertThat(pull.code()).as(pull.err()).isZero();
    assertThat(Docker.lines("image", "inspect", "-f", "{{.Id}}", image)).hasSize(1);

    Docker.run(null, "docker", "rmi", "-f", image);
    JstackRunner.Run up = jstack.run(base, "up", "-d", "--no-build");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains(" Image " + image + "  Pulled");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(Docker.run(null, "docker", "logs", project + "-app-1").out())
                    .contains("pushed"));

    registry.close();
    registry = null;
    JstackRunner.Run unreachable = jstack.run(base, "pull");
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).startsWith("jstack: pull image " + image);
    JstackRunner.Run ignored = jstack.run(base, "pull", "--ignore-pull-failures");
    assertThat(ignored.code()).isZero();
    assertThat(ignored.err()).startsWith("jstack: pull image " + image);
  }
}
