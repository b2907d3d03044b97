package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.FakeEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config --graph} and {@code up|down --dry-run --format dot|mermaid} on examples/hello,
 * against the in-memory engine: the CLI prints exactly the planner's golden pictures (kept, read
 * back and rendered with Graphviz by the planner's {@code PicturesTest}, which also says how to
 * regenerate them).
 */
class PicturesCommandTest {
  static final Path HELLO = Path.of("../examples/hello/compose.yaml").toAbsolutePath().normalize();
  static final Path GOLDENS = Path.of("../planner/src/test/resources/pictures");

  @TempDir Path dir;

  final FakeEngine engine =
      new FakeEngine().localImage("jstack-examples/busybox:latest", "sha256:" + "b".repeat(64));

  JstackTest.Run jstack(String... args) {
    List<String> all = new ArrayList<>(List.of("-f", HELLO.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            // up takes the project's lock beside this socket: in the test's directory.
            Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString()),
            (kind, env) -> engine,
            java.io.InputStream.nullInputStream());
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  static String golden(String name) throws IOException {
    return Files.readString(GOLDENS.resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void configGraph_printsTheGoldenServiceGraph_dotByDefault() throws IOException {
    JstackTest.Run dot = jstack("config", "--graph");
    assertThat(dot.err()).isEmpty();
    assertThat(dot.code()).isZero();
    assertThat(dot.out()).isEqualTo(golden("hello-services.dot"));
    assertThat(jstack("config", "--graph", "--format", "dot").out())
        .isEqualTo(golden("hello-services.dot"));
    assertThat(jstack("config", "--graph", "--format", "mermaid").out())
        .isEqualTo(golden("hello-services.mmd"));
  }

  @Test
  void configGraph_ofSomeServices_drawsThemAndWhatTheyNeed() throws IOException {
    assertThat(jstack("config", "--graph", "--format", "mermaid", "client").out())
        .isEqualTo(
            """
            flowchart LR
              s1["web"]
              s2["client"]
              s1 -->|"service_healthy"| s2
            """);
    Path file = dir.resolve("services.dot");
    JstackTest.Run written = jstack("config", "--graph", "-o", file.toString());
    assertThat(written.code()).isZero();
    assertThat(written.out()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo(golden("hello-services.dot"));
  }

  @Test
  void upDryRun_printsTheGoldenPlan_andChangesNothing() throws IOException {
    JstackTest.Run dot = jstack("up", "--dry-run", "--format", "dot");
    assertThat(dot.err()).isEmpty();
    assertThat(dot.code()).isZero();
    assertThat(dot.out()).isEqualTo(golden("hello-plan.dot"));
    assertThat(jstack("up", "--dry-run", "--format", "mermaid").out())
        .isEqualTo(golden("hello-plan.mmd"));
    assertThat(engine.isEmpty()).isTrue();
  }

  @Test
  void downDryRun_drawsItsPlanToo() {
    jstack("up", "-d");
    JstackTest.Run down = jstack("down", "--dry-run", "--format", "mermaid");
    assertThat(down.code()).isZero();
    assertThat(down.out())
        .startsWith("flowchart LR\n")
        .contains("[\"1. stop container hello-")
        .contains("{{\"")
        .contains(" --> ");
  }

  @Test
  void formats_thatDoNotFit_areUsageErrorsSayingWhatFits() {
    JstackTest.Run plan = jstack("up", "--dry-run", "--format", "svg");
    assertThat(plan.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(plan.err()).contains("--format takes text, json, dot, mermaid, not svg");
    assertThat(jstack("down", "--dry-run", "--format", "png").err())
        .contains("--format takes text, json, dot, mermaid, not png");

    JstackTest.Run yamlGraph = jstack("config", "--graph", "--format", "yaml");
    assertThat(yamlGraph.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(yamlGraph.err()).contains("--graph draws as dot or mermaid, not yaml");

    JstackTest.Run noGraph = jstack("config", "--format", "mermaid");
    assertThat(noGraph.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(noGraph.err()).contains("--format mermaid draws a graph: add --graph");

    JstackTest.Run swarm = jstack("--engine", "swarm", "up", "--dry-run", "--format", "dot");
    assertThat(swarm.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(swarm.err())
        .contains("with --engine swarm, up --dry-run prints the stack's plan as text only");

    JstackTest.Run listing = jstack("config", "--graph", "--services");
    assertThat(listing.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(listing.err()).contains("--graph draws the resolved project: drop --services");
    assertThat(engine.isEmpty()).isTrue();
  }

  @Test
  void help_namesTheNewFormats() {
    assertThat(jstack("config", "--help").out())
        .contains("--graph")
        .contains("yaml|json|dot|mermaid")
        .contains("dot -Tpng");
    assertThat(jstack("up", "--help").out()).contains("text|json|dot|mermaid");
    assertThat(jstack("down", "--help").out()).contains("text|json|dot|mermaid");
  }
}
