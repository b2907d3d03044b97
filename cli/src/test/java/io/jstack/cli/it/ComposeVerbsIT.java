package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** create, scale and rm, on each engine, each checked with the docker CLI against it. */
class ComposeVerbsIT extends OnEachEngine {

  /** The names of the project's containers of {@code service} with their states, as docker says. */
  List<String> containers(String service) {
    return stack.dockerLines(
        "ps",
        "-a",
        "--filter",
        "label=com.docker.compose.project=" + project,
        "--filter",
        "label=com.docker.compose.service=" + service,
        "--format",
        "{{.Names}} {{.State}}");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void createScaleRm_changeWhatDockerSees(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            volumes: ["/data"]
          web:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            depends_on: [db]
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;

    // create makes the containers and starts none.
    JstackRunner.Run create = jstack.run(base, "create");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(containers("db")).containsExactly(project + "-db-1 created");
    assertThat(containers("web")).containsExactly(project + "-web-1 created");
    assertThat(jstack.run(base, "create").out()).contains("nothing to do");

    // scale: three of web (db started as its dependency), then one.
    JstackRunner.Run up3 = jstack.run(base, "scale", "web=3");
    assertThat(up3.code()).as(up3.err()).isZero();
    assertThat(containers("web"))
        .containsExactlyInAnyOrder(
            project + "-web-1 running", project + "-web-2 running", project + "-web-3 running");
    assertThat(containers("db")).containsExactly(project + "-db-1 running");
    JstackRunner.Run down1 = jstack.run(base, "scale", "web=1");
    assertThat(down1.code()).as(down1.err()).isZero();
    assertThat(containers("web")).containsExactly(project + "-web-1 running");
    JstackRunner.Run bad = jstack.run(base, "scale", "web=many");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("scale takes SERVICE=NUM (NUM ≥ 0), not web=many");
    assertThat(jstack.run(base, "scale", "nope=2").err()).contains("no such service: nope");

    // rm: nothing stopped yet; then web stopped, asked, refused, then forced.
    JstackRunner.Run none = jstack.run(base, "rm", "-f");
    assertThat(none.code()).isZero();
    assertThat(none.err()).contains("No stopped containers");
    assertThat(jstack.run(base, "stop", "-t", "1", "web").code()).isZero();
    JstackRunner.Run refused =
        jstack.runWithInput("n\n".getBytes(StandardCharsets.UTF_8), base, "rm", "web");
    assertThat(refused.code()).isZero();
    assertThat(refused.out()).contains("Going to remove " + project + "-web-1");
    assertThat(containers("web")).containsExactly(project + "-web-1 exited");
    JstackRunner.Run agreed =
        jstack.runWithInput("y\n".getBytes(StandardCharsets.UTF_8), base, "rm", "web");
    assertThat(agreed.code()).as(agreed.err()).isZero();
    assertThat(containers("web")).isEmpty();
    assertThat(containers("db")).containsExactly(project + "-db-1 running");

    // rm -s -v: db is stopped first, and its anonymous volume goes with it.
    String volume =
        stack
            .dockerLines("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", project + "-db-1")
            .get(0);
    assertThat(stack.dockerLines("volume", "ls", "-q")).contains(volume);
    JstackRunner.Run rm = jstack.run(base, "rm", "-s", "-f", "-v");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(rm.out()).contains("Going to remove " + project + "-db-1");
    assertThat(containers("db")).isEmpty();
    assertThat(stack.dockerLines("volume", "ls", "-q")).doesNotContain(volume);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void commitAndExport_ofAServiceContainer(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo seeded > /seed.txt; echo kept > /data/in-volume.txt; sleep 3600"]
            init: true
            volumes: ["/data"]
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;
    assertThat(jstack.run(base, "up", "-d", "--wait").code()).isZero();
    String reference = project + "-committed:v1";
    try {
      JstackRunner.Run commit =
          jstack.run(
              base,
              "commit",
              "-a",
              "jstack test",
              "-m",
              "seeded it",
              "-c",
              "ENV SEEDED=1",
              "-c",
              "CMD [\"cat\", \"/seed.txt\"]",
              "-c",
              "WORKDIR /srv",
              "app",
              reference);
      assertThat(commit.code()).as(commit.err()).isZero();
      String id = commit.out().strip();
      assertThat(id).startsWith("sha256:");
      assertThat(
              stack.dockerLines(
                  "image",
                  "inspect",
                  "-f",
                  "{{.Id}}|{{.Author}}|{{.Comment}}|{{json .Config.Cmd}}|{{.Config.WorkingDir}}",
                  reference))
          .containsExactly(id + "|jstack test|seeded it|[\"cat\",\"/seed.txt\"]|/srv");
      assertThat(
              stack.dockerLines(
                  "image", "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", reference))
          .contains("SEEDED=1");
      JstackRunner.Run refused = jstack.run(base, "commit", "-c", "RUN true", "app");
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("not a valid change command");

      // export: the root file system with what the container wrote, not its volume's files.
      java.nio.file.Path tar = dir.resolve("app.tar");
      JstackRunner.Run export = jstack.run(base, "export", "-o", tar.toString(), "app");
      assertThat(export.code()).as(export.err()).isZero();
      List<String> entries = Docker.run(null, "tar", "-tf", tar.toString()).out().lines().toList();
      assertThat(entries).contains("seed.txt", "bin/busybox", "data/");
      assertThat(entries).noneMatch(e -> e.contains("in-volume.txt"));
      JstackRunner.Run piped = jstack.run(base, "export", "app");
      assertThat(piped.code()).isZero();
      assertThat(piped.out()).contains("seed.txt").contains("ustar");
    } finally {
      stack.docker("image", "rm", "-f", reference);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void stats_showWhatTheContainersUse_asDockerStatsDoes(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          busy:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "while :; do :; done"]
            init: true
          idle:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;
    assertThat(jstack.run(base, "up", "-d", "--wait").code()).isZero();

    JstackRunner.Run json = jstack.run(base, "stats", "--no-stream", "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    List<com.fasterxml.jackson.databind.JsonNode> rows = new java.util.ArrayList<>();
    for (String line : json.out().lines().toList()) {
      rows.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
    }
    assertThat(rows)
        .extracting(r -> r.path("Name").asText())
        .containsExactly(project + "-busy-1", project + "-idle-1");
    double busyCpu = Double.parseDouble(rows.get(0).path("CPUPerc").asText().replace("%", ""));
    assertThat(busyCpu).as("a shell loop keeps a CPU busy").isGreaterThan(20);
    for (com.fasterxml.jackson.databind.JsonNode r : rows) {
      assertThat(r.path("MemUsage").asText()).matches("[0-9.]+[KMG]iB / [0-9.]+[KMGT]iB");
      assertThat(r.path("ID").asText()).hasSize(12);
    }
    // The process counts, as docker stats counts them on the same engine.
    List<String> docker =
        stack.dockerLines(
            "stats",
            "--no-stream",
            "--format",
            "{{.Name}} {{.PIDs}}",
            project + "-busy-1",
            project + "-idle-1");
    assertThat(
            jstack
                .run(base, "stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}")
                .out()
                .lines())
        .containsExactlyElementsOf(docker);
    JstackRunner.Run table = jstack.run(base, "stats", "--no-stream", "idle");
    assertThat(table.out().lines().findFirst().orElseThrow())
        .matches("CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS");
    assertThat(table.out()).contains(project + "-idle-1").doesNotContain("busy");

    // Without --no-stream: a table about once a second, until stopped.
    try (io.jstack.cli.JstackProcess.Running live = stack.start("stats", "idle")) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> live.output().split("CONTAINER ID", -1).length > 3);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void attach_followsARunningContainer_withItsInput_untilItExits(EngineKind engine)
      throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          ticker:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "sleep 1; for i in 1 2 3 4 5; do echo tick $$i; sleep 0.3; done; exit 3"]
          reader:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "read line; echo got $$line; exit 4"]
            stdin_open: true
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;
    assertThat(jstack.run(base, "up", "-d").code()).isZero();

    JstackRunner.Run ticks = jstack.run(base, "attach", "--no-stdin", "ticker");
    assertThat(ticks.code()).as(ticks.err()).isEqualTo(3);
    assertThat(ticks.out()).contains("tick 5\n");

    // Input stays open while the container answers: as with docker attach, the end of the
    // input would end the attachment (moby closes its output streams then).
    try (io.jstack.cli.JstackProcess.Running read = stack.start("attach", "reader")) {
      java.io.OutputStream in = read.process().getOutputStream();
      in.write("hello\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(read.waitFor(java.time.Duration.ofSeconds(30))).isTrue();
      assertThat(read.output()).contains("got hello");
      assertThat(read.process().exitValue()).isEqualTo(4);
    }

    JstackRunner.Run stopped = jstack.run(base, "attach", "ticker");
    assertThat(stopped.code()).isEqualTo(1);
    assertThat(stopped.err()).contains("does not run: start it first, then attach");
  }
}
