package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logs -f keeps following containers that start after it, without replaying restarted ones. */
class LogsFollowIT {
  @TempDir Path dir;
  final String project = "logsf-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
  }

  @Test
  void logsFollow_picksUpContainersThatStartLater() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            init: true
            # Each run numbers itself (the count survives a restart, in the container's own files).
            command:
              - sh
              - -c
              - n=$$(( $$(cat /run-count 2>/dev/null || echo 0) + 1 )); echo $$n > /run-count;
                echo a-run-$$n; sleep 1; echo a-run-$$n-later; sleep 3600
          b:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "echo b-hello; sleep 3600"]
        """);
    JstackRunner jstack = new JstackRunner(Map.of("PATH", System.getenv("PATH")));
    String[] base = {
      "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
    };
    assertThat(jstack.run(base, "up", "-d", "a").code()).isZero();

    try (JstackProcess.Running logs =
        JstackProcess.start(
            Map.of(),
            "--engine",
            "docker",
            "-p",
            project,
            "-f",
            dir.resolve("compose.yaml").toString(),
            "logs",
            "-f")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> linesOf("a", logs).contains("a-run-1-later"));
      assertThat(jstack.run(base, "up", "-d", "b").code()).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> linesOf("b", logs).contains("b-hello"));
      assertThat(jstack.run(base, "restart", "-t", "1", "a").code()).isZero();
      // The second run's last line comes after anything a replay of the first run would show.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> linesOf("a", logs).contains("a-run-2-later"));
      assertThat(linesOf("a", logs))
          .as(logs.output())
          .containsExactly("a-run-1", "a-run-1-later", "a-run-2", "a-run-2-later");
      assertThat(linesOf("b", logs)).as(logs.output()).containsExactly("b-hello");
    }
  }

  /** The lines {@code logs -f} printed for {@code service}'s container, without their prefix. */
  private static List<String> linesOf(String service, JstackProcess.Running logs) {
    Pattern line = Pattern.compile("^" + service + "-1 +\\| (.*)$");
    return logs.lines().stream()
        .map(line::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .toList();
  }
}
