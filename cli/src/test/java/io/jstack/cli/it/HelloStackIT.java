package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * examples/hello on each engine (published port, a service reached by name, healthcheck), checked
 * through the engine's Docker API and docker-compose; on the embedded engine, with no dockerd in
 * the stack's path, also after the engine is killed.
 */
class HelloStackIT extends OnEachEngine {
  final Path compose = Docker.repo().resolve("examples/hello/compose.yaml");

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void hello_upWaitServesTheSite_logsPsInterop_thenDownLeavesNothing(EngineKind engine)
      throws Exception {
    int port = freePort();
    on(engine, compose, Map.of("HELLO_PORT", "" + port));

    JstackRunner.Run up = stack.run("up", "-d", "--wait");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains(" Container " + project + "-web-1  Started");

    HttpResponse<String> page = get(port);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("hello from jstack");

    JstackRunner.Run ps = stack.run("ps");
    assertThat(ps.out())
        .contains(project + "-web-1")
        .contains("(healthy)")
        .contains(project + "-client-1")
        .contains(project + "-worker-1");
    assertThat(ps.out()).contains("0.0.0.0:" + port + "->8080/tcp");
    assertThat(stack.ok("port", "web", "8080").out().strip()).isEqualTo("0.0.0.0:" + port);
    // The client reaches web by its service name (the engine's DNS), and logs what it got.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(stack.ok("logs", "client").out())
                    .contains("| <h1>hello from jstack</h1>"));

    JstackRunner.Run logs = stack.run("logs", "--tail", "5");
    assertThat(logs.code()).isZero();
    assertThat(logs.out().lines())
        .isNotEmpty()
        .allMatch(l -> l.matches("(client-1|web-1|worker-1) +\\| .*"));
    assertThat(logs.out()).contains("web-1     | ").contains("worker-1  | tick");

    List<String> ids = stack.containerIds("--no-trunc");
    assertThat(ids).hasSize(3);
    JstackRunner.Run again = stack.run("up", "-d");
    assertThat(again.out()).isEqualTo("nothing to do\n");
    assertThat(stack.containerIds("--no-trunc")).containsExactlyInAnyOrderElementsOf(ids);

    Docker.Result v1 =
        Docker.run(
            compose.getParent(),
            "env",
            "DOCKER_HOST=unix://" + stack.socket(),
            "docker-compose",
            "-p",
            project,
            "ps");
    assertThat(v1.code()).as(v1.err()).isZero();
    assertThat(v1.out())
        .contains(project + "-web-1")
        .contains(project + "-client-1")
        .contains(project + "-worker-1");

    if (engine == EngineKind.EMBEDDED) {
      stack.killTheEngine();
      assertThat(Engines.answers(stack.socket())).isFalse();
      stack.ok("ps"); // the next engine rebinds the port and serves DNS again
      assertThat(get(port).body()).contains("hello from jstack");
      assertThat(stack.ok("exec", "-T", "client", "nslookup", "web").out())
          .containsPattern("Address: \\d+\\.\\d+\\.\\d+\\.\\d+\\n");
    }

    // Every service has an init, so each stops on SIGTERM: down with the default 10 s timeout
    // is quick (well under that timeout: no container waits for its SIGKILL; the speed itself
    // is bench/embedded-vs.sh's).
    long started = System.nanoTime();
    JstackRunner.Run down = stack.run("down", "-v");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(took)
        .as("down of examples/hello on " + engine)
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
    String filter = "label=com.docker.compose.project=" + project;
    assertThat(stack.dockerLines("ps", "-aq", "--filter", filter)).isEmpty();
    assertThat(stack.dockerLines("network", "ls", "-q", "--filter", filter)).isEmpty();
    assertThat(stack.dockerLines("volume", "ls", "-q", "--filter", filter)).isEmpty();
    if (engine == EngineKind.EMBEDDED) {
      assertThat(dir.resolve("data/containers")).isEmptyDirectory();
      assertThat(dir.resolve("data/networks")).isEmptyDirectory();
    }
  }

  private static HttpResponse<String> get(int port) throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
