package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine the CLI starts on demand is a daemon: it depends on neither the directory nor the
 * umask of the command that started it.
 */
class EngineDaemonIT extends EmbeddedStackFixture {

  @Test
  void engineStart_startsAStoppedEngine_andLeavesARunningOneAlone() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    assertThat(jstack.run(new String[0], "engine", "status").code()).isEqualTo(3);
    var started = jstack.run(new String[0], "engine", "start");
    assertThat(started.code()).as(started.out()).isZero();
    assertThat(started.out()).startsWith("running: unix://");
    long engine = stack.enginePid();
    var again = jstack.run(new String[0], "engine", "start");
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEqualTo(started.out());
    assertThat(stack.enginePid()).isEqualTo(engine);
    assertThat(jstack.run(new String[0], "engine", "status").code()).isZero();
  }

  @Test
  void anEngineStoppedWhileStarting_releasesItsRunDirectoryAndPidFile() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    Path tls = dir.resolve("tls");
    assertThat(jstack.run(new String[0], "engine", "certs", tls.toString()).code()).isZero();
    Path data = dir.resolve("data");
    // TLS makes the start longer: the stop lands before, while and after the socket answers.
    for (long delay : new long[] {0, 50, 100, 150, 250}) {
      int port;
      try (java.net.ServerSocket s =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      try (JstackProcess.Running engine =
          JstackProcess.start(
              env,
              "engine",
              "--tls-listen",
              "127.0.0.1:" + port,
              "--tlscacert",
              tls.resolve("ca.pem").toString(),
              "--tlscert",
              tls.resolve("server-cert.pem").toString(),
              "--tlskey",
              tls.resolve("server-key.pem").toString())) {
        Path pidFile = data.resolve("engine.pid");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(pidFile)) {
          assertThat(System.nanoTime()).as(engine.output()).isLessThan(deadline);
          Thread.sleep(2);
        }
        Thread.sleep(delay);
        ProcessHandle served = ProcessHandle.of(stack.enginePid()).orElseThrow();
        served.destroy();
        served.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(engine.waitFor(java.time.Duration.ofSeconds(30))).isTrue();
        assertThat(pidFile).as("stopped %d ms after its pid file", delay).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
            .as("stopped %d ms after its pid file", delay)
            .doesNotContain(data.resolve("run").toString());
      }
    }
  }

  @Test
  void engine_keepsWorking_afterTheDirectoryItWasStartedFromIsDeleted() throws Exception {
    // The fixture's image load started an engine from this JVM: this test starts its own.
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sleep", "3600"]
        """);
    Path caller = Files.createDirectories(dir.resolve("caller"));
    Files.copy(dir.resolve("compose.yaml"), caller.resolve("compose.yaml"));

    // A caller in its own directory, with a umask that would make the engine's files private.
    Run ps = cli(caller, "077", "--engine", "embedded", "-p", project, "ps");
    assertThat(ps.code()).as(ps.out()).isZero();
    long engine = stack.enginePid();

    deleteTree(caller);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Run up =
        cli(
            elsewhere,
            null,
            "--engine",
            "embedded",
            "-p",
            project,
            "-f",
            dir.resolve("compose.yaml").toString(),
            "up",
            "-d");
    assertThat(up.code()).as(up.out()).isZero();
    assertThat(inspect("a").path("State").path("Running").asBoolean()).isTrue();
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + engine + "/cwd"))).isEqualTo(Path.of("/"));
    assertThat(umask(engine)).isEqualTo("0022");

    // The container's monitor works in / too, and the engine is the one the first caller started.
    List<Long> monitors = conmonsUnder(dir.resolve("data"));
    assertThat(monitors).isNotEmpty();
    for (long conmon : monitors) {
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + conmon + "/cwd")))
          .isEqualTo(Path.of("/"));
    }
    assertThat(stack.enginePid()).isEqualTo(engine);
  }

  @Test
  void engineInTheForeground_runsFromRootWithUmask022_andStopsWithItsParent() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    Path caller = Files.createDirectories(dir.resolve("fg"));
    try (JstackProcess.Running fg =
        JstackProcess.start(
            JstackProcess.builderWithUmask(
                caller,
                env,
                "077",
                "--data-root",
                dir.resolve("data").toString(),
                "engine",
                "--socket",
                socket().toString()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!io.jstack.runtime.Engines.answers(socket())) {
        assertThat(fg.process().isAlive()).as(fg.output()).isTrue();
        assertThat(System.nanoTime()).as("the engine answers within 30 s").isLessThan(deadline);
        Thread.sleep(25);
      }
      long engine = stack.enginePid();
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + engine + "/cwd")))
          .isEqualTo(Path.of("/"));
      assertThat(umask(engine)).isEqualTo("0022");
      // Stopping the process its caller started stops the engine.
      fg.process().destroy();
      assertThat(fg.waitFor(Duration.ofSeconds(20))).isTrue();
      assertThat(ProcessHandle.of(engine).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(io.jstack.runtime.Engines.answers(socket())).isFalse();
    }
  }

  @Test
  void aSecondEngine_onTheSameDataRoot_isRefused() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "start").code()).isZero();
    long engine = stack.enginePid();
    try (JstackProcess.Running second =
        JstackProcess.start(
            JstackProcess.builder(
                dir,
                env,
                "--data-root",
                dir.resolve("data").toString(),
                "engine",
                "--socket",
                dir.resolve("second.sock").toString()))) {
      assertThat(second.waitFor(Duration.ofSeconds(30))).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(second.output())
          .contains(
              "another engine (pid " + engine + ") uses the data root " + dir.resolve("data"));
    }
    assertThat(Files.exists(dir.resolve("second.sock"))).isFalse();
    assertThat(stack.enginePid()).isEqualTo(engine);
  }

  private record Run(int code, String out) {}

  private Run cli(Path in, String umask, String... args) throws Exception {
    try (JstackProcess.Running p =
        JstackProcess.start(JstackProcess.builderWithUmask(in, env, umask, args))) {
      p.process().getOutputStream().close();
      assertThat(p.waitFor(Duration.ofMinutes(2))).isTrue();
      return new Run(p.exitValue(), p.output());
    }
  }

  private static String umask(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("Umask:"))
        .map(l -> l.substring("Umask:".length()).strip())
        .findFirst()
        .orElseThrow();
  }

  /** The conmon processes whose command line names {@code dataRoot}. */
  private static List<Long> conmonsUnder(Path dataRoot) {
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              if (p.info().command().orElse("").endsWith("/conmon")
                  && cmd.contains(dataRoot.toString())) {
                out.add(p.pid());
              }
            });
    return out;
  }

  private static void deleteTree(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
