package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names of containers, volumes, networks and images on the engine socket, next to dockerd's answers
 * to the same requests: the ones Docker refuses are refused with its status and message, and
 * nothing named {@code ..}, {@code ../../etc} or with a control character is ever made.
 */
class NamesIT extends EmbeddedStackFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DOCKERD = Path.of("/var/run/docker.sock");
  static final String LONG = "x".repeat(300);
  static final String IMAGE = "jstack-examples/busybox:latest";
  static final String CONTAINER_RULE = "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed";

  record Answer(int status, JsonNode body) {
    String message() {
      return body.path("message").asText();
    }
  }

  final List<Runnable> cleanUps = new ArrayList<>();

  @org.junit.jupiter.api.BeforeEach
  void startTheEngine() throws Exception {
    compose("services:\n  idle:\n    image: " + IMAGE + "\n");
    ok("ps");
  }

  @Test
  void containerNames_asDockerdJudgesThem() throws Exception {
    try {
      for (String bad : List.of("..", "../../etc", "a/b", "a\u0001b", "a")) {
        Answer ours = createContainer(socket(), bad);
        Answer docker = createContainer(DOCKERD, bad);
        assertThat(ours.status()).as(bad).isEqualTo(400).isEqualTo(docker.status());
        assertThat(ours.message())
            .isEqualTo("Invalid container name (" + printable(bad) + "), " + CONTAINER_RULE);
        if (!bad.contains("\u0001")) {
          assertThat(ours.message()).isEqualTo(docker.message());
        }
      }
      // Docker takes these: no name (one is made up) and a long one.
      for (String fine : List.of("", LONG, "/with-slash_and.dots-1")) {
        Answer ours = createContainer(socket(), fine);
        Answer docker = createContainer(DOCKERD, fine);
        assertThat(ours.status()).as(fine).isEqualTo(201).isEqualTo(docker.status());
        JsonNode inspected = api("/containers/" + ours.body().path("Id").asText() + "/json");
        assertThat(inspected.path("Name").asText())
            .matches(fine.isEmpty() ? "/\\w+" : "/" + fine.replaceFirst("^/", ""));
      }
      assertThat(api("/containers/json?all=1").findValuesAsText("Names").toString())
          .doesNotContain("..")
          .doesNotContain("etc");
    } finally {
      cleanUps.forEach(Runnable::run);
    }
  }

  @Test
  void volumeNames_asDockerdJudgesThem_andNoneReachesOutside() throws Exception {
    try {
      for (String bad : List.of("..", "../../etc", "a/b", "a\u0001b")) {
        Answer ours = createVolume(socket(), bad);
        Answer docker = createVolume(DOCKERD, bad);
        assertThat(ours.status()).as(bad).isEqualTo(400).isEqualTo(docker.status());
        assertThat(ours.message())
            .isEqualTo(
                "create "
                    + printable(bad)
                    + ": \""
                    + printable(bad)
                    + "\" includes invalid characters for a local volume name, only"
                    + " \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host"
                    + " directory, use absolute path");
        if (!bad.contains("\u0001")) {
          assertThat(ours.message()).isEqualTo(docker.message());
        }
      }
      Answer shortOurs = createVolume(socket(), "a");
      assertThat(shortOurs.status()).isEqualTo(400);
      assertThat(shortOurs.message()).isEqualTo(createVolume(DOCKERD, "a").message());
      // dockerd takes a 300-character name, then fails on the directory it names.
      Answer longOurs = createVolume(socket(), LONG);
      assertThat(longOurs.status()).isEqualTo(400);
      assertThat(longOurs.message())
          .endsWith(
              "volume name is too long (300 characters; a"
                  + " volume's name is a directory's, at most 255)");
      assertThat(createVolume(DOCKERD, LONG).status()).isEqualTo(500);
      // No name: both make one up.
      Answer none = createVolume(socket(), "");
      assertThat(none.status()).isEqualTo(201).isEqualTo(createVolume(DOCKERD, "").status());
      // Names that are not volumes are not found, and removing one removes nothing.
      for (String outside : List.of("..", "%2e%2e", "..%2F..%2Fdata", "..%2Fimages")) {
        assertThat(call(socket(), "GET", "/volumes/" + outside, null).status()).isEqualTo(404);
        assertThat(call(socket(), "DELETE", "/volumes/" + outside, null).status()).isEqualTo(404);
      }
      assertThat(dir.resolve("data/images")).isDirectory();
      assertThat(names(api("/volumes").path("Volumes"), "Name"))
          .containsExactly(none.body().path("Name").asText());
    } finally {
      cleanUps.forEach(Runnable::run);
    }
  }

  @Test
  void networkNames_refuseWhatCouldNameAPath_whereDockerdTakesAnything() throws Exception {
    try {
      for (String bad : List.of("..", "../../etc", "a/b", "a\u0001b")) {
        Answer ours = createNetwork(socket(), bad);
        assertThat(ours.status()).as(bad).isEqualTo(400);
        assertThat(ours.message())
            .isEqualTo("Invalid network name (" + printable(bad) + "), " + CONTAINER_RULE);
      }
      Answer empty = createNetwork(socket(), "");
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.message()).isEqualTo("invalid name: a network needs a name");
      assertThat(createNetwork(DOCKERD, "").status()).isEqualTo(500);
      for (String fine : List.of("a", LONG)) {
        Answer ours = createNetwork(socket(), fine);
        assertThat(ours.status())
            .as(fine)
            .isEqualTo(201)
            .isEqualTo(createNetwork(DOCKERD, fine).status());
      }
      assertThat(names(api("/networks"), "Name")).containsExactlyInAnyOrder("a", LONG);
    } finally {
      cleanUps.forEach(Runnable::run);
    }
  }

  @Test
  void imageNames_asDockerdJudgesThem() throws Exception {
    for (String bad : List.of("..", "../../etc", "a\u0001b", LONG, "Upper")) {
      String query = "/images/create?fromImage=" + URLEncoder.encode(bad, StandardCharsets.UTF_8);
      Answer ours = call(socket(), "POST", query, null);
      Answer docker = call(DOCKERD, "POST", query, null);
      assertThat(ours.status()).as(bad).isEqualTo(400).isEqualTo(docker.status());
      assertThat(ours.message()).startsWith("invalid image reference '" + printable(bad) + "'");
      ObjectNode body = JSON.createObjectNode().put("Image", bad);
      Answer create = call(socket(), "POST", "/containers/create", body.toString());
      assertThat(create.status()).as(bad).isEqualTo(400);
      assertThat(call(DOCKERD, "POST", "/containers/create", body.toString()).status())
          .isEqualTo(400);
    }
    Answer empty = call(socket(), "POST", "/images/create?fromImage=", null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(api("/containers/json?all=1")).isEmpty();
  }

  private Answer createContainer(Path socket, String name) {
    Answer a =
        call(
            socket,
            "POST",
            "/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
            JSON.createObjectNode().put("Image", IMAGE).toString());
    if (a.status() == 201) {
      String id = a.body().path("Id").asText();
      cleanUps.add(() -> call(socket, "DELETE", "/containers/" + id + "?force=1", null));
    }
    return a;
  }

  private Answer createVolume(Path socket, String name) {
    Answer a =
        call(
            socket,
            "POST",
            "/volumes/create",
            JSON.createObjectNode().put("Name", name).toString());
    if (a.status() == 201) {
      String made = a.body().path("Name").asText();
      cleanUps.add(() -> call(socket, "DELETE", "/volumes/" + made, null));
    }
    return a;
  }

  private Answer createNetwork(Path socket, String name) {
    Answer a =
        call(
            socket,
            "POST",
            "/networks/create",
            JSON.createObjectNode().put("Name", name).toString());
    if (a.status() == 201) {
      String id = a.body().path("Id").asText();
      cleanUps.add(() -> call(socket, "DELETE", "/networks/" + id, null));
    }
    return a;
  }

  private static List<String> names(JsonNode list, String field) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  /** As the engine escapes a name in a message: control characters as {@code \xNN}. */
  private static String printable(String s) {
    return s.replace("\u0001", "\\x01");
  }

  /** {@code method path} on the engine at {@code socket}, with a JSON body or none. */
  private static Answer call(Path socket, String method, String path, String json) {
    EngineStack.ApiAnswer a = EngineStack.call(socket, method, path, json);
    try {
      return new Answer(
          a.status(), a.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(a.body()));
    } catch (java.io.IOException e) {
      throw new AssertionError(method + " " + path + " answered no JSON: " + a.body(), e);
    }
  }
}
