package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A terminal for tests: a detached tmux session of 100 × 30 running one shell command, which the
 * test types into and reads back from the screen.
 */
final class Tmux implements AutoCloseable {
  private final String session;

  private Tmux(String session) {
    this.session = session;
  }

  /** Starts {@code command} in a new session named {@code session} (kept open after it ends). */
  static Tmux start(String session, String command) {
    Docker.Result r =
        Docker.run(
            null,
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "100",
            "-y",
            "30",
            "sh",
            "-c",
            command + "; sleep 600");
    assertThat(r.code()).as(r.err()).isZero();
    Docker.run(null, "tmux", "set-option", "-t", session, "status", "off");
    return new Tmux(session);
  }

  /**
   * Checks, in the busybox shell this session runs in a container, that it has a terminal of the
   * window's size (100 × 30) that follows the window when it grows to 120 × 40.
   */
  void shellFollowsTheWindow() {
    awaitScreen("/ #");
    send("tty; stty size");
    awaitScreen("/dev/pts/");
    assertThat(screen()).containsPattern("\\n30 100\\s");
    resize(120, 40);
    // The window's new size reaches the container (SIGWINCH, then the engine's resize call).
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              send("stty size");
              assertThat(screen()).containsPattern("\\n40 120\\s");
            });
  }

  /** Types {@code line} and Enter. */
  void send(String line) {
    Docker.run(null, "tmux", "send-keys", "-t", session, line, "Enter");
  }

  /** Presses keys, e.g. {@code C-c}. */
  void keys(String keys) {
    Docker.run(null, "tmux", "send-keys", "-t", session, keys);
  }

  /** Resizes the window (the program in it sees SIGWINCH). */
  void resize(int columns, int rows) {
    Docker.Result r =
        Docker.run(
            null,
            "tmux",
            "resize-window",
            "-t",
            session,
            "-x",
            String.valueOf(columns),
            "-y",
            String.valueOf(rows));
    assertThat(r.code()).as(r.err()).isZero();
  }

  /** Waits up to 30 s for {@code text} on the screen. */
  void awaitScreen(String text) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(screen()).contains(text));
  }

  /** What the screen shows. */
  String screen() {
    return Docker.run(null, "tmux", "capture-pane", "-t", session, "-p").out();
  }

  @Override
  public void close() {
    Docker.run(null, "tmux", "kill-session", "-t", session);
  }
}
