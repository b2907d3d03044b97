package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec} and {@code run} wired to the caller's streams on dockerd: piped input and binary
 * output pass through unchanged, and on a terminal (tmux) they get a pseudo-terminal that follows
 * the window's size, takes Ctrl-C, and gives the terminal back as it was.
 */
class InteractiveIT {
  @TempDir Path dir;
  final String project = "interactive-it-" + UUID.randomUUID().toString().substring(0, 8);
  final JstackRunner jstack = new JstackRunner(Map.of());
  String[] base;
  Path script;
  Tmux tmux;

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @BeforeEach
  void stack() throws Exception {
    Path compose = dir.resolve("compose.yaml");
    Files.writeString(
        compose,
        """
        services:
          box:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
        """);
    base = new String[] {"--engine", "docker", "-p", project, "-f", compose.toString()};
    JstackRunner.Run up = jstack.run(base, "up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    script = JstackProcess.script(dir, Map.of(), base);
  }

  @AfterEach
  void cleanUp() {
    if (tmux != null) {
      tmux.close();
    }
    Docker.removeProject(project);
  }

  @Test
  void execAndRun_passPipedInputAndBinaryOutputThrough() throws Exception {
    byte[] data = new byte[200_000];
    ThreadLocalRandom.current().nextBytes(data);
    Path in = dir.resolve("in.bin");
    Path out = dir.resolve("out.bin");
    Files.write(in, data);
    // Through the real process, so that bytes reach stdout with no text decoding.
    Docker.Result cat =
        Docker.run(null, "sh", "-c", script + " exec box cat < " + in + " > " + out);
    assertThat(cat.code()).as(cat.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(data);

    JstackRunner.Run run =
        jstack.runWithInput(
            "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
            base,
            "run",
            "--rm",
            "-T",
            "box",
            "sh",
            "-c",
            "wc -l; echo to-stderr >&2; exit 3");
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.out().strip()).isEqualTo("2");
    assertThat(run.err()).contains("to-stderr");
    assertThat(
            Docker.lines(
                "ps",
                "-a",
                "-q",
                "--filter",
                "label=com.docker.compose.oneoff=True",
                "--filter",
                "label=com.docker.compose.project=" + project))
        .isEmpty();
  }

  @Test
  void execOnATerminal_getsAPseudoTerminalThatFollowsTheWindow() {
    tmux =
        Tmux.start(
            "jstack-" + project,
            script + " exec box sh; echo EXIT=$?; stty -a | grep -c -- ' -echo '");
    tmux.shellFollowsTheWindow();
    tmux.send("exit 5");
    tmux.awaitScreen("EXIT=5");
    // The terminal got its echo back.
    assertThat(tmux.screen()).containsPattern("EXIT=5\\s+0\\s");
  }

  @Test
  void runOnATerminal_takesCtrlC_andRemovesItsContainer() {
    tmux = Tmux.start("jstack-" + project, script + " run --rm box sh; echo EXIT=$?");
    tmux.awaitScreen("/ #");
    tmux.send("sleep 300");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(docker("top")).contains("sleep 300"));
    tmux.keys("C-c");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(docker("top")).doesNotContain("sleep 300"));
    tmux.send("echo after-$((20+22)); exit 4");
    tmux.awaitScreen("EXIT=4");
    assertThat(tmux.screen()).contains("after-42");
    assertThat(
            Docker.lines(
                "ps",
                "-a",
                "-q",
                "--filter",
                "label=com.docker.compose.oneoff=True",
                "--filter",
                "label=com.docker.compose.project=" + project))
        .isEmpty();
  }

  /**
   * What {@code docker top} shows for the project's one-off container, or "" when there is none.
   */
  private String docker(String verb) {
    var ids =
        Docker.lines(
            "ps",
            "-q",
            "--filter",
            "label=com.docker.compose.oneoff=True",
            "--filter",
            "label=com.docker.compose.project=" + project);
    return ids.isEmpty() ? "" : Docker.run(null, "docker", verb, ids.get(0)).out();
  }
}
