package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.LogStream;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.engine.testing.ManualClock;
import io.jstack.planner.ComposeLabels;
import io.jstack.runtime.Engines;
import io.jstack.runtime.ProjectLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** up, down, ps and logs through the CLI, against the in-memory engine. */
class StackCommandsTest {
  @TempDir Path dir;
  FakeEngine engine;
  Path compose;

  @BeforeEach
  void setUp() throws IOException {
    engine =
        new FakeEngine()
            .localImage("nginx:1.27", "sha256:ng")
            .localImage("postgres:16", "sha256:pg");
    compose = dir.resolve("compose.yaml");
    Files.writeString(
        compose,
        """
        name: demo
        services:
          db:
            image: postgres:16
          web:
            image: nginx:1.27
            depends_on: [db]
            ports: ["8080:80"]
        """);
  }

  JstackTest.Run jstack(String... args) {
    return jstack(new StringWriter(), args);
  }

  /** Runs {@code args}, its standard error written to {@code err} as it comes. */
  JstackTest.Run jstack(StringWriter err, String... args) {
    List<String> all = new ArrayList<>(List.of("-f", compose.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    int code =
        Jstack.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            env(),
            (kind, env) -> engine,
            java.io.InputStream.nullInputStream());
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  /**
   * jstack's environment: the commands that change the project lock it beside this socket, in the
   * test's directory, not in /run/jstack.
   */
  Map<String, String> env() {
    return Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString());
  }

  List<ContainerInfo> containers() {
    return engine.containers(Map.of(ComposeLabels.PROJECT, "demo"));
  }

  @Test
  void up_createsAndStartsEverything_thenASecondUpDoesNothing() {
    JstackTest.Run first = jstack("up", "-d");
    assertThat(first.err()).isEmpty();
    assertThat(first.code()).isZero();
    assertThat(first.out())
        .contains(" Network demo_default  Created")
        .contains(" Container demo-db-1  Started")
        .contains(" Container demo-web-1  Started");
    assertThat(containers())
        .extracting(ContainerInfo::name)
        .containsExactlyInAnyOrder("demo-db-1", "demo-web-1");
    assertThat(containers()).allMatch(c -> c.state() == ContainerInfo.State.RUNNING);

    JstackTest.Run second = jstack("up", "-d");
    assertThat(second.code()).isZero();
    assertThat(second.out()).isEqualTo("nothing to do\n");
  }

  @Test
  void upDryRun_printsThePlanAndChangesNothing() throws IOException {
    JstackTest.Run r = jstack("up", "--dry-run");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            1. create network demo_default no network
            2. create container demo-db-1 [db] no container; after 1
            3. start container demo-db-1 [db] no container; after 2
            4. create container demo-web-1 [web] no container; after 1
            5. wait for db (service_started) [db] needed by web; after 3
            6. start container demo-web-1 [web] no container; after 4, 5
            """);
    assertThat(engine.isEmpty()).isTrue();
    JstackTest.Run json = jstack("up", "--dry-run", "--format", "json");
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.path("operations")).hasSize(6);
    assertThat(tree.path("operations").path(0).path("action").asText()).isEqualTo("create network");
    assertThat(tree.path("operations").path(5).path("after").toString()).isEqualTo("[4,5]");
  }

  @Test
  void ps_listsTheProjectsContainers() {
    jstack("up", "-d");
    JstackTest.Run table = jstack("ps");
    assertThat(table.out().lines().toList().get(0))
        .startsWith("NAME")
        .contains("SERVICE")
        .contains("STATUS");
    assertThat(table.out()).contains("demo-db-1").contains("demo-web-1");
    assertThat(jstack("ps", "--services").out()).isEqualTo("db\nweb\n");
    assertThat(jstack("ps", "-q").out().lines())
        .hasSize(2)
        .allMatch(l -> l.matches("[0-9a-f]{64}"));
    assertThat(jstack("ps", "--format", "json").out().lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("{") && l.contains("\"Project\":\"demo\""));
    // Go templates, as docker compose ps --format takes them.
    assertThat(jstack("ps", "--format", "{{.Service}}:{{.State}} {{upper .Project}}").out())
        .isEqualTo("db:running DEMO\nweb:running DEMO\n");
    assertThat(
            jstack("ps", "--format", "{{.Name}} {{.Label \"com.docker.compose.service\"}}").out())
        .isEqualTo("demo-db-1 db\ndemo-web-1 web\n");
    assertThat(jstack("ps", "--format", "table {{.Service}}\\t{{.Name}}").out())
        .isEqualTo("SERVICE   NAME\ndb        demo-db-1\nweb       demo-web-1\n");
    assertThat(jstack("ps", "--format", "{{json .Service}}").out()).isEqualTo("\"db\"\n\"web\"\n");
    JstackTest.Run unknown = jstack("ps", "--format", "{{.Nope}}");
    assertThat(unknown.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(unknown.err()).contains("no field .Nope").contains("fields: ID, Name, Image");
    engine.exit("demo-db-1", 3);
    assertThat(jstack("ps", "--services").out()).isEqualTo("web\n");
    assertThat(jstack("ps", "--status", "exited", "--services").out()).isEqualTo("db\n");
  }

  /**
   * Without {@code -f}, the lines of all containers come in the order they were printed (by the
   * engine's times), whether or not the times are shown; each container's own lines keep their
   * order, also where several have one time.
   */
  @Test
  void logs_mergesTheContainersLinesByTheirTimes() {
    ManualClock clock = new ManualClock();
    engine =
        new FakeEngine(clock)
            .localImage("nginx:1.27", "sha256:ng")
            .localImage("postgres:16", "sha256:pg");
    jstack("up", "-d");
    engine.write("demo-web-1", LogStream.Source.STDOUT, "1 web starts");
    clock.advance(java.time.Duration.ofMillis(5));
    engine.write("demo-db-1", LogStream.Source.STDOUT, "2 db answers");
    clock.advance(java.time.Duration.ofMillis(5));
    engine.write("demo-web-1", LogStream.Source.STDERR, "3 web fails");
    engine.write("demo-web-1", LogStream.Source.STDOUT, "4 web retries");
    clock.advance(java.time.Duration.ofMillis(5));
    engine.write("demo-db-1", LogStream.Source.STDOUT, "5 db answers again");

    assertThat(jstack("logs", "--no-log-prefix").out())
        .isEqualTo("1 web starts\n2 db answers\n3 web fails\n4 web retries\n5 db answers again\n");
    assertThat(jstack("logs", "-t").out().lines().toList())
        .containsExactly(
            "web-1  | 2025-01-01T00:00:00Z 1 web starts",
            "db-1   | 2025-01-01T00:00:00.005Z 2 db answers",
            "web-1  | 2025-01-01T00:00:00.010Z 3 web fails",
            "web-1  | 2025-01-01T00:00:00.010Z 4 web retries",
            "db-1   | 2025-01-01T00:00:00.015Z 5 db answers again");
    assertThat(jstack("logs", "--tail", "1", "--no-log-prefix").out())
        .isEqualTo("4 web retries\n5 db answers again\n");
  }

  @Test
  void logs_prefixesLinesWithTheContainer() {
    engine =
        new FakeEngine(new ManualClock())
            .localImage("nginx:1.27", "sha256:ng")
            .localImage("postgres:16", "sha256:pg");
    jstack("up", "-d");
    engine.write("demo-web-1", LogStream.Source.STDOUT, "GET / 200");
    engine.write("demo-web-1", LogStream.Source.STDERR, "warning: slow");
    engine.write("demo-db-1", LogStream.Source.STDOUT, "ready to accept connections");
    assertThat(jstack("logs").out())
        .as("lines of one time: in the containers' order")
        .isEqualTo(
            "db-1   | ready to accept connections\nweb-1  | GET / 200\nweb-1  | warning: slow\n");
    assertThat(jstack("logs", "--tail", "1", "web").out()).isEqualTo("web-1  | warning: slow\n");
    assertThat(jstack("logs", "--no-log-prefix", "db").out())
        .isEqualTo("ready to accept connections\n");
    assertThat(jstack("logs", "nope").code()).isEqualTo(2);
  }

  @Test
  void down_removesEverything() {
    jstack("up", "-d");
    JstackTest.Run r = jstack("down", "-v");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(" Container demo-web-1  Removed")
        .contains(" Network demo_default  Removed");
    assertThat(engine.isEmpty()).isTrue();
    assertThat(jstack("down").out()).isEqualTo("nothing to do\n");
  }

  /**
   * {@code -p NAME down} where no compose file is (Docker Compose's): the project's containers,
   * networks and (with {@code -v}) volumes, as the engine has them, go; none is an orphan. {@code
   * ps} and {@code logs} by name show them before.
   */
  @Test
  void psLogsAndDownByProjectName_withoutAComposeFile_actOnWhatTheEngineHasOfIt() throws Exception {
    Files.writeString(
        compose, Files.readString(compose) + "    volumes: [data:/data]\nvolumes:\n  data:\n");
    assertThat(jstack("up", "-d").code()).isZero();
    assertThat(engine.volumes(Map.of(ComposeLabels.PROJECT, "demo"))).hasSize(1);
    // Not below dir: its compose file would be found there.
    Path elsewhere = Files.createTempDirectory("no-compose-file");
    try {
      downByName(elsewhere);
    } finally {
      Files.delete(elsewhere);
    }
  }

  private void downByName(Path elsewhere) {
    assertThat(fileless(elsewhere, "-p", "demo", "ps", "--services").out()).isEqualTo("db\nweb\n");
    engine.write("demo-web-1", LogStream.Source.STDOUT, "GET / 200");
    assertThat(fileless(elsewhere, "-p", "demo", "logs", "--no-log-prefix", "web").out())
        .isEqualTo("GET / 200\n");

    // stop, start, restart, pause and kill by name act on the services its containers name.
    JstackTest.Run stopped = fileless(elsewhere, "-p", "demo", "stop", "web");
    assertThat(stopped.err()).isEmpty();
    assertThat(stopped.out()).contains(" Container demo-web-1  Stopped");
    assertThat(fileless(elsewhere, "-p", "demo", "ps", "--services").out()).isEqualTo("db\n");
    assertThat(fileless(elsewhere, "-p", "demo", "start").out())
        .contains(" Container demo-web-1  Started");
    assertThat(fileless(elsewhere, "-p", "demo", "ps", "--services").out()).isEqualTo("db\nweb\n");
    assertThat(fileless(elsewhere, "-p", "demo", "restart", "db").code()).isZero();

    JstackTest.Run kept = fileless(elsewhere, "-p", "demo", "down");
    assertThat(kept.err()).isEmpty();
    assertThat(kept.code()).isZero();
    assertThat(kept.out())
        .contains(" Container demo-db-1  Removed")
        .contains(" Container demo-web-1  Removed")
        .contains(" Network demo_default  Removed");
    assertThat(containers()).isEmpty();
    assertThat(engine.volumes(Map.of(ComposeLabels.PROJECT, "demo"))).hasSize(1);

    assertThat(fileless(elsewhere, "-p", "demo", "down", "-v").code()).isZero();
    assertThat(engine.isEmpty()).isTrue();

    JstackTest.Run nameless = fileless(elsewhere, "down");
    assertThat(nameless.code()).isEqualTo(1);
    assertThat(nameless.err()).contains("no configuration file provided");
  }

  /** {@code jstack ARGS} in {@code workdir}, with no {@code -f}. */
  JstackTest.Run fileless(Path workdir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            args,
            new io.jstack.cli.internal.Caller(
                workdir,
                Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString()),
                false,
                io.jstack.cli.internal.Signals.PROCESS),
            (kind, env) -> engine,
            new io.jstack.engine.Stdio(
                java.io.InputStream.nullInputStream(),
                java.io.OutputStream.nullOutputStream(),
                java.io.OutputStream.nullOutputStream(),
                null),
            new PrintWriter(out),
            new PrintWriter(err));
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  @Test
  @SuppressWarnings("try") // The lock is used by holding it.
  void aCommandThatChangesTheProject_waitsWhileAnotherHoldsIt_andOneThatReads_doesNot()
      throws Exception {
    jstack("up", "-d");
    ExecutorService threads = Executors.newCachedThreadPool();
    StringWriter err = new StringWriter();
    Future<JstackTest.Run> stop;
    try {
      try (ProjectLock held =
          ProjectLock.take(Engines.Kind.embedded, env(), "demo", "jstack up", line -> {})) {
        assertThat(threads.submit(() -> jstack("ps")).get(10, TimeUnit.SECONDS).code()).isZero();
        stop = threads.submit(() -> jstack(err, "stop"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    err.toString()
                        .equals(
                            "jstack: waiting for another command on project demo to finish"
                                + " (jstack up, pid "
                                + ProcessHandle.current().pid()
                                + ")\n"));
        assertThat(stop.isDone()).isFalse();
        assertThat(containers()).allMatch(ContainerInfo::isRunning);
      }
      assertThat(stop.get(10, TimeUnit.SECONDS).code()).isZero();
      assertThat(containers()).noneMatch(ContainerInfo::isRunning);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aFailedOperation_isOneLineNamingItsServiceAndCause() {
    engine.failNext(
        "createContainer", "demo-web-1", new io.jstack.engine.EngineException("disk full"));
    JstackTest.Run r = jstack("up", "-d");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("jstack: create container demo-web-1 (service web) failed: disk full\n");
  }

  @Test
  void anUnreachableEngine_saysHowToStartOne() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            new String[] {"-f", compose.toString(), "ps"},
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of("DOCKER_HOST", "unix://" + dir.resolve("no.sock")));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("jstack: cannot connect to the engine at unix://" + dir.resolve("no.sock"))
        .contains("no such socket")
        .contains("start dockerd, or point DOCKER_HOST at a running engine");
  }

  @Test
  void ansi_decidesColoursAndTheLiveView() {
    jstack("up", "-d");
    engine.write("demo-web-1", LogStream.Source.STDOUT, "hello");
    assertThat(jstack("logs", "web").out()).isEqualTo("web-1  | hello\n");
    assertThat(jstack("--ansi", "always", "logs", "web").out())
        .isEqualTo("\u001b[36mweb-1  | \u001b[0mhello\n");
    assertThat(jstack("--ansi", "always", "logs", "--no-color", "web").out())
        .isEqualTo("web-1  | hello\n");
    JstackTest.Run live = jstack("--ansi", "always", "down");
    assertThat(live.out()).contains("[+] Running").contains("\u001b[2K");
    assertThat(jstack("--ansi", "never", "up", "-d").out()).doesNotContain("\u001b[");
  }
}
