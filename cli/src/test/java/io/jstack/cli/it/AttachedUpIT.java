package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attached {@code up} in its own process: it follows the logs, and Ctrl-C (SIGINT) stops the
 * stack gracefully and ends the command.
 */
class AttachedUpIT {
  @TempDir Path dir;
  final String project = "attached-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
  }

  @Test
  void attachedUp_followsLogs_andCtrlCStopsTheStack() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          ticker:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
        """);
    try (JstackProcess.Running up =
        JstackProcess.start(
            Map.of(),
            "--engine",
            "docker",
            "-p",
            project,
            "-f",
            dir.resolve("compose.yaml").toString(),
            "up")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> up.lines().stream().anyMatch(l -> l.matches("ticker-1 +\\| tick 3")));
      Docker.run(null, "kill", "-INT", Long.toString(up.pid()));
      assertThat(up.waitFor(Duration.ofSeconds(60))).as(up.output()).isTrue();
      assertThat(up.exitValue()).isEqualTo(130);
      assertThat(up.output())
          .contains("Gracefully stopping...")
          .contains("Container " + project + "-ticker-1  Stopped");
      assertThat(Docker.lines("inspect", "-f", "{{.State.Status}}", project + "-ticker-1"))
          .containsExactly("exited");
    }
  }

  @Test
  void exitCodeFrom_stopsEverythingWhenTheJobEnds_andReturnsItsCode() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "while true; do echo app-says; sleep 0.3; done"]
          job:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "sleep 1; echo job done; exit 5"]
        """);
    io.jstack.cli.JstackRunner jstack =
        new io.jstack.cli.JstackRunner(java.util.Map.of("PATH", System.getenv("PATH")));
    io.jstack.cli.JstackRunner.Run up =
        jstack.run(
            new String[] {
              "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
            },
            "up",
            "--exit-code-from",
            "job",
            "--no-attach",
            "app",
            "--timestamps");
    assertThat(up.code()).as(up.out() + up.err()).isEqualTo(5);
    assertThat(up.out())
        .containsPattern("job-1 +\\| \\d{4}-\\d\\d-\\d\\dT[^ ]+ job done")
        .contains("job-1 exited with code 5")
        .contains("Aborting on container exit...")
        .doesNotContain("app-says");
    assertThat(Docker.lines("inspect", "-f", "{{.State.Status}}", project + "-app-1"))
        .containsExactly("exited");
  }
}
