package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.HostProcesses;
import io.jstack.runtime.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine end to end, with no dockerd in the path of the stack: the CLI starts the
 * engine on demand; containers survive {@code kill -9} of the engine and keep logging; the next
 * command starts a new engine that shows the same containers and every line; {@code down} leaves no
 * process, mount, cgroup, runc state or file. (dockerd only supplies the image via docker save.)
 */
class EmbeddedEngineIT extends EmbeddedStackFixture {
  @BeforeEach
  void counters() throws Exception {
    StringBuilder compose = new StringBuilder("services:\n");
    for (String s : List.of("one", "two", "three")) {
      compose
          .append("  ")
          .append(s)
          .append(":\n")
          .append("    image: jstack-examples/busybox:latest\n")
          .append("    network_mode: host\n")
          .append("    init: true\n")
          .append("    command: [\"sh\", \"-c\", \"i=0; while true; do i=$$((i+1)); echo ")
          .append(s)
          .append(" $$i; sleep 1; done\"]\n");
    }
    compose(compose.toString());
  }

  @Test
  void containersOutliveAKilledEngine_andDownLeavesNothing() throws Exception {
    JstackRunner.Run up = jstack.run(base, "up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    List<String> ids = jstack.run(base, "ps", "-q").out().lines().sorted().toList();
    assertThat(ids).hasSize(3);
    String one = inspect("one").path("Id").asText();

    long firstEngine = stack.killTheEngine();
    // Nothing answers on the socket now, and the containers (held by conmon) still run: each
    // writes two more lines (one a second) to its log.
    assertThat(Engines.answers(socket())).isFalse();
    Map<String, Long> atKill = new java.util.HashMap<>();
    for (String id : ids) {
      atKill.put(id, lines(logOf(id)));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              for (String id : ids) {
                assertThat(lines(logOf(id))).as(id).isGreaterThanOrEqualTo(atKill.get(id) + 2);
              }
            });
    assertThat(conmons(ids)).hasSize(3);
    assertThat(Engines.answers(socket())).isFalse();
    long writtenBeforeTheNextEngine = lines(logOf(one));

    JstackRunner.Run ps = jstack.run(base, "ps", "-q");
    assertThat(ps.code()).as(ps.err()).isZero();
    assertThat(ps.out().lines().sorted().toList()).isEqualTo(ids);
    long secondEngine = stack.enginePid();
    assertThat(secondEngine).isNotEqualTo(firstEngine);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String logs = jstack.run(base, "logs", "one").out();
              // One line a second, numbered: the ones written while no engine ran are all there.
              int last =
                  logs.lines()
                      .filter(l -> l.contains("| one "))
                      .mapToInt(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)))
                      .max()
                      .orElse(0);
              assertThat(last).isGreaterThanOrEqualTo((int) writtenBeforeTheNextEngine);
              for (int n = 1; n <= last; n++) {
                assertThat(logs).contains("| one " + n + "\n");
              }
            });

    // --since and --until select by the time conmon stamped on each line. (Everything is read
    // second: a line written between the two reads is then in both or only in everything.)
    List<String> recent = jstack.run(base, "logs", "--since", "2s", "one").out().lines().toList();
    List<String> all = jstack.run(base, "logs", "one").out().lines().toList();
    assertThat(recent).isNotEmpty().hasSizeLessThan(all.size()).isSubsetOf(all);
    assertThat(jstack.run(base, "logs", "--until", "2000-01-01T00:00:00Z", "one").out()).isBlank();

    JstackRunner.Run down = jstack.run(base, "down", "-t", "2");
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(conmons(ids)).isEmpty();
    // Only the engine's run-time tmpfs is mounted (it goes when the engine stops, as NothingLeft
    // checks): no container root.
    assertThat(Files.readAllLines(Path.of("/proc/mounts")))
        .filteredOn(l -> l.contains(dir.toString()))
        .singleElement()
        .asString()
        .startsWith("tmpfs " + dir.resolve("data/run") + " tmpfs ");
    assertThat(dir.resolve("data/containers")).isEmptyDirectory();
    assertThat(dir.resolve("data/run/containers")).isEmptyDirectory();
    try (var runtimes = Files.list(dir.resolve("data/run/runtime"))) {
      for (Path states : runtimes.toList()) {
        assertThat(states).isEmptyDirectory();
      }
    }
    for (String id : ids) {
      assertThat(Path.of("/sys/fs/cgroup/memory/jstack").resolve(id)).doesNotExist();
    }
  }

  @Test
  void aKilledConmon_endsItsContainer_withAReason_andItsRestartPolicyStartsItAgain()
      throws Exception {
    compose(
        """
        services:
          kept:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: always
            command: ["sleep", "600"]
          left:
            image: jstack-examples/busybox:latest
            network_mode: host
            command: ["sleep", "600"]
        """);
    ok("up", "-d");
    String kept = inspect("kept").path("Id").asText();
    String left = inspect("left").path("Id").asText();
    long keptPid = inspect("kept").path("State").path("Pid").asLong();
    long leftPid = inspect("left").path("State").path("Pid").asLong();
    List<ProcessHandle> monitors = conmons(List.of(kept, left));
    assertThat(monitors).hasSize(2);
    for (ProcessHandle m : monitors) {
      m.destroyForcibly();
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode state = inspect("left").path("State");
              assertThat(state.path("Status").asText()).isEqualTo("exited");
              assertThat(state.path("ExitCode").asInt()).isEqualTo(137);
              assertThat(state.path("Error").asText())
                  .startsWith("its monitor (conmon, pid ")
                  .endsWith("ended before it did; the engine killed it");
              JsonNode again = inspect("kept");
              assertThat(again.path("State").path("Running").asBoolean()).isTrue();
              assertThat(again.path("RestartCount").asInt()).isEqualTo(1);
              assertThat(again.path("State").path("Pid").asLong()).isNotIn(0L, keptPid);
              assertThat(again.path("State").path("Error").asText()).isEmpty();
            });
    // Neither the old processes nor a second conmon of either outlive it. (With their conmon gone,
    // the host's init reaps them, slowly here: a zombie counts as ended.)
    assertThat(HostProcesses.runs(leftPid)).as("the left container's process").isFalse();
    assertThat(HostProcesses.runs(keptPid)).as("the kept container's first process").isFalse();
    assertThat(conmons(List.of(left))).isEmpty();
    assertThat(conmons(List.of(kept))).hasSize(1);
    assertThat(jstack.run(base, "ps", "-a").out()).contains("Exited (137)");
  }

  @Test
  void aStop_rightAfterItsConmonIsKilled_endsTheContainerAtOnce_withoutWaitingOutItsGrace()
      throws Exception {
    compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            network_mode: none
            command: ["sleep", "600"]
        """);
    ok("up", "-d");
    String id = inspect("app").path("Id").asText();
    long pid = inspect("app").path("State").path("Pid").asLong();
    List<ProcessHandle> monitors = conmons(List.of(id));
    assertThat(monitors).hasSize(1);
    monitors.get(0).destroyForcibly();
    monitors.get(0).onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

    // sleep, its pid 1, ignores TERM: only the engine's own end of the run stops it before the
    // grace of 30 s is out. The stop holds the container's lifecycle lock while it waits, and the
    // supervisor's sweep (once a second) takes that lock too: if the sweep has not ended the run
    // before the stop began, the stop ends it itself.
    long started = System.nanoTime();
    ok("stop", "-t", "30", "app");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    JsonNode state = inspect("app").path("State");
    assertThat(state.path("Status").asText()).isEqualTo("exited");
    assertThat(state.path("ExitCode").asInt()).isEqualTo(137);
    assertThat(state.path("Error").asText()).startsWith("its monitor (conmon, pid ");
    assertThat(HostProcesses.runs(pid)).as("the container's process").isFalse();
  }

  @Test
  void aBuildStepsContainer_leftByAnEngineKilledMidBuild_isRemovedByTheNextEngine()
      throws Exception {
    java.nio.file.Path app = java.nio.file.Files.createDirectories(dir.resolve("app"));
    java.nio.file.Files.writeString(
        app.resolve("Dockerfile"),
        "FROM jstack-examples/busybox:latest\nRUN echo started; sleep 30\n");
    compose(
        """
        services:
          app:
            build: ./app
        """);
    String steps = "label=" + io.jstack.runtime.engine.EmbeddedEngine.BUILD_STEP_LABEL;
    try (io.jstack.cli.JstackProcess.Running build = stack.start("build", "--progress", "plain")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                // The build starts the engine: until it answers, the docker CLI fails.
                Docker.Result r = stack.docker("ps", "-a", "-q", "--filter", steps);
                return r.code() == 0 && !r.out().isBlank();
              });
      stack.killTheEngine();
      build.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    // The next engine, before it answers, removes the step's container and what it held.
    ok("ps");
    assertThat(stack.dockerLines("ps", "-a", "-q", "--filter", steps)).isEmpty();
  }

  @Test
  void volumesBindsAndPause() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            network_mode: none
            init: true
            volumes:
              - site:/www
              - /scratch
              - ./host:/host
            ulimits:
              nofile: {soft: 1000, hard: 2000}
            command: ["sh", "-c", "cat /www/index.html; echo new > /www/new.txt; echo bound > /host/f; echo s > /scratch/s; echo nofile $(ulimit -n) $(ulimit -Hn); while true; do sleep 1; done"]
        volumes:
          site: {}
        """);
    JstackRunner.Run up = jstack.run(base, "up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    Path volumes = dir.resolve("data/volumes");
    Path site = volumes.resolve(project + "_site/_data");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              // The new named volume was filled from the image's /www first, then written to.
              assertThat(site.resolve("index.html")).content().contains("hello from jstack");
              assertThat(site.resolve("new.txt")).hasContent("new");
              assertThat(dir.resolve("host/f")).hasContent("bound");
            });
    assertThat(jstack.run(base, "logs", "app").out())
        .contains("hello from jstack")
        .contains("nofile 1000 2000");
    JstackRunner.Run top = jstack.run(base, "top", "app");
    assertThat(top.code()).as(top.err()).isZero();
    assertThat(top.out()).contains("UID").contains("/sbin/jstack-init -- sh -c");
    try (var all = Files.list(volumes)) {
      assertThat(all.count()).as("the named and the anonymous volume").isEqualTo(2);
    }

    assertThat(jstack.run(base, "pause", "app").code()).isZero();
    assertThat(jstack.run(base, "ps").out()).contains("(Paused)");
    String id = jstack.run(base, "ps", "-q").out().strip();
    assertThat(Path.of("/sys/fs/cgroup/freezer/jstack", id, "freezer.state")).hasContent("FROZEN");
    assertThat(jstack.run(base, "unpause", "app").code()).isZero();
    assertThat(Path.of("/sys/fs/cgroup/freezer/jstack", id, "freezer.state")).hasContent("THAWED");

    JstackRunner.Run down = jstack.run(base, "down", "-v", "-t", "2");
    assertThat(down.code()).as(down.err()).isZero();
    try (var all = Files.list(volumes)) {
      assertThat(all.toList()).as("down -v removes named and anonymous volumes").isEmpty();
    }
    assertThat(dir.resolve("host/f")).as("bind sources stay").exists();
  }

  @Test
  void dataRootFlag_reachesTheEngineTheCliStarts() {
    JstackRunner flagOnly =
        new JstackRunner(Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("flag.sock").toString()));
    String[] flags = {"--data-root", dir.resolve("flagged").toString()};
    JstackRunner.Run ps =
        flagOnly.run(
            flags, "--engine", "embedded", "-f", dir.resolve("compose.yaml").toString(), "ps");
    try {
      assertThat(ps.code()).as(ps.err()).isZero();
      assertThat(dir.resolve("flagged/engine.pid")).exists();
      assertThat(dir.resolve("flagged/engine.log"))
          .content()
          .contains("data root " + dir.resolve("flagged"));
    } finally {
      flagOnly.run(flags, "engine", "stop");
    }
  }

  @Test
  void otherNetworkDrivers_areRefusedClearly() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        "services:\n  web:\n    image: jstack-examples/busybox:latest\n    command: [\"sleep\", \"60\"]\n"
            + "    networks: [mesh]\nnetworks:\n  mesh:\n    driver: overlay\n");
    JstackRunner.Run up = jstack.run(base, "up", "-d");
    assertThat(up.code()).isEqualTo(1);
    assertThat(up.err().lines()).hasSize(1);
    assertThat(up.err()).contains("network driver overlay is not supported by the jstack engine");
  }

  /** The log conmon writes for the container {@code id} (or a prefix of it) names. */
  private Path logOf(String id) throws Exception {
    try (var all = Files.list(dir.resolve("data/containers"))) {
      return all.filter(c -> c.getFileName().toString().startsWith(id))
          .findFirst()
          .orElseThrow()
          .resolve("ctr.log");
    }
  }

  private static long lines(Path log) throws Exception {
    try (var all = Files.lines(log)) {
      return all.count();
    }
  }

  private static List<ProcessHandle> conmons(List<String> ids) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(
                        c ->
                            c.contains("conmon")
                                && ids.stream().anyMatch(id -> c.contains("--cid " + id)))
                    .orElse(false))
        .toList();
  }
}
