package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.image.LocalRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * push, pull and up's pulling, against a local registry on 127.0.0.1: pushing what jstack built on
 * dockerd, and up pulling a missing image on each engine.
 */
class RegistryIT extends OnEachEngine {
  LocalRegistry registry;
  String image;

  /** Starts the registry, and has the stack remove what the test pulled or built after it. */
  void startTheRegistry() throws Exception {
    registry = LocalRegistry.start();
    stack.onClose(
        () -> {
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
        });
  }

  @Test
  void push_thenPull_thenUpPullsWhatIsMissing() throws Exception {
    on(EngineKind.DOCKER);
    startTheRegistry();
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
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;

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

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void up_pullsAMissingImageFromARegistry(EngineKind engine) throws Exception {
    on(engine);
    startTheRegistry();
    image = registry.host + "/it/busybox-" + UUID.randomUUID().toString().substring(0, 6) + ":1";
    stack.push(image);
    stack.compose(
        "services:\n  app:\n    image: "
            + image
            + "\n    network_mode: none\n    init: true\n"
            + "    command: [\"sh\", \"-c\", \"echo pulled-and-running; sleep 60\"]\n");
    JstackRunner.Run up = stack.run("--progress", "plain", "up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains("Pulling").contains("Pulled");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(stack.run("logs", "app").out()).contains("pulled-and-running"));
    assertThat(stack.dockerLines("image", "inspect", "-f", "{{.Id}}", image)).hasSize(1);
    if (engine == EngineKind.EMBEDDED) {
      assertThat(stack.jstack.run(new String[0], "image", "ls").out())
          .contains(image.substring(0, image.lastIndexOf(':')));
    }
    assertThat(stack.run("down", "-t", "1").code()).isZero();
  }
}
