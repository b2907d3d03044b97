package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack with build: on dockerd: builds, runs, honours .dockerignore, and rebuilds only what
 * changed.
 */
class BuildIT {
  @TempDir Path dir;
  final String project = "build-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
    for (String s : List.of("a", "b")) {
      Docker.run(null, "docker", "rmi", "-f", project + "-" + s);
    }
    // The image a rebuild replaced is left untagged; it carries the project's label.
    Docker.run(
        null,
        "docker",
        "image",
        "prune",
        "-f",
        "--filter",
        "label=com.docker.compose.project=" + project);
  }

  @Test
  void build_runs_andUpBuildRecreatesOnlyTheChangedService() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          a:
            build: ./a
            command: ["sh", "-c", "cat /msg; ls /ctx; sleep 3600"]
            stop_signal: SIGKILL
          b:
            build:
              context: ./b
              args: {GREETING: hello}
            command: ["sh", "-c", "cat /msg; sleep 3600"]
            stop_signal: SIGKILL
        """);
    Files.writeString(
        dir.resolve("a/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nCOPY . /ctx\nRUN echo one > /msg\n");
    Files.writeString(dir.resolve("a/kept.txt"), "kept");
    Files.writeString(dir.resolve("a/secret.txt"), "must not reach the engine");
    Files.writeString(dir.resolve("a/.dockerignore"), "# not in the image\nsecret.txt\n");
    Files.writeString(
        dir.resolve("b/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nARG GREETING\nRUN echo \"$GREETING from b\" > /msg\n");

    JstackRunner jstack = new JstackRunner(Map.of("PATH", System.getenv("PATH")));
    String[] base = {
      "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
    };
    JstackRunner.Run up = jstack.run(base, "up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains(" Service a  Built").contains(" Service b  Built");
    // Each step as it comes, under its service (dockerd adds the compose labels as steps); the
    // RUN step's closing line has its time.
    assertThat(up.out())
        .contains(" b  Step 3/5 : RUN echo \"$GREETING from b\" > /msg\n")
        .containsPattern("(?m)^ b   ---> [0-9a-f]{12}  \\d+\\.\\ds$");

    String filter = "label=com.docker.compose.project=" + project;
    String aBefore =
        Docker.lines(
                "ps",
                "-q",
                "--no-trunc",
                "--filter",
                filter,
                "--filter",
                "label=com.docker.compose.service=a")
            .get(0);
    String bBefore =
        Docker.lines(
                "ps",
                "-q",
                "--no-trunc",
                "--filter",
                filter,
                "--filter",
                "label=com.docker.compose.service=b")
            .get(0);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(Docker.run(null, "docker", "logs", aBefore).out())
                  .contains("one")
                  .contains("kept.txt")
                  .doesNotContain("secret.txt");
              assertThat(Docker.run(null, "docker", "logs", bBefore).out())
                  .contains("hello from b");
            });

    Files.writeString(
        dir.resolve("a/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nCOPY . /ctx\nRUN echo two > /msg\n");
    JstackRunner.Run rebuilt = jstack.run(base, "up", "-d", "--build");
    assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
    String aAfter =
        Docker.lines(
                "ps",
                "-q",
                "--no-trunc",
                "--filter",
                filter,
                "--filter",
                "label=com.docker.compose.service=a")
            .get(0);
    String bAfter =
        Docker.lines(
                "ps",
                "-q",
                "--no-trunc",
                "--filter",
                filter,
                "--filter",
                "label=com.docker.compose.service=b")
            .get(0);
    assertThat(aAfter).isNotEqualTo(aBefore);
    assertThat(bAfter).isEqualTo(bBefore);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(Docker.run(null, "docker", "logs", aAfter).out()).contains("two"));

    JstackRunner.Run down = jstack.run(base, "down", "--rmi", "local");
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(Docker.lines("ps", "-aq", "--filter", filter)).isEmpty();
    assertThat(Docker.run(null, "docker", "image", "inspect", project + "-a").code()).isNotZero();
  }
}
