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
}
