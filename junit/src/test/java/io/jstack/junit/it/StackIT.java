package io.jstack.junit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.junit.Endpoint;
import io.jstack.junit.ExecResult;
import io.jstack.junit.Stack;
import io.jstack.junit.StackEngine;
import io.jstack.junit.StackException;
import io.jstack.junit.StackSpec;
import io.jstack.junit.Wait;
import io.jstack.planner.ServiceContainers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java API against examples/hello on each engine. */
class StackIT {
  @TempDir Path dir;

  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  final Path hello = OwnEngine.repo().resolve("examples/hello/compose.yaml");

  @ParameterizedTest
  @EnumSource(
      value = StackEngine.class,
      names = {"DOCKER", "EMBEDDED"})
  void hello_twoAtOnceFromOneFile_endpointsExecLogsLifecycle_thenCloseLeavesNothing(
      StackEngine kind) throws Exception {
    try (OwnEngine engine = OwnEngine.start(kind, dir)) {
      StackSpec spec =
          StackSpec.of(hello)
              .withEngine(kind)
              .withEnv(engine.env)
              .withTimeout(OwnEngine.TIMEOUT)
              .withWaits(Wait.http("web", 8080, "/"), Wait.logLine("worker", "^tick 1$"));
      String first;
      String second;
      try (Stack a = spec.start();
          Stack b = spec.start()) {
        first = a.project();
        second = b.project();
        assertThat(first).isNotEqualTo(second).startsWith("hello-");
        assertThat(a.reused()).isFalse();
        Endpoint webA = a.endpoint("web", 8080);
        Endpoint webB = b.endpoint("web", 8080);
        // The file publishes 8080; each stack got a free port of its own instead.
        assertThat(webA.port()).isNotEqualTo(8080).isNotEqualTo(webB.port());
        assertThat(webA.host()).isEqualTo("127.0.0.1");
        // Each stack has volumes and networks of its own, named after its project.
        assertThat(engine.resourcesOf(first)).contains(first + "_site", first + "_default");
        assertThat(engine.resourcesOf(second)).contains(second + "_site", second + "_default");
        assertThat(get(webA.uri("http", "/"))).contains("hello from jstack");
        assertThat(get(webB.uri("http"))).contains("hello from jstack");

        ExecResult cat = a.exec("web", "cat", "/www/index.html");
        assertThat(cat.exitCode()).isZero();
        assertThat(cat.stdout()).contains("<h1>hello from jstack</h1>");
        ExecResult fails = a.exec("web", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(fails).isEqualTo(new ExecResult(3, "out\n", "err\n"));

        assertThat(a.logs("worker")).contains("tick 1\n");
        a.stop("worker");
        assertThat(state(engine, first, "worker").isRunning()).isFalse();
        a.start("worker");
        assertThat(state(engine, first, "worker").isRunning()).isTrue();
        String before = state(engine, first, "client").id();
        a.restart("client");
        ContainerInfo restarted = state(engine, first, "client");
        assertThat(restarted.id()).isEqualTo(before);
        assertThat(restarted.isRunning()).isTrue();

        List<Path> logs = a.dumpLogs(dir.resolve("logs"));
        assertThat(logs)
            .containsExactly(
                dir.resolve("logs/client.log"),
                dir.resolve("logs/web.log"),
                dir.resolve("logs/worker.log"));
        assertThat(Files.readString(dir.resolve("logs/worker.log"))).contains("tick 1\n");

        assertThatThrownBy(() -> a.endpoint("worker", 8080))
            .isInstanceOf(StackException.class)
            .hasMessage(
                "stack "
                    + first
                    + ": port 8080/tcp of service worker is not published; publish it under ports:"
                    + " in the compose file (\"8080\" lets the engine pick the host port)");
        assertThatThrownBy(() -> a.logs("nope"))
            .hasMessage(
                "stack " + first + " has no service \"nope\" (services: client, web, worker)");
      }
      assertThat(engine.resourcesOf(first)).isEmpty();
      assertThat(engine.resourcesOf(second)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = StackEngine.class,
      names = {"DOCKER", "EMBEDDED"})
  void aStackThatDoesNotGetReady_isTakenDown_andTheErrorSaysWhichWait(StackEngine kind)
      throws Exception {
    try (OwnEngine engine = OwnEngine.start(kind, dir)) {
      StackSpec spec =
          StackSpec.of(hello)
              .withEngine(kind)
              .withEnv(engine.env)
              .withProjectName("never-ready")
              .withTimeout(java.time.Duration.ofSeconds(15))
              .withWaits(Wait.logLine("worker", "no such line"));
      StackException e =
          org.junit.jupiter.api.Assertions.assertThrows(StackException.class, spec::start);
      assertThat(e)
          .hasMessageMatching(
              "stack never-ready-\\S+: gave up waiting for a line of worker's output matching /no"
                  + " such line/ after 15 s; see the service's logs \\(Stack.logs or dumpLogs\\)");
      String project = e.getMessage().split(" ")[1].replace(":", "");
      assertThat(engine.resourcesOf(project)).isEmpty();
    }
  }

  static ContainerInfo state(OwnEngine engine, String project, String service) {
    return ServiceContainers.of(engine.engine, project, service).get(0);
  }

  static String get(URI uri) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
