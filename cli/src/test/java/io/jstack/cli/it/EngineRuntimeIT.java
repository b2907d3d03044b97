package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's OCI runtime and its run-time state: {@code jstack engine status} and {@code /info}
 * say which runtime runs containers and why (the fastest that runs one here, or the one {@code
 * JSTACK_RUNTIME} names); the runtime's state and conmon's files are on the tmpfs the engine mounts
 * at {@code <data root>/run}, kept while a container has state there when the engine stops, and
 * gone when the last engine stops with none; a container keeps the runtime it started with when the
 * next engine uses the other one.
 */
class EngineRuntimeIT extends EmbeddedStackFixture {
  private static final List<String> BOTH = List.of("crun", "runc");

  @Test
  void statusSaysWhichRuntime_stateLivesOnTmpfs_andAContainerKeepsItsRuntime() throws Exception {
    compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sleep", "3600"]
        """);
    ok("up", "-d");
    String id = inspect("app").path("Id").asText();
    String requested = System.getenv("JSTACK_RUNTIME");
    String first = runtimeInStatus();
    if (requested != null && !requested.isBlank()) {
      assertThat(first).isEqualTo(requested);
      assertThat(status()).contains("chosen by JSTACK_RUNTIME");
    } else {
      // .ci/setup installs both and lets crun run on this host: the probe times both.
      assertThat(status()).contains("the fastest that runs a container here (crun ");
    }
    assertThat(api("/info").path("DefaultRuntime").asText()).isEqualTo(first);

    Path run = dir.resolve("data/run");
    assertThat(mountsUnder()).contains("tmpfs " + run + " tmpfs");
    assertThat(run.resolve("runtime").resolve(first).resolve(id)).isDirectory();
    assertThat(run.resolve("containers").resolve(id).resolve("pidfile")).isNotEmptyFile();
    assertThat(dir.resolve("data/containers").resolve(id).resolve("pidfile")).doesNotExist();
    assertThat(ok("exec", "-T", "app", "echo", "in-" + first).out())
        .isEqualTo("in-" + first + "\n");

    // The engine stops while the container runs: its state must outlive the engine, so the tmpfs
    // stays, and the engine says so.
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    assertThat(mountsUnder()).contains("tmpfs " + run + " tmpfs");
    assertThat(Files.readString(dir.resolve("data/engine.log")))
        .contains("keeping the run-time tmpfs at " + run + ": 1 container(s)");

    // The next engine runs the other runtime; the container still runs under its own.
    String other = BOTH.get(1 - BOTH.indexOf(first));
    Map<String, String> withOther = new HashMap<>(env);
    withOther.put("JSTACK_RUNTIME", other);
    jstack = new JstackRunner(withOther);
    assertThat(ok("ps", "-q").out().strip()).isEqualTo(id);
    assertThat(inspect("app").path("State").path("Running").asBoolean()).isTrue();
    assertThat(runtimeInStatus()).isEqualTo(other);
    assertThat(status()).contains("chosen by JSTACK_RUNTIME");
    assertThat(ok("exec", "-T", "app", "echo", "still-" + first).out())
        .isEqualTo("still-" + first + "\n");
    ok("pause", "app");
    ok("unpause", "app");
    ok("up", "-d", "--force-recreate");
    String recreated = inspect("app").path("Id").asText();
    assertThat(run.resolve("runtime").resolve(other).resolve(recreated)).isDirectory();
    assertThat(run.resolve("runtime").resolve(first).resolve(id)).doesNotExist();

    // With nothing left to keep, the engine takes its tmpfs with it.
    ok("down", "-t", "1");
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    assertThat(mountsUnder()).isEmpty();
    assertThat(run).doesNotExist();
  }

  private String status() {
    JstackRunner.Run s = jstack.run(new String[0], "engine", "status");
    assertThat(s.code()).as(s.err()).isZero();
    return s.out();
  }

  /** The runtime's name in {@code jstack engine status}. */
  private String runtimeInStatus() {
    String line = status().lines().filter(l -> l.startsWith("runtime: ")).findFirst().orElseThrow();
    String name = line.substring("runtime: ".length()).split(" ")[0];
    assertThat(BOTH).contains(name);
    return name;
  }

  /** The mounts below the test's directory: source, point and type. */
  private List<String> mountsUnder() throws Exception {
    return Files.readAllLines(Path.of("/proc/mounts")).stream()
        .map(l -> l.split(" "))
        .filter(f -> f[1].startsWith(dir + "/"))
        .map(f -> f[0] + " " + f[1] + " " + f[2])
        .toList();
  }
}
