package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code exec} and {@code run} wired to the caller's streams, on each engine: piped input and
 * binary output pass through unchanged, and on a terminal (tmux) they get a pseudo-terminal that
 * follows the window's size, takes Ctrl-C, and gives the terminal back as it was.
 */
class InteractiveIT extends OnEachEngine {
  Path script;
  Tmux tmux;

  /** Brings up one idle service on {@code engine}, and writes a script that runs jstack on it. */
  void up(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          box:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
        """);
    stack.ok("up", "-d");
    script = JstackProcess.script(dir, stack.env, stack.base);
  }

  /** Runs before the stack's removal (a subclass's {@code @AfterEach} runs first). */
  @AfterEach
  void closeTheTerminal() {
    if (tmux != null) {
      tmux.close();
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void execAndRun_passPipedInputAndBinaryOutputThrough(EngineKind engine) throws Exception {
    up(engine);
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
        stack.jstack.runWithInput(
            "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
            stack.base,
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
    assertThat(oneOffs("-a")).isEmpty();
  }

  /** {@code stats} on a terminal redraws its table in place, about once a second, until Ctrl-C. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void statsOnATerminal_redrawsItsTableInPlace_untilCtrlC(EngineKind engine) throws Exception {
    up(engine);
    // Ctrl-C reaches the whole foreground group: the shell that reports the exit code traps it.
    tmux = Tmux.start("jstack-" + project, "trap true INT; " + script + " stats; echo EXIT=$?");
    tmux.awaitScreen(project + "-box-1");
    Thread.sleep(3500);
    String screen = tmux.screen();
    assertThat(screen.split("CONTAINER ID", -1)).as(screen).hasSize(2);
    assertThat(screen.split(project + "-box-1", -1)).as(screen).hasSize(2);
    tmux.keys("C-c");
    tmux.awaitScreen("EXIT=0");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void execOnATerminal_getsAPseudoTerminalThatFollowsTheWindow(EngineKind engine) throws Exception {
    up(engine);
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

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void runOnATerminal_followsTheWindow_takesCtrlC_andRemovesItsContainer(EngineKind engine)
      throws Exception {
    up(engine);
    tmux = Tmux.start("jstack-" + project, script + " run --rm box sh; echo EXIT=$?");
    tmux.shellFollowsTheWindow();
    // Ctrl-C reaches the container's terminal: the shell's child stops, the shell goes on.
    tmux.send("sleep 300");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(commandsInTheOneOff()).contains("sleep 300"));
    tmux.keys("C-c");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(commandsInTheOneOff()).doesNotContain("sleep 300"));
    assertThat(commandsInTheOneOff()).contains("sh");
    tmux.send("echo after-$((20+22)); exit 4");
    tmux.awaitScreen("EXIT=4");
    assertThat(tmux.screen()).contains("after-42");
    // --rm: the one-off container is gone.
    assertThat(oneOffs("-a")).isEmpty();
  }

  /** The ids of the project's one-off containers ({@code -a}: also those that do not run). */
  private List<String> oneOffs(String... flags) {
    List<String> all = new ArrayList<>(List.of(flags));
    all.addAll(List.of("--filter", "label=com.docker.compose.oneoff=True"));
    return stack.containerIds(all.toArray(String[]::new));
  }

  /** The commands running in the project's one running one-off container, as top shows them. */
  private List<String> commandsInTheOneOff() throws Exception {
    List<String> running = oneOffs();
    assertThat(running).hasSize(1);
    List<String> commands = new ArrayList<>();
    JsonNode top = stack.api("/containers/" + running.get(0) + "/top");
    int cmd = top.path("Titles").size() - 1;
    top.path("Processes").forEach(p -> commands.add(p.get(cmd).asText()));
    return commands;
  }
}
