package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remaining flags of up, run and exec, on dockerd. */
class FlagsIT {
  @TempDir Path dir;
  final String project = "flags-it-" + UUID.randomUUID().toString().substring(0, 8);
  JstackRunner jstack = new JstackRunner(Map.of("PATH", System.getenv("PATH")));
  String[] base;

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
  }

  void compose(String yaml) throws Exception {
    Files.writeString(dir.resolve("compose.yaml"), yaml);
    base =
        new String[] {
          "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
        };
  }

  @Test
  void upAbortOnContainerFailure_andAttach() throws Exception {
    compose(
        """
        services:
          quiet:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "while true; do echo quiet-says; sleep 0.3; done"]
          ok:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo ok-done"]
          bad:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "sleep 1; echo bad-fails; exit 9"]
        """);
    JstackRunner.Run up =
        jstack.run(base, "up", "--abort-on-container-failure", "--attach", "ok", "--attach", "bad");
    assertThat(up.out())
        .contains("ok-done")
        .contains("ok-1 exited with code 0")
        .contains("bad-fails")
        .contains("bad-1 exited with code 9")
        .contains("Aborting on container exit...")
        .doesNotContain("quiet-says");
    assertThat(Docker.lines("inspect", "-f", "{{.State.Status}}", project + "-quiet-1"))
        .containsExactly("exited");
  }

  @Test
  void runPortsEntrypoint_andExecUserIndexDetach() throws Exception {
    compose(
        """
        services:
          web:
            image: jstack-examples/busybox:latest
            init: true
            command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            ports: ["127.0.0.1::8080"]
            scale: 2
        """);
    assertThat(jstack.run(base, "up", "-d").code()).isZero();

    JstackRunner.Run run =
        jstack.run(
            base,
            "run",
            "-d",
            "--name",
            project + "-srv",
            "--service-ports",
            "-p",
            "127.0.0.1::9090",
            "--entrypoint",
            "httpd",
            "web",
            "-f",
            "-p",
            "9090",
            "-h",
            "/www");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Docker.lines("port", project + "-srv"))
        .anyMatch(l -> l.startsWith("8080/tcp"))
        .anyMatch(l -> l.startsWith("9090/tcp"));
    assertThat(Docker.lines("inspect", "-f", "{{json .Config.Entrypoint}}", project + "-srv"))
        .containsExactly("[\"httpd\"]");

    JstackRunner.Run who =
        jstack.run(
            base,
            "exec",
            "-T",
            "-u",
            "nobody",
            "--index",
            "2",
            "web",
            "sh",
            "-c",
            "id -u; hostname");
    assertThat(who.code()).as(who.err()).isZero();
    String host2 = Docker.lines("inspect", "-f", "{{.Config.Hostname}}", project + "-web-2").get(0);
    assertThat(who.out()).isEqualTo("65534\n" + host2 + "\n");

    assertThat(
            jstack
                .run(base, "exec", "-T", "-d", "web", "sh", "-c", "echo detached > /tmp/mark")
                .code())
        .isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Docker.run(null, "docker", "exec", project + "-web-1", "cat", "/tmp/mark")
                            .out())
                    .isEqualTo("detached\n"));
  }
}
