package io.jstack.junit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.junit.Stack;
import io.jstack.junit.StackEngine;
import io.jstack.junit.StackSpec;
import io.jstack.junit.Wait;
import io.jstack.planner.ComposeLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reuse between local runs: a stack kept at close is found by the next start with the same model,
 * in under a second; a changed compose file gets a new stack (and the old one goes); {@code
 * CI=true} never reuses.
 */
class ReuseIT {
  @TempDir Path dir;

  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @ParameterizedTest
  @EnumSource(
      value = StackEngine.class,
      names = {"DOCKER", "EMBEDDED"})
  void secondStart_findsTheKeptStackInUnderASecond_changedFileOrCiStartsAfresh(StackEngine kind)
      throws Exception {
    Path compose = dir.resolve("stack/compose.yaml");
    Files.createDirectories(compose.getParent());
    String yaml = Files.readString(OwnEngine.repo().resolve("examples/hello/compose.yaml"));
    Files.writeString(compose, yaml);
    String base = "reuse-it-" + ProcessHandle.current().pid();
    try (OwnEngine engine = OwnEngine.start(kind, dir)) {
      Map<String, String> local = new HashMap<>(engine.env);
      local.put("CI", "");
      StackSpec spec =
          StackSpec.of(compose)
              .withEngine(kind)
              .withEnv(local)
              .withProjectName(base)
              .withReuse(true)
              .withTimeout(OwnEngine.TIMEOUT)
              .withWaits(Wait.http("web", 8080, "/"));
      String kept = null;
      String changed = null;
      try {
        List<String> ids;
        try (Stack first = spec.start()) {
          kept = first.project();
          assertThat(first.reused()).isFalse();
          assertThat(kept).matches(base + "-reuse-[0-9a-f]{12}");
          ids = containerIds(engine, kept);
        }
        assertThat(containerIds(engine, kept)).as("kept after close").isEqualTo(ids);

        long began = System.nanoTime();
        try (Stack second = spec.start()) {
          Duration took = Duration.ofNanos(System.nanoTime() - began);
          System.out.println(
              "ReuseIT " + kind + ": the reused stack started in " + took.toMillis() + " ms");
          assertThat(took).as("start of the reused stack").isLessThan(Duration.ofSeconds(1));
          assertThat(second.reused()).isTrue();
          assertThat(second.project()).isEqualTo(kept);
          assertThat(StackIT.get(second.endpoint("web", 8080).uri("http"))).contains("hello");
        }
        assertThat(containerIds(engine, kept)).isEqualTo(ids);

        Map<String, String> ci = new HashMap<>(local);
        ci.put("CI", "true");
        String fresh;
        try (Stack underCi = spec.withEnv(ci).start()) {
          fresh = underCi.project();
          assertThat(underCi.reused()).isFalse();
          assertThat(fresh).isNotEqualTo(kept).doesNotContain("-reuse-");
        }
        assertThat(engine.resourcesOf(fresh)).as("a CI stack is removed at close").isEmpty();
        assertThat(containerIds(engine, kept)).isEqualTo(ids);

        Files.writeString(compose, yaml.replace("sleep 2; done", "sleep 3; done"));
        try (Stack afterChange = spec.start()) {
          changed = afterChange.project();
          assertThat(afterChange.reused()).isFalse();
          assertThat(changed).isNotEqualTo(kept).matches(base + "-reuse-[0-9a-f]{12}");
        }
        assertThat(engine.resourcesOf(kept)).as("the stack of the old file is gone").isEmpty();
      } finally {
        for (String p : new String[] {kept, changed}) {
          if (p != null) {
            engine.removeProject(p);
          }
        }
      }
    }
  }

  static List<String> containerIds(OwnEngine engine, String project) {
    return engine.engine.containers(Map.of(ComposeLabels.PROJECT, project)).stream()
        .filter(ContainerInfo::isRunning)
        .map(ContainerInfo::id)
        .sorted()
        .toList();
  }
}
