package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One-off containers, on each engine: dependencies first, output and exit code, --rm, -d, and down
 * removes them.
 */
class RunIT extends OnEachEngine {
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void run_startsDependencies_returnsTheExitCode_andIsCleanedUp(EngineKind engine)
      throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
          job:
            image: jstack-examples/busybox:latest
            command: ["echo", "default command"]
            environment: {FROM_FILE: yes}
            depends_on: [db]
        """);
    JstackRunner jstack = stack.jstack;
    String[] base = stack.base;
    String filter = "label=com.docker.compose.project=" + project;

    JstackRunner.Run run =
        jstack.run(
            base,
            "run",
            "--rm",
            "-T",
            "-e",
            "EXTRA=1",
            "job",
            "sh",
            "-c",
            "echo $FROM_FILE $EXTRA; exit 3");
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    assertThat(run.out()).contains(" Container " + project + "-db-1  Started").contains("yes 1");
    assertThat(
            stack.dockerLines(
                "ps",
                "-aq",
                "--filter",
                filter,
                "--filter",
                "label=com.docker.compose.oneoff=True"))
        .isEmpty();
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.Status}}", project + "-db-1"))
        .containsExactly("running");

    JstackRunner.Run defaults = jstack.run(base, "run", "--rm", "-T", "--no-deps", "job");
    assertThat(defaults.code()).isZero();
    assertThat(defaults.out()).isEqualTo("default command\n");

    JstackRunner.Run detached =
        jstack.run(base, "run", "-d", "--name", project + "-debug", "job", "sleep", "600");
    assertThat(detached.code()).as(detached.err()).isZero();
    assertThat(detached.out().strip()).isEqualTo(project + "-debug");
    assertThat(
            stack.dockerLines(
                "inspect",
                "-f",
                "{{index .Config.Labels \"com.docker.compose.oneoff\"}}",
                project + "-debug"))
        .containsExactly("True");
    assertThat(jstack.run(base, "ps", "--services").out()).isEqualTo("db\n");

    JstackRunner.Run down = jstack.run(base, "down", "-t", "1");
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(stack.dockerLines("ps", "-aq", "--filter", filter)).isEmpty();
    assertThat(stack.dockerLines("network", "ls", "-q", "--filter", filter)).isEmpty();
  }
}
