package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An attached {@code up}, on each engine: it follows the logs, Ctrl-C (SIGINT) stops the stack
 * gracefully and ends the command (in a process of its own), and {@code --exit-code-from} ends it
 * with the job's exit code.
 */
class AttachedUpIT extends OnEachEngine {

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void attachedUp_followsLogs_andCtrlCStopsTheStack(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          ticker:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
        """);
    try (JstackProcess.Running up = stack.start("up")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(up.lines())
                      .as(up.output())
                      .anyMatch(l -> l.matches("ticker-1 +\\| tick 3")));
      Docker.run(null, "kill", "-INT", Long.toString(up.pid()));
      assertThat(up.waitFor(Duration.ofSeconds(60))).as(up.output()).isTrue();
      assertThat(up.exitValue()).isEqualTo(130);
      assertThat(up.output())
          .contains("Gracefully stopping...")
          .contains("Container " + project + "-ticker-1  Stopped");
      assertThat(stack.dockerLines("inspect", "-f", "{{.State.Status}}", project + "-ticker-1"))
          .containsExactly("exited");
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void exitCodeFrom_stopsEverythingWhenTheJobEnds_andReturnsItsCode(EngineKind engine)
      throws Exception {
    on(engine);
    stack.compose(
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
    JstackRunner.Run up =
        stack.run("up", "--exit-code-from", "job", "--no-attach", "app", "--timestamps");
    assertThat(up.code()).as(up.out() + up.err()).isEqualTo(5);
    assertThat(up.out())
        .containsPattern("job-1 +\\| \\d{4}-\\d\\d-\\d\\dT[^ ]+ job done")
        .contains("job-1 exited with code 5")
        .contains("Aborting on container exit...")
        .doesNotContain("app-says");
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.Status}}", project + "-app-1"))
        .containsExactly("exited");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void attachedUp_followsLogsAndEvents_exitCodeFrom(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          job:
            image: jstack-examples/busybox:latest
            network_mode: none
            command: ["sh", "-c", "echo working; sleep 1; echo done; exit 3"]
          side:
            image: jstack-examples/busybox:latest
            network_mode: none
            init: true
            command: ["sh", "-c", "while true; do echo side; sleep 0.5; done"]
        """);
    JstackRunner.Run up = stack.run("up", "--exit-code-from", "job", "-t", "2");
    assertThat(up.code()).as(up.err()).isEqualTo(3);
    assertThat(up.out())
        .contains("job-1   | working")
        .contains("job-1   | done")
        .contains("side-1  | side");
    assertThat(stack.run("ps", "-a").out()).contains("Exited (3)");
  }
}
