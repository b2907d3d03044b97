package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.http.HttpRequest;
import io.jstack.runtime.engine.ImageRemoval;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImageRoutesTest {
  private static final String ALPINE = "docker.io/library/alpine:3";
  private static final String APP = "registry:5000/team/app:1";

  @TempDir Path dir;

  private final FakeImages engine =
      new FakeImages()
          .with(
              image(
                  "sha256:m1",
                  "sha256:c1",
                  "{'created': '2026-01-02T03:04:05Z', 'architecture': 'amd64', 'os': 'linux',"
                      + " 'config': {'Labels': {'maintainer': 'me'}, 'Cmd': ['sh']}}",
                  100,
                  23),
              ALPINE,
              "docker.io/library/alpine@sha256:m1")
          .with(image("sha256:m2", "sha256:c2", "{'config': {}}", 5), APP)
          .with(image("sha256:m3", "sha256:c3", "{'created': 'yesterday'}"), "@sha256:m3");

  private ApiClient api;

  @BeforeEach
  void serve() {
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, null, engine, null, null, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static ImageStore.Image image(
      String manifest, String config, String json, long... layerSizes) {
    List<ImageStore.Layer> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (long size : layerSizes) {
      layers.add(new ImageStore.Layer("sha256:l" + layers.size(), "tar+gzip", size));
      diffIds.add("sha256:d" + diffIds.size());
    }
    try {
      return new ImageStore.Image(
          manifest, config, layers, diffIds, Exchange.JSON.readTree(json.replace('\'', '"')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of a streamed JSON answer. */
  private static List<JsonNode> lines(ApiClient.Answer a) {
    List<JsonNode> out = new ArrayList<>();
    for (String l : a.text().split("\r\n")) {
      try {
        out.add(Exchange.JSON.readTree(l));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  @Test
  void list_showsEachImageOnce_withItsTagsDigestsSizeAndLabels() {
    JsonNode list = api.get("/images/json").json();

    assertThat(list).hasSize(3);
    JsonNode alpine =
        list.findParents("Id").stream()
            .filter(i -> i.path("Id").asText().equals("sha256:c1"))
            .findFirst()
            .orElseThrow();
    // In the short form Docker lists them in.
    assertThat(alpine.path("RepoTags").toString()).isEqualTo("[\"alpine:3\"]");
    assertThat(alpine.path("RepoDigests").toString()).isEqualTo("[\"alpine@sha256:m1\"]");
    assertThat(alpine.path("Created").asLong()).isEqualTo(1767323045L);
    assertThat(alpine.path("Size").asLong()).isEqualTo(123);
    assertThat(alpine.path("VirtualSize").asLong()).as("docker-java 3.4 reads it").isEqualTo(123);
    assertThat(alpine.path("Labels").path("maintainer").asText()).isEqualTo("me");
    JsonNode unnamed =
        list.findParents("Id").stream()
            .filter(i -> i.path("Id").asText().equals("sha256:c3"))
            .findFirst()
            .orElseThrow();
    assertThat(unnamed.path("RepoTags")).isEmpty();
    assertThat(unnamed.path("Created").asLong()).as("an unreadable date is the epoch").isZero();
    assertThat(unnamed.path("Labels").isObject()).isTrue();
  }

  @Test
  void list_byReference_matchesTheNameAndTheTagIfGiven() {
    String byName = URLEncoder.encode("{\"reference\":[\"alpine\"]}", StandardCharsets.UTF_8);
    String byTag = URLEncoder.encode("{\"reference\":[\"alpine:4\"]}", StandardCharsets.UTF_8);
    String other =
        URLEncoder.encode("{\"reference\":[\"registry:5000/team/app\"]}", StandardCharsets.UTF_8);

    assertThat(api.get("/images/json?filters=" + byName).json().findValuesAsText("Id"))
        .containsExactly("sha256:c1");
    assertThat(api.get("/images/json?filters=" + byTag).json()).isEmpty();
    assertThat(api.get("/images/json?filters=" + other).json().findValuesAsText("Id"))
        .containsExactly("sha256:c2");
  }

  @Test
  void list_dangling_showsTheImagesWithoutATag_orOnlyTheNamed() {
    engine.with(image("sha256:m4", "sha256:c4", "{}"), "docker.io/library/pinned@sha256:m4");
    String dangling = URLEncoder.encode("{\"dangling\":[\"true\"]}", StandardCharsets.UTF_8);
    String named = URLEncoder.encode("{\"dangling\":[\"false\"]}", StandardCharsets.UTF_8);

    // A digest reference is no tag: such an image is dangling, as dockerd lists it, yet named.
    assertThat(api.get("/images/json?filters=" + dangling).json().findValuesAsText("Id"))
        .containsExactlyInAnyOrder("sha256:c3", "sha256:c4");
    assertThat(api.get("/images/json?filters=" + named).json().findValuesAsText("Id"))
        .containsExactlyInAnyOrder("sha256:c1", "sha256:c2", "sha256:c4");
  }

  @Test
  void inspect_takesANameWithRegistryPortAndSlashes() {
    ApiClient.Answer a = api.get("/v1.41/images/" + APP + "/json");

    assertThat(a.status()).isEqualTo(200);
    JsonNode i = a.json();
    assertThat(i.path("Id").asText()).isEqualTo("sha256:c2");
    assertThat(i.path("RepoTags").toString()).isEqualTo("[\"" + APP + "\"]");
    assertThat(i.path("Size").asLong()).isEqualTo(5);
    assertThat(i.path("VirtualSize").asLong()).isEqualTo(5);
    assertThat(i.path("Parent").asText("missing")).isEmpty();
    JsonNode alpine = api.get("/images/" + ALPINE + "/json").json();
    assertThat(alpine.path("Architecture").asText()).isEqualTo("amd64");
    assertThat(alpine.path("Os").asText()).isEqualTo("linux");
    assertThat(alpine.path("Created").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(alpine.path("Config").path("Cmd").toString()).isEqualTo("[\"sh\"]");
  }

  @Test
  void history_newestFirst_onlyTheNewestNamed_asDockerd() {
    engine.with(
        image(
            "sha256:m4",
            "sha256:c4",
            "{'history': [{'created': '2026-01-02T03:04:05Z', 'created_by': 'ADD rootfs /',"
                + " 'comment': 'imported'}, {'created': '2026-01-02T03:04:06Z',"
                + " 'created_by': 'ENV A=1', 'empty_layer': true}, {'created':"
                + " '2026-01-02T03:04:07Z', 'created_by': 'RUN make', 'comment': 'buildkit'}]}",
            300,
            40),
        "docker.io/team/built:1",
        "docker.io/team/built:latest",
        "docker.io/team/built@sha256:m4");
    // The newest layer is unpacked here: its content's size; the other only stored.
    engine.diffSizes.put("sha256:d1", 1234L);

    ApiClient.Answer a = api.get("/v1.41/images/docker.io/team/built:1/history");

    assertThat(a.status()).isEqualTo(200);
    JsonNode h = a.json();
    assertThat(h).hasSize(3);
    assertThat(h.get(0).toString())
        .isEqualTo(
            "{\"Id\":\"sha256:c4\",\"Created\":1767323047,\"CreatedBy\":\"RUN make\","
                + "\"Tags\":[\"team/built:1\",\"team/built:latest\"],\"Size\":1234,"
                + "\"Comment\":\"buildkit\"}");
    assertThat(h.get(1).toString())
        .isEqualTo(
            "{\"Id\":\"<missing>\",\"Created\":1767323046,\"CreatedBy\":\"ENV A=1\","
                + "\"Tags\":null,\"Size\":0,\"Comment\":\"\"}");
    assertThat(h.get(2).path("Size").asLong()).isEqualTo(300);
    assertThat(h.get(2).path("Comment").asText()).isEqualTo("imported");
  }

  @Test
  void history_ofNoSuchImage_is404_andOfMoreEntriesThanLayers_anError() {
    engine.with(
        image("sha256:m5", "sha256:c5", "{'history': [{'created_by': 'RUN a'}, {}]}", 1),
        "docker.io/team/bad:1");

    assertThat(api.get("/images/nothing:here/history").status()).isEqualTo(404);
    ApiClient.Answer bad = api.get("/images/docker.io/team/bad:1/history");
    assertThat(bad.status()).isEqualTo(500);
    assertThat(bad.json().path("message").asText())
        .isEqualTo(
            "image sha256:c5 has more non-empty entries in its history than layers (1): the"
                + " image is malformed");
  }

  @Test
  void inspect_ofNoSuchImage_is404() {
    ApiClient.Answer a = api.get("/images/nope:1/json");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.message()).isEqualTo("No such image: nope:1");
  }

  private static ImageStore.Image unnamed(String n, String created, long layerSize) {
    try {
      return new ImageStore.Image(
          "sha256:m" + n,
          "sha256:c" + n,
          List.of(new ImageStore.Layer("sha256:x" + n, "tar+gzip", layerSize)),
          List.of("sha256:dx" + n),
          Exchange.JSON.readTree("{\"created\": \"" + created + "\"}"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> deleted(ApiClient.Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    a.json()
        .get("ImagesDeleted")
        .forEach(
            e -> e.properties().forEach(p -> out.add(p.getKey() + " " + p.getValue().asText())));
    return out;
  }

  @Test
  void prune_takesTheImagesWithoutAName_thatNoContainerIsMadeFrom() {
    engine
        .with(unnamed("4", "2026-01-02T03:04:05Z", 700), "@sha256:m4")
        .with(unnamed("5", "2026-01-02T03:04:05Z", 900), "@sha256:m5")
        // A digest reference is no tag: dangling too, as dockerd counts it.
        .with(unnamed("6", "2026-01-02T03:04:05Z", 300), "docker.io/library/pinned@sha256:m6");
    engine.inUse.add("sha256:c5");

    ApiClient.Answer a = api.post("/v1.41/images/prune");

    assertThat(deleted(a))
        .containsExactlyInAnyOrder(
            "Deleted sha256:c3",
            "Deleted sha256:c4",
            "Untagged docker.io/library/pinned@sha256:m6",
            "Deleted sha256:c6");
    assertThat(a.json().get("SpaceReclaimed").asLong()).isEqualTo(700 + 300);
    assertThat(engine.tags()).containsKeys(ALPINE, APP, "@sha256:m5");
  }

  @Test
  void prune_withDanglingFalse_takesNamedImagesToo_nameByName_ofItsFilters() {
    ApiClient.Answer labelled =
        api.post(
            "/v1.41/images/prune?filters="
                + ApiClient.filters("{'dangling':['false'],'label':['maintainer=me']}"));

    assertThat(deleted(labelled))
        .containsExactly(
            "Untagged " + ALPINE,
            "Untagged docker.io/library/alpine@sha256:m1",
            "Deleted sha256:c1");
    // Its second layer is its own; its first (sha256:l0) is also APP's, which stays.
    assertThat(labelled.json().get("SpaceReclaimed").asLong()).isEqualTo(23);

    // APP and the unnamed image say not when they were made: an until keeps them, as dockerd's.
    ApiClient.Answer until =
        api.post(
            "/v1.41/images/prune?filters="
                + ApiClient.filters("{'dangling':['false'],'until':['1h']}"));
    assertThat(deleted(until)).isEmpty();
    assertThat(engine.tags()).containsOnlyKeys(APP, "@sha256:m3");

    ApiClient.Answer refused =
        api.post("/v1.41/images/prune?filters=" + ApiClient.filters("{'name':['x']}"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message()).startsWith("invalid filter 'name' for image prune");
  }

  @Test
  void remove_answersWhatWasUntagged_thenWhatWasDeleted() {
    engine.removal =
        new ImageRemoval(
            List.of(APP, "registry:5000/team/app@sha256:m2"), Optional.of("sha256:c2"));

    ApiClient.Answer a = api.delete("/images/" + APP + "?force=1");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().toString())
        .isEqualTo(
            "[{\"Untagged\":\""
                + APP
                + "\"},"
                + "{\"Untagged\":\"registry:5000/team/app@sha256:m2\"},"
                + "{\"Deleted\":\"sha256:c2\"}]");
    assertThat(engine.calls).containsExactly("remove " + APP + " force=true");
  }

  @Test
  void remove_ofANameTheImageKeepsOthersOf_deletesNothing() {
    engine.removal = new ImageRemoval(List.of(ALPINE), Optional.empty());

    ApiClient.Answer a = api.delete("/images/alpine:3");

    assertThat(a.json().toString()).isEqualTo("[{\"Untagged\":\"" + ALPINE + "\"}]");
    assertThat(engine.calls).containsExactly("remove alpine:3 force=false");
  }

  @Test
  void remove_ofNoSuchImage_is404_andOfOneInUse409() {
    ApiClient.Answer missing = api.delete("/images/nope");
    engine.removalFailure = new EngineException.Conflict("image is used by container web");
    ApiClient.Answer conflict = api.delete("/images/alpine");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.message()).isEqualTo("No such image: nope");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.message()).isEqualTo("image is used by container web");
  }

  @Test
  void pull_streamsTheProgress_thenDockersLastStatus() {
    engine.progress =
        List.of(
            new RegistryClient.Progress("abc123", "Downloading", 10, 100),
            new RegistryClient.Progress("abc123", "Pull complete", -1, -1));

    ApiClient.Answer a = api.post("/images/create?fromImage=alpine&tag=3");

    assertThat(a.status()).isEqualTo(200);
    List<JsonNode> lines = lines(a);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).toString())
        .isEqualTo(
            "{\"id\":\"abc123\",\"status\":\"Downloading\","
                + "\"progressDetail\":{\"current\":10,\"total\":100}}");
    assertThat(lines.get(1).has("progressDetail")).isFalse();
    assertThat(lines.get(2).path("status").asText())
        .isEqualTo("Status: Downloaded newer image for " + ALPINE);
    assertThat(engine.calls).containsExactly("pull " + ALPINE);
  }

  @Test
  void pull_aDigestTag_pullsByDigest() {
    String digest = "sha256:" + "ab".repeat(32);

    api.post("/images/create?fromImage=alpine&tag=" + digest);

    assertThat(engine.calls).containsExactly("pull docker.io/library/alpine@" + digest);
  }

  @Test
  void pull_thatFailsPartWay_endsTheStreamWithAnErrorObject() {
    engine.progress = List.of(new RegistryClient.Progress("l0", "Downloading", 1, 10));
    engine.pullFailure = new EngineException.NotFound("manifest unknown: alpine:9");

    ApiClient.Answer a = api.post("/images/create?fromImage=alpine&tag=9");

    assertThat(a.status()).as("the head went before the failure").isEqualTo(200);
    JsonNode last = lines(a).get(lines(a).size() - 1);
    assertThat(last.path("error").asText()).isEqualTo("manifest unknown: alpine:9");
    assertThat(last.path("errorDetail").path("message").asText())
        .isEqualTo("manifest unknown: alpine:9");
  }

  @Test
  void pull_thatFailsBeforeAnyProgress_isAnsweredWithItsStatus_asDockerd() {
    engine.pullFailure = new EngineException.NotFound("manifest unknown: alpine:9");

    ApiClient.Answer a = api.post("/images/create?fromImage=alpine&tag=9");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.message()).isEqualTo("manifest unknown: alpine:9");
  }

  @Test
  void pull_withoutFromImage_is400() {
    ApiClient.Answer a = api.post("/images/create?fromSrc=-");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("fromSrc").contains("not supported");
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void load_streamsTheArchive_andNamesWhatItLoaded() {
    engine.loaded =
        List.of(
            new ImageArchives.Loaded(ImageReference.parse("alpine:3"), "sha256:m1"),
            new ImageArchives.Loaded(null, "sha256:m3"));

    ApiClient.Answer a =
        api.send(
            HttpRequest.postStream(
                "/images/load?quiet=1",
                "application/x-tar",
                new ByteArrayInputStream(new byte[70_000])));

    assertThat(a.status()).isEqualTo(200);
    assertThat(lines(a))
        .extracting(l -> l.path("stream").asText())
        .containsExactly("Loaded image: alpine:3\n", "Loaded image ID: sha256:c3\n");
    assertThat(engine.calls).containsExactly("load 70000 bytes");
  }

  @Test
  void commit_passesItsParameters_andAnswers201WithTheNewId() {
    ApiClient.Answer a =
        api.post("/v1.41/commit?container=web&repo=team/app&tag=2&comment=fixed&author=me&pause=0");

    assertThat(a.status()).isEqualTo(201);
    assertThat(a.json().path("Id").asText()).isEqualTo("sha256:committed");
    assertThat(engine.calls)
        .containsExactly("commit web as team/app:2 comment=fixed author=me pause=false");

    api.post("/commit?container=web");
    assertThat(engine.calls.get(1))
        .as("no name, and a running container is paused by default")
        .isEqualTo("commit web as null comment=null author=null pause=true");
  }

  @Test
  void commit_withoutAContainer_is400_andItsChangesGoToTheEngine() {
    ApiClient.Answer none = api.post("/commit?repo=x");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().path("message").asText()).contains("container");
    assertThat(engine.calls).isEmpty();

    ApiClient.Answer changes =
        api.post("/commit?container=web&changes=CMD%20x&changes=ENV%20A%3D1&pause=false");
    assertThat(changes.status()).isEqualTo(201);
    assertThat(engine.calls)
        .containsExactly(
            "commit web as null comment=null author=null changes=[CMD x, ENV A=1] pause=false");
  }

  @Test
  void save_streamsTheArchiveOfTheNamedImages_andAnUnknownOneIs404() {
    ApiClient.Answer both = api.get("/images/get?names=" + ALPINE + "&names=" + APP);
    assertThat(both.status()).isEqualTo(200);
    assertThat(both.text()).isEqualTo("archive of 2");
    ApiClient.Answer one = api.get("/v1.41/images/" + APP + "/get");
    assertThat(one.text()).isEqualTo("archive of 1");

    ApiClient.Answer unknown = api.get("/images/get?names=nope:1");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("message").asText()).contains("nope:1");
    assertThat(engine.calls).hasSize(2);
  }

  @Test
  void list_byLabel_keepsTheImagesWithTheLabel() {
    String label = URLEncoder.encode("{\"label\":[\"maintainer=me\"]}", StandardCharsets.UTF_8);
    String absent = URLEncoder.encode("{\"label\":[\"maintainer=you\"]}", StandardCharsets.UTF_8);

    assertThat(api.get("/images/json?filters=" + label).json().findValuesAsText("Id"))
        .containsExactly("sha256:c1");
    assertThat(api.get("/images/json?filters=" + absent).json()).isEmpty();
  }

  @Test
  void tag_namesTheImage_andAnUnknownOneIs404() {
    ApiClient.Answer a = api.post("/v1.41/images/" + APP + "/tag?repo=team/other&tag=2");

    assertThat(a.status()).isEqualTo(201);
    assertThat(engine.tags).containsEntry("docker.io/team/other:2", "sha256:m2");
    assertThat(api.post("/images/nope:1/tag?repo=x").status()).isEqualTo(404);
    assertThat(api.post("/images/" + APP + "/tag").status()).as("no repo").isEqualTo(400);
  }

  @Test
  void push_streamsItsProgress_thenTheDigest_andAnImageNotHereFailsInTheStream() {
    List<JsonNode> lines = lines(api.post("/images/registry:5000/team/app/push?tag=1"));

    assertThat(lines.get(0).path("status").asText())
        .isEqualTo("The push refers to repository [registry:5000/team/app]");
    assertThat(lines.get(1).path("status").asText()).isEqualTo("Pushed");
    assertThat(lines.get(2).path("status").asText()).isEqualTo("1: digest: sha256:pushed");
    assertThat(lines.get(3).path("aux").path("Digest").asText()).isEqualTo("sha256:pushed");
    assertThat(engine.calls).containsExactly("push " + APP);

    ApiClient.Answer missing = api.post("/images/registry:5000/team/none/push?tag=1");
    assertThat(missing.status()).isEqualTo(200);
    List<JsonNode> failed = lines(missing);
    assertThat(failed.get(failed.size() - 1).path("error").asText())
        .isEqualTo("An image does not exist locally with the tag: registry:5000/team/none");
  }

  @Test
  void registryCredentials_ofTheClient_goWithPullAndPush_andLoginChecksThem() {
    // As the docker CLI sends them: URL-safe base64 of the AuthConfig JSON.
    String auth =
        java.util.Base64.getUrlEncoder()
            .encodeToString(
                "{\"username\":\"ann\",\"password\":\"pw\",\"serveraddress\":\"registry:5000\"}"
                    .getBytes(StandardCharsets.UTF_8));
    api.send(
        HttpRequest.post("/images/create?fromImage=alpine&tag=3")
            .withHeader("X-Registry-Auth", auth));
    api.send(
        HttpRequest.post("/images/registry:5000/team/app/push?tag=1")
            .withHeader("X-Registry-Auth", auth));
    // "{}" is what clients send when they have none.
    api.send(
        HttpRequest.post("/images/create?fromImage=alpine&tag=3")
            .withHeader(
                "X-Registry-Auth",
                java.util.Base64.getUrlEncoder()
                    .encodeToString("{}".getBytes(StandardCharsets.UTF_8))));
    assertThat(engine.calls)
        .containsExactly(
            "pull " + ALPINE + " as ann", "push registry:5000/team/app:1 as ann", "pull " + ALPINE);

    ApiClient.Answer bad =
        api.send(
            HttpRequest.post("/images/create?fromImage=alpine")
                .withHeader("X-Registry-Auth", "%%%"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).startsWith("X-Registry-Auth is not base64");

    ApiClient.Answer ok =
        api.post(
            "/auth",
            "{\"username\":\"ann\",\"password\":\"pw\",\"serveraddress\":\"registry:5000\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("Status").asText()).isEqualTo("Login Succeeded");
    ApiClient.Answer refused =
        api.post(
            "/auth",
            "{\"username\":\"ann\",\"password\":\"wrong\",\"serveraddress\":\"registry:5000\"}");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.message())
        .startsWith("unauthorized: the registry refused the credentials of ann");
    assertThat(refused.message()).doesNotContain("wrong");
  }
}
