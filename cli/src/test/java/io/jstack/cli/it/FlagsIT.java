package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The remaining flags of up, run and exec: on each engine where they hold on both. */
class FlagsIT extends OnEachEngine {
  JstackRunner jstack;
  String[] base;

  /** Readies the stack on {@code engine} with {@code yaml} as its compose file. */
  void compose(EngineKind engine, String yaml) throws Exception {
    on(engine).compose(yaml);
    jstack = stack.jstack;
    base = stack.base;
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void tmpfs_mountsATmpfsAtEachPoint(EngineKind engine) throws Exception {
    compose(
        engine,
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sleep", "600"]
            tmpfs: ["/run", "/tmp/cache:size=1m"]
        """);
    assertThat(jstack.run(base, "up", "-d").code()).isZero();

    JstackRunner.Run mounts =
        jstack.run(
            base, "exec", "-T", "app", "sh", "-c", "grep tmpfs /proc/mounts | cut -d' ' -f2");
    assertThat(mounts.code()).as(mounts.err()).isZero();
    assertThat(mounts.out().lines()).contains("/run", "/tmp/cache");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void upAbortOnContainerFailure_andAttach(EngineKind engine) throws Exception {
    compose(
        engine,
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
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.Status}}", project + "-quiet-1"))
        .containsExactly("exited");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void runPortsEntrypoint_andExecUserIndexDetach(EngineKind engine) throws Exception {
    compose(
        engine,
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
    assertThat(stack.dockerLines("port", project + "-srv"))
        .anyMatch(l -> l.startsWith("8080/tcp"))
        .anyMatch(l -> l.startsWith("9090/tcp"));
    assertThat(stack.dockerLines("inspect", "-f", "{{json .Config.Entrypoint}}", project + "-srv"))
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
    String host2 =
        stack.dockerLines("inspect", "-f", "{{.Config.Hostname}}", project + "-web-2").get(0);
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
                assertThat(stack.docker("exec", project + "-web-1", "cat", "/tmp/mark").out())
                    .isEqualTo("detached\n"));
  }
}
