package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.FakeEngine;
import io.jstack.runtime.Engines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -H}/{@code --host}: the engine a command reaches, as with docker, and the flags that go
 * with {@code --engine swarm} only.
 */
class HostOptionTest {
  @TempDir Path dir;

  record Opened(Engines.Kind kind, Map<String, String> env) {}

  final List<Opened> opened = new ArrayList<>();

  JstackTest.Run jstack(Map<String, String> env, String... args) throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, "services:\n  app:\n    image: busybox\n    build: .\n");
    List<String> all = new ArrayList<>(List.of(args));
    int verb = all.indexOf("ps") >= 0 ? all.indexOf("ps") : all.indexOf("up");
    all.addAll(verb, List.of("-p", "demo", "-f", file.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            env,
            (kind, e) -> {
              opened.add(new Opened(kind, e));
              return new FakeEngine();
            },
            java.io.InputStream.nullInputStream());
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void host_isTheDockerHostOfTheEngine_andMakesDockerTheDefault() throws Exception {
    JstackTest.Run r =
        jstack(Map.of("DOCKER_HOST", "unix:///elsewhere.sock"), "-H", "tcp://10.0.0.9:2376", "ps");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(opened).singleElement().extracting(Opened::kind).isEqualTo(Engines.Kind.docker);
    assertThat(opened.get(0).env()).containsEntry("DOCKER_HOST", "tcp://10.0.0.9:2376");
  }

  @Test
  void withoutHost_theEnvironmentDecides() throws Exception {
    JstackTest.Run r = jstack(Map.of(), "ps");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(opened).singleElement().extracting(Opened::kind).isEqualTo(Engines.Kind.embedded);
    assertThat(opened.get(0).env()).doesNotContainKey("DOCKER_HOST");
  }

  @Test
  void hostWithTheEmbeddedEngine_isRefused() throws Exception {
    JstackTest.Run r = jstack(Map.of(), "-H", "unix:///x.sock", "--engine", "embedded", "ps");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("--host names a Docker engine or Swarm manager, not the embedded engine");
    assertThat(opened).isEmpty();
  }

  @Test
  void push_withoutSwarmAndBuild_isAUsageError() throws Exception {
    JstackTest.Run r = jstack(Map.of(), "up", "--push");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--push goes with --engine swarm --build");
    assertThat(opened).isEmpty();
  }

  @Test
  void buildWithoutPush_onASwarm_isAUsageError() throws Exception {
    JstackTest.Run r = jstack(Map.of(), "--engine", "swarm", "up", "--build");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--build only with --push");
  }
}
