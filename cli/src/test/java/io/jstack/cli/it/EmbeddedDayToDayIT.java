package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackRunner;
import io.jstack.runtime.Engines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What a running stack needs day to day, on the embedded engine: healthchecks, restart policies
 * (also across a killed engine), exec's flags, stats, and logs that lose no line while the engine
 * is killed. (exec and run on a terminal and with piped input: {@link InteractiveIT}, on each
 * engine.)
 */
class EmbeddedDayToDayIT extends EmbeddedStackFixture {

  @Test
  void healthchecks_healthyUnhealthyTimeoutAndStartPeriod() throws Exception {
    compose(
        """
        services:
          ready:
            image: jstack-examples/busybox:latest
            network_mode: host
            command: ["sleep", "600"]
            healthcheck:
              test: ["CMD-SHELL", "test -f /tmp/ready && echo ready-now"]
              interval: 300ms
              start_period: 60s
              start_interval: 200ms
              retries: 1
          failing:
            image: jstack-examples/busybox:latest
            network_mode: host
            command: ["sleep", "600"]
            healthcheck:
              test: ["CMD", "sh", "-c", "echo nope >&2; exit 1"]
              interval: 200ms
              retries: 2
          slow:
            image: jstack-examples/busybox:latest
            network_mode: host
            command: ["sleep", "600"]
            healthcheck:
              test: ["CMD", "sleep", "30"]
              interval: 200ms
              timeout: 300ms
              retries: 1
        """);
    ok("up", "-d");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode h = inspect("failing").path("State").path("Health");
              assertThat(h.path("Status").asText()).isEqualTo("unhealthy");
              assertThat(h.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
              assertThat(h.path("Log").get(0).path("ExitCode").asInt()).isEqualTo(1);
              assertThat(h.path("Log").get(0).path("Output").asText()).isEqualTo("nope\n");
            });
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode h = inspect("slow").path("State").path("Health");
              assertThat(h.path("Status").asText()).isEqualTo("unhealthy");
              assertThat(h.path("Log").get(0).path("Output").asText()).contains("exceeded timeout");
            });
    // Within its start period, failures do not count: it stays "starting", its streak at 0.
    JsonNode starting = inspect("ready").path("State").path("Health");
    assertThat(starting.path("Status").asText()).isEqualTo("starting");
    assertThat(starting.path("FailingStreak").asInt()).isZero();
    assertThat(starting.path("Log").size()).isPositive();
    assertThat(ok("ps").out()).contains("(health: starting)").contains("(unhealthy)");
    // up --wait uses it: an unhealthy service fails the wait, a healthy one ends it.
    JstackRunner.Run waitFailing = jstack.run(base, "up", "-d", "--wait", "failing");
    assertThat(waitFailing.code()).isEqualTo(1);
    ok("exec", "-T", "ready", "touch", "/tmp/ready");
    ok("up", "-d", "--wait", "--wait-timeout", "20", "ready");
    JsonNode healthy = inspect("ready").path("State").path("Health");
    assertThat(healthy.path("Status").asText()).isEqualTo("healthy");
    assertThat(healthy.path("Log").get(healthy.path("Log").size() - 1).path("Output").asText())
        .isEqualTo("ready-now\n");
    assertThat(ok("ps").out()).contains("(healthy)");
  }

  @Test
  void restartPolicies_eachOne_andAcrossAKilledEngine() throws Exception {
    compose(
        """
        services:
          never:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: "no"
            command: ["sh", "-c", "echo run; exit 1"]
          limited:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: on-failure:2
            command: ["sh", "-c", "echo run; exit 3"]
          always:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: always
            command: ["sh", "-c", "echo run; sleep 0.3; exit 0"]
          unless:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: unless-stopped
            command: ["sh", "-c", "echo run; sleep 4; exit 1"]
          stopped:
            image: jstack-examples/busybox:latest
            network_mode: host
            restart: always
            command: ["sleep", "600"]
        """);
    ok("up", "-d");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(inspect("limited").path("RestartCount").asInt()).isEqualTo(2);
              assertThat(inspect("limited").path("State").path("Status").asText())
                  .isEqualTo("exited");
              assertThat(inspect("always").path("RestartCount").asInt()).isGreaterThanOrEqualTo(2);
            });
    assertThat(runs("limited")).isEqualTo(3);
    assertThat(inspect("limited").path("State").path("ExitCode").asInt()).isEqualTo(3);
    assertThat(inspect("never").path("RestartCount").asInt()).isZero();
    assertThat(runs("never")).isEqualTo(1);

    // A stop is not undone by the policy, neither now nor by the next engine. The engine decides
    // on a restart when it sees the exit, which stop waits for: no restart may be pending then.
    ok("stop", "-t", "1", "stopped");
    assertStoppedForGood("stopped");

    // unless-stopped exits 4 s into each run: let that happen while no engine runs.
    String unless = inspect("unless").path("Id").asText();
    int before = inspect("unless").path("RestartCount").asInt();
    stack.killTheEngine();
    // conmon records the exit; nobody acts on it until an engine runs again.
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> exitRecorded(unless));
    assertThat(Engines.answers(socket())).as("no engine runs").isFalse();
    ok("ps"); // starts a new engine, which applies the policies of what ended meanwhile
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(inspect("unless").path("RestartCount").asInt()).isGreaterThan(before);
              assertThat(inspect("unless").path("State").path("Running").asBoolean()).isTrue();
            });
    assertStoppedForGood("stopped");
  }

  /** Not running, never restarted, and no restart pending. */
  private void assertStoppedForGood(String service) throws Exception {
    JsonNode c = inspect(service);
    assertThat(c.path("State").path("Status").asText()).isEqualTo("exited");
    assertThat(c.path("State").path("Restarting").asBoolean()).isFalse();
    assertThat(c.path("RestartCount").asInt()).isZero();
  }

  /** Whether conmon has written the exit code of container {@code id}'s current run. */
  private boolean exitRecorded(String id) throws Exception {
    Path exit = dir.resolve("data/run/containers").resolve(id).resolve("exits").resolve(id);
    return Files.exists(exit) && !Files.readString(exit).isBlank();
  }

  /** How many runs of {@code service} printed "run". */
  private long runs(String service) {
    return ok("logs", service).out().lines().filter(l -> l.endsWith("| run")).count();
  }

  @Test
  void exec_envUserWorkdirStdinDetachedAndExitCode() throws Exception {
    compose(
        """
        services:
          box:
            image: jstack-examples/busybox:latest
            network_mode: host
            init: true
            environment:
              FROM_SERVICE: service-value
            command: ["sleep", "600"]
        """);
    ok("up", "-d");
    JstackRunner.Run r =
        jstack.runWithInput(
            "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
            base,
            "exec",
            "-T",
            "-u",
            "nobody",
            "-w",
            "/tmp",
            "-e",
            "EXTRA=extra-value",
            "box",
            "sh",
            "-c",
            "wc -l; id -u; pwd; echo $FROM_SERVICE $EXTRA $HOME; echo to-stderr >&2; exit 7");
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.out().lines().toList())
        .containsExactly("2", "65534", "/tmp", "service-value extra-value /nonexistent");
    assertThat(r.err()).contains("to-stderr");

    ok("exec", "-d", "box", "sh", "-c", "sleep 0.5; echo detached > /tmp/mark");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ok("exec", "-T", "box", "cat", "/tmp/mark").out())
                    .isEqualTo("detached\n"));
    JstackRunner.Run unknown = jstack.run(base, "exec", "-T", "-u", "no-such-user", "box", "true");
    assertThat(unknown.code()).isNotZero();
    assertThat(unknown.err()).contains("no-such-user");
  }

  @Test
  void stats_comeFromTheContainersCgroups() throws Exception {
    compose(
        """
        services:
          box:
            image: jstack-examples/busybox:latest
            network_mode: host
            mem_limit: 64m
            pids_limit: 50
            command: ["sh", "-c", "while true; do :; done"]
        """);
    ok("up", "-d");
    Path cpuacct =
        Path.of(
            "/sys/fs/cgroup/cpuacct/jstack", inspect("box").path("Id").asText(), "cpuacct.usage");
    long containerBefore = Long.parseLong(Files.readString(cpuacct).strip());
    long hostBefore = hostCpuNanos();
    JsonNode s = api("/containers/" + project + "-box-1/stats?stream=0");
    long hostAfter = hostCpuNanos();
    long containerAfter = Long.parseLong(Files.readString(cpuacct).strip());
    assertThat(s.path("memory_stats").path("limit").asLong()).isEqualTo(64L << 20);
    assertThat(s.path("memory_stats").path("usage").asLong()).isPositive();
    assertThat(s.path("pids_stats").path("current").asInt()).isEqualTo(1);
    assertThat(s.path("pids_stats").path("limit").asInt()).isEqualTo(50);
    long cpu = s.path("cpu_stats").path("cpu_usage").path("total_usage").asLong();
    long before = s.path("precpu_stats").path("cpu_usage").path("total_usage").asLong();
    long system =
        s.path("cpu_stats").path("system_cpu_usage").asLong()
            - s.path("precpu_stats").path("system_cpu_usage").asLong();
    // The last sample was read while the test waited for the answer: the container's CPU time
    // from its cgroup, the host's as Docker counts it, both between what the test read around it.
    assertThat(cpu).isBetween(containerBefore, containerAfter);
    assertThat(s.path("cpu_stats").path("system_cpu_usage").asLong())
        .isBetween(hostBefore, hostAfter);
    // A busy loop: about one of the host's CPUs over the half second between the samples, so its
    // share of all the host's CPU time, times the CPUs online, is about 1: never more but for the
    // samples' jitter, less when it competes (a quarter on a shared 2-core host under load).
    int online = onlineCpus();
    assertThat(s.path("cpu_stats").path("online_cpus").asInt()).isEqualTo(online);
    assertThat(cpu - before).isGreaterThan(50_000_000L);
    assertThat((double) (cpu - before) / system * online).isBetween(0.1, 1.25);
  }

  /**
   * The host's CPU time so far, in nanoseconds, as Docker counts it: the first eight fields of
   * /proc/stat's {@code cpu} line (user to steal), in clock ticks.
   */
  private static long hostCpuNanos() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).strip().split("\\s+");
    long ticks = 0;
    for (int i = 1; i <= 8; i++) {
      ticks += Long.parseLong(f[i]);
    }
    long hz = Long.parseLong(Docker.run(null, "getconf", "CLK_TCK").out().strip());
    return ticks * (1_000_000_000L / hz);
  }

  /** The host's online CPUs, from the kernel's list of them (e.g. {@code 0-1,4}). */
  private static int onlineCpus() throws Exception {
    int n = 0;
    for (String range :
        Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
      String[] ends = range.split("-");
      n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
    }
    return n;
  }

  @Test
  void logs_loseNoLine_whileTheEngineIsKilledTwice() throws Exception {
    compose(
        """
        services:
          writer:
            image: jstack-examples/busybox:latest
            network_mode: host
            command: ["sh", "-c", "for c in $$(seq 0 199); do seq $$((c*500+1)) $$((c*500+500)); sleep 0.05; done"]
        """);
    ok("up", "-d");
    Path log =
        dir.resolve("data/containers")
            .resolve(inspect("writer").path("Id").asText())
            .resolve("ctr.log");
    for (int kill = 0; kill < 2; kill++) {
      // Each kill lands while the writer writes, and it writes on while no engine runs.
      long sinceLastKill = lines(log);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lines(log) >= sinceLastKill + 1000);
      stack.killTheEngine();
      long atKill = lines(log);
      assertThat(atKill).as("lines written when the engine was killed").isLessThan(100_000);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> lines(log) >= atKill + 1000);
      assertThat(Engines.answers(socket())).as("no engine runs").isFalse();
      assertThat(ok("ps", "-q").out()).isNotBlank(); // a new engine; the writer still runs
    }
    assertThat(jstack.run(base, "wait", "writer").code()).isZero();
    List<String> lines = ok("logs", "--no-log-prefix", "writer").out().lines().toList();
    assertThat(lines).hasSize(100_000);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals(String.valueOf(i + 1))) {
        throw new AssertionError("line " + (i + 1) + " is " + lines.get(i));
      }
    }
  }

  /** How many lines conmon has written to {@code log} so far. */
  private static long lines(Path log) throws Exception {
    try (var all = Files.lines(log)) {
      return all.count();
    }
  }
}
