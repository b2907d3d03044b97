package io.jstack.engine.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.Engine.ExecResult;
import io.jstack.engine.Engine.ExecSpec;
import io.jstack.engine.Engine.Processes;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.LogStream.Line;
import io.jstack.engine.LogStream.Source;
import io.jstack.engine.Stdio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The contract's scenarios about what runs in containers: their output (logs, attach), exec, the
 * process table, and files copied in and out.
 */
public abstract class ProcessScenarios extends ContainerScenarios {

  // ---------------------------------------------------------------- output and processes

  @Test
  @Covers({"logs", "waitContainer"})
  void logs_ofAnExitedContainer_bothStreams_tailAndTimestamps() {
    String id = started(Program.SPEAK_AND_EXIT_3, "speaker");
    assertThat(blocking(() -> engine.waitContainer(id))).isEqualTo(3);
    assertThat(engine.container(id).orElseThrow().exitCode()).isEqualTo(3);

    assertThat(lines(id, LogStream.Options.all()))
        .containsExactlyInAnyOrder(
            new Line(Source.STDOUT, null, "out"), new Line(Source.STDERR, null, "err"));
    assertThat(lines(id, new LogStream.Options(false, 1, null, null, false)))
        .singleElement()
        .satisfies(l -> assertThat(l.text()).isIn("out", "err"));
    assertThat(lines(id, new LogStream.Options(false, null, null, null, true)))
        .hasSize(2)
        .allSatisfy(l -> assertThat(OffsetDateTime.parse(l.timestamp())).isNotNull());
  }

  @Test
  @Covers({"logs", "stopContainer"})
  void logs_followed_endWhenTheContainerStops() {
    String id = started(Program.SERVE, "followed");
    try (LogStream followed =
        engine.logs(id, new LogStream.Options(true, null, null, null, false))) {
      assertThat(blocking(followed::next)).isEqualTo(new Line(Source.STDOUT, null, "ready"));
      engine.stopContainer(id, null, STOP_TIMEOUT);
      assertThat(blocking(followed::next)).as("the stream ends with the container").isNull();
    }
  }

  @Test
  @Covers({"startAttached"})
  void startAttached_copiesBothStreams_andReturnsTheExitCode() {
    String id = engine.createContainer(spec(scratch.name("attached"), Program.SPEAK_AND_EXIT_3));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = blocking(() -> engine.startAttached(id, new Stdio(null, out, err, null)));

    assertThat(code).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
  }

  @Test
  @Covers({"exec(String,ExecSpec,byte[])", "exec(String,ExecSpec,Stdio)"})
  void exec_runsInARunningContainer_withItsOutputAndExitCode() {
    String id = started(Program.SERVE, "exec");

    for (ExecProgram p : ExecProgram.all()) {
      ExecResult r = blocking(() -> engine.exec(id, p.spec(), (byte[]) null));
      assertThat(r.exitCode()).as(String.join(" ", p.spec().command())).isEqualTo(p.exitCode());
      assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo(p.stdout());
      assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).isEqualTo(p.stderr());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExecSpec detached = new ExecSpec(List.of("sleep", "1"), List.of(), null, null, false, true);
    assertThat(blocking(() -> engine.exec(id, detached, new Stdio(null, out, out, null)))).isZero();
    assertThat(out.size()).isZero();
  }

  @Test
  @Covers({"exec(String,ExecSpec,byte[])"})
  void exec_ofAProgramTheContainerLacks_saysSo() {
    String id = started(Program.SERVE, "nothere");

    ExecResult missing = blocking(() -> engine.exec(id, ExecProgram.MISSING, (byte[]) null));
    // 126 up to Docker 20.10, 127 since 23.0; the runtime's message, on either stream: runc's
    // `executable file not found in $PATH`, crun's `executable file `X` not found in $PATH`.
    assertThat(missing.exitCode()).isIn(126, 127);
    assertThat(
            new String(missing.stdout(), StandardCharsets.UTF_8)
                + new String(missing.stderr(), StandardCharsets.UTF_8))
        .containsPattern("executable file (`[^`]*` )?not found");
  }

  @Test
  @Covers({"top"})
  void top_listsTheProcesses_withTheirCommands() {
    String id = started(Program.SERVE, "top");

    // Just started, its process may still be the runtime's (runc init) for a moment.
    Awaitility.await()
        .atMost(BLOCKING)
        .untilAsserted(
            () -> {
              Processes p = engine.top(id);
              assertThat(p.titles()).contains("PID", "CMD");
              int cmd = p.titles().indexOf("CMD");
              assertThat(p.rows())
                  .isNotEmpty()
                  .anySatisfy(row -> assertThat(row.get(cmd)).startsWith("sh"));
            });
  }

  @Test
  @Covers({"copyTo", "copyFrom"})
  void copy_intoAndOutOfAContainer_asTarStreams() throws IOException {
    String id = started(Program.SERVE, "copy");

    engine.copyTo(id, "/tmp", new ByteArrayInputStream(tar("greeting.txt", "hello\n")));

    try (InputStream copied = engine.copyFrom(id, "/tmp/greeting.txt")) {
      assertThat(untar(copied)).containsExactly(Map.entry("greeting.txt", "hello\n"));
    }
    assertThatThrownBy(() -> engine.copyFrom(id, "/tmp/absent.txt").close())
        .isInstanceOf(EngineException.NotFound.class);
  }

  /**
   * Attaching to a running container follows it until it stops, and gives its exit code (0: its
   * trap answers the stop); one that does not run cannot be attached to.
   */
  @Test
  @Covers({"attach"})
  void attach_followsARunningContainer_untilItStops_andRefusesOneThatDoesNotRun() throws Exception {
    String id = started(Program.SERVE, "attachto");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.util.concurrent.CompletableFuture<Integer> attached =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> engine.attach(id, new Stdio(null, out, out, null)));
    // Attached once the call is under way; a stop before that would find nothing to attach to.
    Thread.sleep(1000);
    assertThat(attached).isNotDone();
    engine.stopContainer(id, null, STOP_TIMEOUT);

    assertThat(attached.get(BLOCKING.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isZero();
    String created = engine.createContainer(spec(scratch.name("notrunning"), Program.SERVE));
    assertThatThrownBy(() -> engine.attach(created, new Stdio(null, out, out, null)))
        .isInstanceOf(EngineException.Conflict.class);
  }

  /**
   * A commit makes a named image of a container, and an export is its root file system as a tar
   * with what it wrote, named from the root.
   */
  @Test
  @Covers({"commitContainer", "exportContainer", "image"})
  void commitAndExport_ofARunningContainer() throws IOException {
    String id = started(Program.SERVE, "committed");
    engine.copyTo(id, "/tmp", new ByteArrayInputStream(tar("greeting.txt", "hello\n")));
    String reference = scratch.name("commit") + ":contract";
    scratch.image(reference);

    String image =
        engine.commitContainer(
            id,
            new io.jstack.engine.Engine.CommitSpec(
                reference, "by the contract", null, List.of("ENV CONTRACT=1"), true));

    assertThat(engine.image(reference))
        .hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(image));
    try (InputStream exported = engine.exportContainer(id)) {
      assertThat(untar(exported)).containsEntry("tmp/greeting.txt", "hello\n");
    }
  }

  /** A running container's use, by its id and name; one that does not run has none. */
  @Test
  @Covers({"stats"})
  void stats_ofARunningContainer_andNoneOfAStoppedOne() {
    String name = scratch.name("measured");
    String id = engine.createContainer(spec(name, Program.SERVE));
    engine.startContainer(id);
    awaitReady(id, 1);

    io.jstack.engine.ContainerStats s = blocking(() -> engine.stats(id));

    assertThat(s.id()).isEqualTo(id);
    assertThat(s.name()).isEqualTo(name);
    assertThat(s.pids()).isPositive();
    assertThat(s.cpuPercent()).isNotNegative();
    engine.stopContainer(id, null, STOP_TIMEOUT);
    assertThatThrownBy(() -> engine.stats(id)).isInstanceOf(EngineException.Conflict.class);
  }
}
