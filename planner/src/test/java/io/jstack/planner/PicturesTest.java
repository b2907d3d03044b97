package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectOptions;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.RemoveNetwork;
import io.jstack.planner.step.RemoveVolume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures of examples/hello ({@code config --graph}, {@code up --dry-run --format
 * dot|mermaid}) against golden files under {@code src/test/resources/pictures}, which the CLI's
 * tests compare its output with too. Each golden is also read back and its nodes and edges compared
 * with the service graph or plan computed from the model, so a golden that drifts from them fails
 * here even when it was regenerated. To regenerate after a deliberate change of the pictures:
 *
 * <pre>mvn -B -o -pl planner test -Dtest=PicturesTest -Djstack.goldens.update=true</pre>
 *
 * then review the diff of the goldens. Every DOT (goldens and hostile names) is rendered with
 * Graphviz's {@code dot -Tpng}, which must be installed ({@code apt-get install -y graphviz}).
 */
class PicturesTest {
  static final Path GOLDENS = Path.of("src/test/resources/pictures");
  static final Path HELLO = Path.of("../examples/hello/compose.yaml").toAbsolutePath().normalize();

  @TempDir Path dir;

  static LoadedProject hello() {
    return ComposeLoader.load(
        ProjectOptions.of(List.of(HELLO), Map.of("HOME", "/root"), HELLO.getParent()));
  }

  /** The plan of a first {@code up} of examples/hello, its image already built. */
  static Plan helloPlan() {
    FakeEngine engine =
        new FakeEngine().localImage("jstack-examples/busybox:latest", "sha256:" + "b".repeat(64));
    return Planner.of(engine, hello()).up(UpOptions.defaults());
  }

  /** {@code rendered} equals the golden {@code name}, or replaces it with the update property. */
  static String golden(String name, String rendered) throws IOException {
    Path file = GOLDENS.resolve(name);
    if (Boolean.getBoolean("jstack.goldens.update")) {
      Files.createDirectories(GOLDENS);
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
    }
    String golden = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(rendered)
        .as(
            "%s differs from the rendering; if the change is meant, regenerate with"
                + " -Djstack.goldens.update=true (see PicturesTest)",
            file)
        .isEqualTo(golden);
    return golden;
  }

  @Test
  void serviceGraph_goldensShowExactlyTheGraph() throws IOException {
    ServiceGraph graph = ServiceGraph.of(hello().project());
    Set<List<String>> expected = new HashSet<>();
    for (String s : graph.order()) {
      for (String dep : graph.dependencies(s)) {
        expected.add(List.of(dep, s, graph.condition(s, dep)));
      }
    }
    assertThat(expected).contains(List.of("web", "client", "service_healthy"));
    for (Pictures.Drawn drawn :
        List.of(
            Pictures.parseDot(golden("hello-services.dot", graph.dot())),
            Pictures.parseMermaid(golden("hello-services.mmd", graph.mermaid())))) {
      assertThat(new TreeSet<>(drawn.labels().values()))
          .containsExactlyElementsOf(new TreeSet<>(graph.order()));
      assertThat(drawn.edges()).isEqualTo(expected);
    }
  }

  @Test
  void plan_goldensShowExactlyThePlan() throws IOException {
    Plan plan = helloPlan();
    assertThat(plan.operations())
        .extracting(Operation::describe)
        .contains("create network hello_default", "create volume hello_site");
    assertDrawsPlan(Pictures.parseDot(golden("hello-plan.dot", PlanFormat.dot(plan))), plan);
    assertDrawsPlan(
        Pictures.parseMermaid(golden("hello-plan.mmd", PlanFormat.mermaid(plan))), plan);
  }

  /**
   * One node per operation naming it, its service and reason; one edge per operation it waits for.
   */
  static void assertDrawsPlan(Pictures.Drawn drawn, Plan plan) {
    Function<Operation, String> label =
        op ->
            op.id()
                + ". "
                + op.describe()
                + "\n"
                + (op.service() == null ? "" : "[" + op.service() + "] ")
                + op.reason();
    assertThat(drawn.labels().values())
        .containsExactlyElementsOf(plan.operations().stream().map(label).toList());
    Map<Integer, String> byId = new java.util.HashMap<>();
    plan.operations().forEach(op -> byId.put(op.id(), label.apply(op)));
    Set<List<String>> expected = new HashSet<>();
    for (Operation op : plan.operations()) {
      op.after().forEach(a -> expected.add(List.of(byId.get(a), byId.get(op.id()), "")));
    }
    assertThat(expected).isNotEmpty();
    assertThat(drawn.edges()).isEqualTo(expected);
  }

  /** Names, services and reasons with everything DOT and Mermaid read specially. */
  static Plan hostilePlan() {
    String nasty = "a\"b\\c\nd#34;e<br>f|g`h&i;j{k}[l](m) \\N \\G -->|x| %% end";
    List<Operation> ops = new ArrayList<>();
    ops.add(new Operation(1, new RemoveContainer(nasty, true), nasty, nasty, List.of()));
    ops.add(new Operation(2, new RemoveVolume("vol\"\r\nume"), null, "orphan\\", List.of(1)));
    ops.add(new Operation(3, new RemoveNetwork("net\twork\u0007"), null, "é ☃ \"", List.of(1, 2)));
    ops.add(
        new Operation(
            4,
            new AwaitService("style:x#1;", AwaitService.Condition.HEALTHY, List.of("c")),
            "classDef a fill:#f96;",
            "\\",
            List.of(3)));
    return new Plan(ops, List.of());
  }

  @Test
  void hostileNames_readBackAsTheyWere() {
    Plan plan = hostilePlan();
    Pictures.Drawn dot = Pictures.parseDot(PlanFormat.dot(plan));
    Pictures.Drawn mermaid = Pictures.parseMermaid(PlanFormat.mermaid(plan));
    assertThat(dot).isEqualTo(mermaid);
    List<String> labels = new ArrayList<>(dot.labels().values());
    assertThat(labels.get(0))
        .isEqualTo(
            "1. remove container a\"b\\c\nd#34;e<br>f|g`h&i;j{k}[l](m) \\N \\G -->|x| %% end\n"
                + "[a\"b\\c\nd#34;e<br>f|g`h&i;j{k}[l](m) \\N \\G -->|x| %% end] "
                + "a\"b\\c\nd#34;e<br>f|g`h&i;j{k}[l](m) \\N \\G -->|x| %% end");
    assertThat(labels.get(1)).isEqualTo("2. remove volume vol\"\nume\norphan\\");
    // Control characters other than line breaks are drawn as spaces.
    assertThat(labels.get(2)).isEqualTo("3. remove network net work \n\u00e9 \u2603 \"");
    assertThat(labels.get(3))
        .isEqualTo("4. wait for style:x#1; (service_healthy)\n[classDef a fill:#f96;] \\");
    assertThat(dot.edges()).hasSize(4);
    // One statement per line: no label's line break or quote leaks into the syntax.
    assertThat(PlanFormat.dot(plan).lines()).hasSize(4 + 4 + 4 + 1);
    assertThat(PlanFormat.mermaid(plan).lines()).hasSize(1 + 4 + 4);
  }

  @Test
  void everyDot_rendersWithGraphviz() throws Exception {
    ServiceGraph graph = ServiceGraph.of(hello().project());
    for (String dot :
        List.of(graph.dot(), PlanFormat.dot(helloPlan()), PlanFormat.dot(hostilePlan()))) {
      assertThat(Pictures.renderPng(dot, dir)).hasSizeGreaterThan(1000);
    }
    assertThat(Pictures.renderPng(PlanFormat.dot(new Plan(List.of(), List.of())), dir))
        .isNotEmpty();
  }
}
