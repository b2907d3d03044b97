package io.jstack.runtime.api;

import static io.jstack.runtime.api.Fixtures.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemRoutesTest {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456789Z");

  @TempDir Path dir;

  private final FakeSystem engine = new FakeSystem();
  private final FakeImages images = new FakeImages();
  private ApiClient api;

  @BeforeEach
  void serve() {
    engine.containers.add(container("web", Container.Status.running, Map.of()));
    engine.containers.add(container("db", Container.Status.exited, Map.of()));
    engine.containers.add(container("p", Container.Status.paused, Map.of()));
    images.tags.put("docker.io/library/alpine:3", "sha256:m1");
    images.tags.put("docker.io/library/alpine:latest", "sha256:m1");
    images.tags.put("@sha256:m2", "sha256:m2");
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, null, images, null, null, engine));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void ping_answersOK_toGetAndHead_withTheApiVersion() {
    ApiClient.Answer get = api.get("/_ping");
    ApiClient.Answer head = api.head("/_ping");

    assertThat(get.status()).isEqualTo(200);
    assertThat(get.text()).isEqualTo("OK");
    assertThat(get.contentType()).startsWith("text/plain");
    assertThat(get.apiVersion()).isEqualTo("1.41");
    assertThat(head.status()).isEqualTo(200);
  }

  @Test
  void version_namesTheApiVersionsSpoken() {
    JsonNode v = api.get("/v1.24/version").json();

    assertThat(v.path("ApiVersion").asText()).isEqualTo(EngineServer.API_VERSION);
    assertThat(v.path("MinAPIVersion").asText()).isEqualTo("1.24");
    assertThat(v.path("Os").asText()).isEqualTo("linux");
    assertThat(v.path("Version").asText()).startsWith("jstack-");
    assertThat(v.path("Components").get(0).path("Name").asText()).isEqualTo("jstack engine");
  }

  @Test
  void info_countsContainersRunningAndImages_notTheirNames() {
    JsonNode i = api.get("/info").json();

    assertThat(i.path("Containers").asInt()).isEqualTo(3);
    assertThat(i.path("ContainersRunning").asInt()).as("a paused one does not run").isEqualTo(1);
    assertThat(i.path("ContainersPaused").asInt()).isEqualTo(1);
    assertThat(i.path("ContainersStopped").asInt()).isEqualTo(1);
    assertThat(i.path("KernelVersion").asText()).isEqualTo(System.getProperty("os.version"));
    assertThat(i.path("Labels").isArray()).as("docker-java reads a list").isTrue();
    assertThat(i.path("Images").asInt()).as("one image of two names, one dangling").isEqualTo(2);
    assertThat(i.path("DockerRootDir").asText()).isEqualTo("/var/lib/jstack");
    assertThat(i.path("OSType").asText()).isEqualTo("linux");
    assertThat(i.path("DefaultRuntime").asText()).isEqualTo("crun");
    assertThat(i.path("Runtimes").path("crun").path("path").asText()).isEqualTo("/usr/bin/crun");
  }

  @Test
  void aDockerRouteTheEngineLacks_is501_withDockersJsonMessage_namingMethodAndPath() {
    ApiClient.Answer swarm = api.post("/v1.41/swarm/init", "{}");
    ApiClient.Answer wrongMethod = api.delete("/info");

    assertThat(swarm.status()).isEqualTo(501);
    assertThat(swarm.contentType()).isEqualTo("application/json");
    assertThat(swarm.json().toString())
        .isEqualTo(
            "{\"message\":\"the jstack engine does not support POST /v1.41/swarm/init yet;"
                + " use --engine docker for this\"}");
    // No Docker endpoint at all: the client's mistake, not a gap in the engine.
    assertThat(wrongMethod.status()).isEqualTo(404);
    assertThat(wrongMethod.message()).startsWith("page not found: DELETE /info");
  }

  @Test
  void plugins_areNeverFound() {
    ApiClient.Answer a = api.get("/plugins/vieux%2Fsshfs/json");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.message()).isEqualTo("plugin vieux/sshfs not found");
  }

  @Test
  void events_streamsEachContainerEvent_asDockerDoes_untilTheTimeAsked() {
    engine.events.add(new Event(AT, "start", "web-id", Map.of("name", "web", "app", "shop")));

    ApiClient.Answer a = api.get("/events?until=" + until());

    assertThat(a.status()).isEqualTo(200);
    List<JsonNode> lines = lines(a);
    assertThat(lines).hasSize(1);
    JsonNode e = lines.get(0);
    assertThat(e.path("Type").asText()).isEqualTo("container");
    assertThat(e.path("Action").asText()).isEqualTo("start");
    assertThat(e.path("status").asText()).isEqualTo("start");
    assertThat(e.path("id").asText()).isEqualTo("web-id");
    assertThat(e.path("Actor").path("ID").asText()).isEqualTo("web-id");
    assertThat(e.path("Actor").path("Attributes").path("app").asText()).isEqualTo("shop");
    assertThat(e.path("time").asLong()).isEqualTo(AT.getEpochSecond());
    assertThat(e.path("timeNano").asLong())
        .isEqualTo(AT.getEpochSecond() * 1_000_000_000L + 123456789);
    assertThat(engine.exitLooks.get()).as("exits are looked for while it streams").isPositive();
    assertThat(engine.calls)
        .as("the stream ended after it unsubscribed")
        .containsExactly("subscribe", "unsubscribe");
  }

  @Test
  void events_filteredByHealthStatus_matchTheStatusEventsOfEachState() {
    engine.events.add(new Event(AT, "health_status: healthy", "web-id", Map.of("name", "web")));
    engine.events.add(new Event(AT, "health_status: unhealthy", "db-id", Map.of("name", "db")));
    engine.events.add(new Event(AT, "start", "x-id", Map.of("name", "x")));

    assertThat(
            ids(
                api.get(
                    "/events?until="
                        + until()
                        + "&filters="
                        + ApiClient.filters("{'event':['health_status']}"))))
        .containsExactly("web-id", "db-id");
    assertThat(
            ids(
                api.get(
                    "/events?until="
                        + until()
                        + "&filters="
                        + ApiClient.filters("{'event':['health_status: unhealthy']}"))))
        .containsExactly("db-id");
  }

  @Test
  void events_filteredByLabelTypeContainerAndEvent() {
    engine.events.add(new Event(AT, "start", "web-id", Map.of("name", "web", "app", "shop")));
    engine.events.add(new Event(AT, "die", "db-id", Map.of("name", "db", "app", "shop")));
    engine.events.add(new Event(AT, "stop", "x-id", Map.of("name", "x")));

    List<String> byLabel =
        ids(
            api.get(
                "/events?until="
                    + until()
                    + "&filters="
                    + ApiClient.filters("{'label':['app=shop']}")));
    List<String> byName =
        ids(
            api.get(
                "/events?until="
                    + until()
                    + "&filters="
                    + ApiClient.filters("{'container':['db','x-id']}")));
    List<String> dies =
        ids(
            api.get(
                "/events?until="
                    + until()
                    + "&filters="
                    + ApiClient.filters("{'event':['die','kill']}")));
    List<String> images =
        ids(
            api.get(
                "/events?until="
                    + until()
                    + "&filters="
                    + ApiClient.filters("{'type':['image']}")));

    assertThat(byLabel).containsExactly("web-id", "db-id");
    assertThat(byName).containsExactly("db-id", "x-id");
    assertThat(dies).containsExactly("db-id");
    assertThat(images).isEmpty();
  }

  private static String until() {
    Instant t = Instant.now().plusMillis(300);
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }

  private static List<String> ids(ApiClient.Answer a) {
    return lines(a).stream().map(e -> e.path("id").asText()).toList();
  }

  private static List<JsonNode> lines(ApiClient.Answer a) {
    List<JsonNode> out = new ArrayList<>();
    for (String l : a.text().split("\n")) {
      if (!l.isBlank()) {
        try {
          out.add(Exchange.JSON.readTree(l));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }
}
