package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.Engines;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An engine upgraded under running containers re-adopts them: a container whose record an older
 * jstack wrote (format 1, recorded in {@code upgrade/record-v1.json}) keeps running through a
 * {@code kill -9} of the engine, and the new engine upgrades its record, serves its logs, exec,
 * published port and DNS, and removes it with everything it made.
 */
class RecordUpgradeIT extends EmbeddedStackFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aVersion1Record_isUpgraded_andItsRunningContainerReadopted() throws Exception {
    int port = HelloStackIT.freePort();
    compose(resource("compose.yaml").replace("18777", String.valueOf(port)));
    ok("up", "-d");
    String id = inspect("app").path("Id").asText();
    Path dirOfIt = dir.resolve("data/containers").resolve(id);
    Path runOfIt = dir.resolve("data/run/containers").resolve(id);
    Path record = dirOfIt.resolve("record.json");
    JsonNode today = JSON.readTree(record.toFile());
    assertThat(today.path("format").asInt()).isEqualTo(2);
    awaitPage(port);
    String pid = Files.readString(runOfIt.resolve("pidfile")).strip();

    // The engine dies; the container runs on under conmon, and its record becomes the older one.
    ProcessHandle engine =
        ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("data/engine.pid")).strip()))
            .orElseThrow();
    engine.destroyForcibly();
    engine.onExit().get();
    assertThat(Engines.answers(socket())).isFalse();
    Files.writeString(record, version1Like(today.path("container")));

    // The next command starts a new engine, which upgrades the record and re-adopts the container.
    JsonNode ps = JSON.readTree(ok("ps", "--format", "json").out());
    assertThat(ps.findValuesAsText("State")).containsExactly("running");
    JsonNode upgraded = JSON.readTree(record.toFile());
    assertThat(upgraded.path("format").asInt()).isEqualTo(2);
    JsonNode was = today.path("container");
    JsonNode is = upgraded.path("container");
    for (String field :
        new String[] {
          "id",
          "name",
          "image",
          "imageId",
          "created",
          "commandLine",
          "endpoints",
          "publishedPorts",
          "anonymousVolumes",
          "startedAt",
          "restartCount",
          "stoppedByUser"
        }) {
      assertThat(is.path(field)).as(field).isEqualTo(was.path(field));
    }
    ObjectNode settingsWas = was.path("settings").deepCopy();
    ObjectNode settingsIs = is.path("settings").deepCopy();
    JsonNode labels = settingsIs.remove("labels");
    settingsWas.remove("labels");
    assertThat(settingsIs).as("settings").isEqualTo(settingsWas);
    assertThat(labels.path("com.docker.compose.project").asText()).isEqualTo(project);
    assertThat(labels.path("com.docker.compose.service").asText()).isEqualTo("app");
    assertThat(labels.path("example.role").asText()).isEqualTo("app");

    // The same process runs, and everything around it works as before.
    assertThat(Files.readString(runOfIt.resolve("pidfile")).strip()).isEqualTo(pid);
    awaitPage(port);
    String ticks = ok("logs", "--no-log-prefix", "app").out();
    assertThat(ticks).contains("tick 1\n");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ok("logs", "--no-log-prefix", "app").out().length() > ticks.length());
    String front =
        is.path("endpoints").properties().stream()
            .filter(e -> e.getValue().path("network").asText().endsWith("_front"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .path("address")
            .asText();
    assertThat(ok("exec", "-T", "app", "nslookup", "app-alias").out()).contains(front);
    JsonNode inspect = inspect("app");
    assertThat(inspect.path("HostConfig").path("RestartPolicy").path("Name").asText())
        .isEqualTo("unless-stopped");
    assertThat(inspect.path("Config").path("Healthcheck").path("Interval").asLong())
        .isEqualTo(5_000_000_000L);

    // Removed with its volumes and networks (the fixture's down and leak check see to the rest).
    String anonymous = is.path("anonymousVolumes").path(0).asText();
    ok("down", "-v", "-t", "1");
    assertThat(Files.exists(dirOfIt)).isFalse();
    assertThat(Files.exists(dir.resolve("data/volumes").resolve(anonymous))).isFalse();
    assertThat(api("/volumes").path("Volumes")).isEmpty();
  }

  /**
   * The recorded format-1 record with this container's ids, names, addresses, paths and times
   * swapped in for the recorded ones.
   */
  private String version1Like(JsonNode now) throws Exception {
    JsonNode old = JSON.readTree(resource("record-v1.json"));
    JsonNode oldRequest = old.path("request");
    Map<String, String> swaps = new LinkedHashMap<>();
    swaps.put(old.path("id").asText(), now.path("id").asText());
    swaps.put(old.path("id").asText().substring(0, 12), now.path("id").asText().substring(0, 12));
    swaps.put(old.path("imageId").asText(), now.path("imageId").asText());
    swaps.put(old.path("created").asText(), now.path("created").asText());
    swaps.put(old.path("startedAt").asText(), now.path("startedAt").asText());
    oldRequest
        .path("JstackEndpoints")
        .properties()
        .forEach(
            e -> {
              String network = e.getValue().path("Name").asText().replace("v1rec", project);
              Map.Entry<String, JsonNode> mine =
                  now.path("endpoints").properties().stream()
                      .filter(m -> m.getValue().path("network").asText().equals(network))
                      .findFirst()
                      .orElseThrow();
              swaps.put(e.getKey(), mine.getKey());
              swaps.put(
                  "\"" + e.getValue().path("IPAddress").asText() + "\"",
                  "\"" + mine.getValue().path("address").asText() + "\"");
              swaps.put(
                  e.getValue().path("EndpointID").asText(),
                  mine.getValue().path("endpointId").asText());
            });
    swaps.put(
        oldRequest.path("JstackAnonymousVolumes").path(0).asText(),
        now.path("anonymousVolumes").path(0).asText());
    swaps.put("18777", String.valueOf(now.path("publishedPorts").path(0).path("hostPort").asInt()));
    swaps.put("/tmp/v1rec", dir.toString());
    swaps.put("v1rec", project);
    // In two steps, through placeholders: one swap's new value may be another's old one.
    String text = resource("record-v1.json");
    int i = 0;
    for (String recorded : swaps.keySet()) {
      assertThat(text).as("the recorded record holds " + recorded).contains(recorded);
      text = text.replace(recorded, "<" + i++ + ">");
    }
    i = 0;
    for (String mine : swaps.values()) {
      text = text.replace("<" + i++ + ">", mine);
    }
    assertThat(JSON.readTree(text).path("format").asInt()).isEqualTo(1);
    return text;
  }

  private static void awaitPage(int port) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> get(port).contains("hello from jstack"));
  }

  private static String get(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String resource(String name) throws Exception {
    try (InputStream in =
        Objects.requireNonNull(
            RecordUpgradeIT.class.getResourceAsStream("/io/jstack/engine/testing/upgrade/" + name),
            name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
