package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * stop, start, restart, top, events, kill, pause, unpause, exec, cp, port, ls, images and wait, on
 * each engine, each checked with the docker CLI against it.
 */
class LifecycleIT extends OnEachEngine {

  String state(String service) {
    return inspect("{{.State.Status}}", service);
  }

  /** {@code docker inspect -f format} of the stack's container for {@code service}. */
  String inspect(String format, String service) {
    return stack.dockerLines("inspect", "-f", format, project + "-" + service + "-1").get(0);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void lifecycleVerbs_changeWhatDockerSees(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
          app:
            image: jstack-examples/busybox:latest
            command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            init: true
            ports: ["127.0.0.1::8080"]
            depends_on: [db]
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;
    assertThat(jstack.run(base, "up", "-d").code()).isZero();

    JstackRunner.Run stop = jstack.run(base, "stop", "-t", "2");
    assertThat(stop.out()).contains(" Container " + project + "-app-1  Stopped");
    assertThat(state("app")).isEqualTo("exited");
    assertThat(state("db")).isEqualTo("exited");

    assertThat(jstack.run(base, "start").code()).isZero();
    assertThat(state("app")).isEqualTo("running");
    assertThat(jstack.run(base, "top", "app").out())
        .contains(project + "-app-1")
        .contains("PID")
        .contains("httpd");

    // events runs until Ctrl-C: a process of its own, ended once it has reported a restart.
    try (JstackProcess.Running events = stack.start("events", "--json")) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(jstack.run(base, "restart", "-t", "1", "db").code()).isZero();
                assertThat(events.output())
                    .contains("\"action\":\"start\"")
                    .contains("\"service\":\"db\"");
              });
    }

    String startedBefore = inspect("{{.State.StartedAt}}", "app");
    assertThat(jstack.run(base, "restart", "-t", "2", "app").code()).isZero();
    assertThat(inspect("{{.State.StartedAt}}", "app")).isNotEqualTo(startedBefore);

    assertThat(jstack.run(base, "pause", "app").out()).contains("Paused");
    assertThat(state("app")).isEqualTo("paused");
    assertThat(jstack.run(base, "unpause", "app").out()).contains("Unpaused");
    assertThat(state("app")).isEqualTo("running");

    JstackRunner.Run exec =
        jstack.run(
            base,
            "exec",
            "-T",
            "-e",
            "X=forty-two",
            "-w",
            "/www",
            "app",
            "sh",
            "-c",
            "echo $X; pwd; echo oops >&2; exit 7");
    assertThat(exec.code()).isEqualTo(7);
    assertThat(exec.out()).isEqualTo("forty-two\n/www\n");
    assertThat(exec.err()).isEqualTo("oops\n");

    Path got = dir.resolve("out/page.html");
    Files.createDirectories(got.getParent());
    JstackRunner.Run cpOut = jstack.run(base, "cp", "app:/www/index.html", got.toString());
    assertThat(cpOut.code()).as(cpOut.err()).isZero();
    assertThat(Files.readString(got)).contains("hello from jstack");
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve("a.txt"), "from the host\n");
    assertThat(jstack.run(base, "cp", site.toString(), "app:/tmp/").code()).isZero();
    assertThat(stack.docker("exec", project + "-app-1", "cat", "/tmp/site/a.txt").out())
        .isEqualTo("from the host\n");
    assertThat(
            jstack.run(base, "cp", site.resolve("a.txt").toString(), "app:/tmp/renamed.txt").code())
        .isZero();
    assertThat(stack.docker("exec", project + "-app-1", "cat", "/tmp/renamed.txt").out())
        .isEqualTo("from the host\n");

    JstackRunner.Run port = jstack.run(base, "port", "app", "8080");
    assertThat(port.code()).isZero();
    String hostPort = stack.dockerLines("port", project + "-app-1", "8080/tcp").get(0);
    assertThat(port.out().strip()).isEqualTo(hostPort);

    assertThat(jstack.run(base, "ls").out()).containsPattern(project + " +running\\(2\\)");
    assertThat(jstack.run(base, "images").out())
        .contains(project + "-app-1")
        .contains("jstack-examples/busybox");

    assertThat(jstack.run(base, "kill", "-s", "SIGKILL", "app").out()).contains("Killed");
    if (engine == EngineKind.EMBEDDED) {
      // dockerd answers a kill with SIGKILL once the container has ended (moby's daemon/kill.go);
      // the embedded engine once the signal is sent, so its exit is seen a little later.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> state("app").equals("exited"));
    }
    assertThat(state("app")).isEqualTo("exited");
    JstackRunner.Run waited = jstack.run(base, "wait", "app");
    assertThat(waited.out().strip()).isEqualTo("137");
    assertThat(waited.code()).isEqualTo(137);
  }
}
