package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On a terminal (tmux) up shows the live view; piped, the same command prints plain lines. On each
 * engine.
 */
class ProgressViewIT extends OnEachEngine {
  final String session = "jstack-" + project;

  /** Runs before the stack's removal (a subclass's {@code @AfterEach} runs first). */
  @AfterEach
  void closeTheTerminal() {
    Docker.run(null, "tmux", "kill-session", "-t", session);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void liveViewOnATerminal_plainLinesWhenPiped(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
          b:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            depends_on: [a]
        """);
    Path script = JstackProcess.script(dir, stack.env, stack.base);

    assertThat(
            Docker.run(null, "tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30")
                .code())
        .isZero();
    Docker.run(null, "tmux", "send-keys", "-t", session, script + " up -d; echo EXIT=$?", "Enter");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(screen()).contains("EXIT=0"));
    String screen = screen();
    assertThat(screen)
        .containsPattern("\\[\\+\\] Running 4/4 +\\d+\\.\\ds")
        .containsPattern("✔ Container " + project + "-a-1 +Started +\\d+\\.\\ds")
        .containsPattern("✔ Network " + project + "_default +Created");
    // Redrawn in place: each resource appears once on the screen.
    assertThat(screen.split("Container " + project + "-b-1", -1)).hasSize(2);

    Docker.Result piped = Docker.run(null, "sh", "-c", script + " down | cat");
    assertThat(piped.code()).isZero();
    assertThat(piped.out())
        .contains(" Container " + project + "-b-1  Stopping")
        .contains(" Container " + project + "-b-1  Removed")
        .doesNotContain("\u001b[");
  }

  private String screen() {
    return Docker.run(null, "tmux", "capture-pane", "-t", session, "-p").out();
  }
}
