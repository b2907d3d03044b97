package io.jstack.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.EngineAddress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session protocol, over byte streams; removals reach for an engine only when one is lost. */
class SessionHostTest {
  @TempDir Path dir;
  final List<String> log = new ArrayList<>();

  SessionHost host() {
    return new SessionHost(
        new SessionRecords(dir),
        new EngineAddress.Unix(dir.resolve("no-engine.sock")),
        Duration.ZERO,
        log::add);
  }

  String serve(String commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    host()
        .serve(
            ProcessHandle.current().pid(),
            new ByteArrayInputStream(commands.getBytes(StandardCharsets.UTF_8)),
            out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aClosedSession_answersEachCommand_andLeavesNoRecord() throws Exception {
    String answers = serve("watch shop\nwatch db\nrelease shop\nclose\n");

    assertThat(answers).matches("session \\d+-[0-9a-f]{8}\nok\nok\nok\nok\n");
    assertThat(records()).isEmpty();
    assertThat(log).isEmpty();
  }

  @Test
  void badCommands_areAnsweredWithAnError_andTheSessionGoesOn() throws Exception {
    String answers = serve("watch ../etc\nstop shop\nclose\n");

    assertThat(answers.lines().toList())
        .containsExactly(
            answers.lines().findFirst().orElseThrow(),
            "error not a Compose project name: ../etc",
            "error unknown command: stop shop (watch, release or close)",
            "ok");
    assertThat(records()).isEmpty();
  }

  @Test
  void aLostSession_whoseEngineCannotBeReached_keepsItsRecord_forALaterSweep() throws Exception {
    String answers = serve("watch shop\n");

    assertThat(answers).endsWith("ok\n");
    assertThat(log).singleElement().asString().contains("could not remove its projects [shop]");
    assertThat(records()).singleElement();
    assertThat(Files.readAllLines(records().get(0))).contains("project shop");
  }

  @Test
  void aLostSession_watchingNothing_endsWithoutAnEngine() throws Exception {
    serve("watch shop\nrelease shop\n");

    assertThat(records()).isEmpty();
    assertThat(log).isEmpty();
  }

  @Test
  void aResumedSession_keepsItsIdAndProjects_andAnUnknownOneStartsAfresh() throws Exception {
    SessionRecords.Record old =
        new SessionRecords(dir).create(ProcessHandle.current().pid(), "unix:///x.sock");
    old.watch("shop");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    host()
        .serve(
            ProcessHandle.current().pid(),
            old.id(),
            new ByteArrayInputStream("release shop\nclose\n".getBytes(StandardCharsets.UTF_8)),
            out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("session " + old.id() + "\nok\nok\n");
    assertThat(records()).isEmpty();

    out.reset();
    host()
        .serve(
            ProcessHandle.current().pid(),
            "1-00000000",
            new ByteArrayInputStream("close\n".getBytes(StandardCharsets.UTF_8)),
            out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("session " + ProcessHandle.current().pid() + "-");
  }

  List<Path> records() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
