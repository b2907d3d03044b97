package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * logs -f keeps following containers that start after it, without replaying restarted ones, on each
 * engine.
 */
class LogsFollowIT extends OnEachEngine {
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void logsFollow_picksUpContainersThatStartLater(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
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
    assertThat(stack.run("up", "-d", "a").code()).isZero();

    try (JstackProcess.Running logs = stack.start("logs", "-f")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> linesOf("a", logs).contains("a-run-1-later"));
      assertThat(stack.run("up", "-d", "b").code()).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> linesOf("b", logs).contains("b-hello"));
      assertThat(stack.run("restart", "-t", "1", "a").code()).isZero();
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
