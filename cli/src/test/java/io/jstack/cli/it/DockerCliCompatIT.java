package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.image.LocalRegistry;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI, a client nobody here wrote, against the jstack engine's socket: {@code
 * src/test/sh/docker-cli-compat.sh} runs each command Docker users reach for (version, info, ps,
 * images, run, logs, inspect, exec, stop, rm, rename, commit, tag, rmi, save, pull, load, volumes,
 * networks) on dockerd and on the jstack engine and compares exit codes and output.
 */
class DockerCliCompatIT extends EmbeddedStackFixture {
  @Test
  void dockerCommands_behaveAsOnDockerd() throws Exception {
    compose("services:\n  idle:\n    image: jstack-examples/busybox:latest\n");
    ok("ps"); // starts the engine
    // Only root and the socket's group may connect; the engine logs who did (SO_PEERCRED).
    assertThat(java.nio.file.Files.getPosixFilePermissions(socket()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
    assertThat(java.nio.file.Files.readString(dir.resolve("data/engine.log")))
        .containsPattern("client pid \\d+ uid 0 connected to " + socket());
    try (LocalRegistry registry = LocalRegistry.start()) {
      push(registry.host + "/compat/busybox:v1");
      Docker.Result compat =
          Docker.run(
              null,
              "bash",
              Docker.repo().resolve("cli/src/test/sh/docker-cli-compat.sh").toString(),
              socket().toString(),
              registry.host);
      System.out.println(compat.out());
      assertThat(compat.code()).as(compat.out() + compat.err()).isZero();
      assertThat(compat.out())
          .contains("ok   run-rm")
          .contains("ok   exec-stdin")
          .contains("ok   pulled-id")
          .contains("ok   loaded-id")
          .contains("ok   exec-missing")
          .doesNotContain("DIFF")
          .doesNotContain("FAIL");
    }
  }
}
