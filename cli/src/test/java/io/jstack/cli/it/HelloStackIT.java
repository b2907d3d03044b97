package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/hello on the real dockerd, checked through docker itself and docker-compose. */
class HelloStackIT {
  final String project = "hello-it-" + UUID.randomUUID().toString().substring(0, 8);
  final Path compose = Docker.repo().resolve("examples/hello/compose.yaml");
  int port;
  JstackRunner jstack;

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
  }

  @Test
  void hello_upWaitServesTheSite_logsPsInterop_thenDownLeavesNothing() throws Exception {
    port = freePort();
    jstack =
        new JstackRunner(
            Map.of(
                "HELLO_PORT",
                Integer.toString(port),
                "PATH",
                System.getenv("PATH"),
                "HOME",
                System.getProperty("user.home")));
    String[] base = {"--engine", "docker", "-p", project, "-f", compose.toString()};

    JstackRunner.Run up = jstack.run(base, "up", "-d", "--wait");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains(" Container " + project + "-web-1  Started");

    HttpResponse<String> page =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("hello from jstack");

    JstackRunner.Run ps = jstack.run(base, "ps");
    assertThat(ps.out())
        .contains(project + "-web-1")
        .contains("(healthy)")
        .contains(project + "-client-1")
        .contains(project + "-worker-1");
    assertThat(ps.out()).contains("0.0.0.0:" + port + "->8080/tcp");

    JstackRunner.Run logs = jstack.run(base, "logs", "--tail", "5");
    assertThat(logs.code()).isZero();
    assertThat(logs.out().lines())
        .isNotEmpty()
        .allMatch(l -> l.matches("(client-1|web-1|worker-1) +\\| .*"));
    assertThat(logs.out()).contains("web-1     | ").contains("worker-1  | tick");

    List<String> ids =
        Docker.lines(
            "ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project);
    assertThat(ids).hasSize(3);
    JstackRunner.Run again = jstack.run(base, "up", "-d");
    assertThat(again.out()).isEqualTo("nothing to do\n");
    assertThat(
            Docker.lines(
                "ps",
                "-q",
                "--no-trunc",
                "--filter",
                "label=com.docker.compose.project=" + project))
        .containsExactlyInAnyOrderElementsOf(ids);

    Docker.Result v1 = Docker.run(compose.getParent(), "docker-compose", "-p", project, "ps");
    assertThat(v1.code()).as(v1.err()).isZero();
    assertThat(v1.out())
        .contains(project + "-web-1")
        .contains(project + "-client-1")
        .contains(project + "-worker-1");

    // Every service has an init, so each stops on SIGTERM: down with the default 10 s timeout
    // is quick.
    long started = System.nanoTime();
    JstackRunner.Run down = jstack.run(base, "down", "-v");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(took)
        .as("down of examples/hello on dockerd")
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
    String filter = "label=com.docker.compose.project=" + project;
    assertThat(Docker.lines("ps", "-aq", "--filter", filter)).isEmpty();
    assertThat(Docker.lines("network", "ls", "-q", "--filter", filter)).isEmpty();
    assertThat(Docker.lines("volume", "ls", "-q", "--filter", filter)).isEmpty();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
