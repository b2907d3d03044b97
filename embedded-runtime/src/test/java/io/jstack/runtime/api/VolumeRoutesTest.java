package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VolumeRoutesTest {
  @TempDir Path dir;

  private final FakeVolumes engine =
      new FakeVolumes()
          .with("shop_data", Map.of("project", "shop", "volume", "data"))
          .with("shop_cache", Map.of("project", "shop"))
          .with("other", Map.of());

  private ApiClient api;

  @BeforeEach
  void serve() {
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, null, null, null, engine, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void list_answersDockersEnvelope_filteredByLabel() {
    String filter =
        URLEncoder.encode("{\"label\":[\"project=shop\",\"volume\"]}", StandardCharsets.UTF_8);

    JsonNode all = api.get("/volumes").json();
    JsonNode some = api.get("/volumes?filters=" + filter).json();

    assertThat(all.path("Volumes").findValuesAsText("Name"))
        .containsExactly("shop_data", "shop_cache", "other");
    assertThat(all.path("Warnings").isArray()).isTrue();
    assertThat(some.path("Volumes").findValuesAsText("Name")).containsExactly("shop_data");
    JsonNode v = some.path("Volumes").get(0);
    assertThat(v.path("Driver").asText()).isEqualTo("local");
    assertThat(v.path("Scope").asText()).isEqualTo("local");
    assertThat(v.path("Mountpoint").asText()).isEqualTo("/var/lib/jstack/volumes/shop_data/_data");
    assertThat(v.path("CreatedAt").asText()).isEqualTo(Fixtures.CREATED.toString());
    assertThat(v.path("Labels").path("volume").asText()).isEqualTo("data");
  }

  @Test
  void create_answers201WithTheVolume_namedAsAskedOrAnonymously() {
    ApiClient.Answer named =
        api.post("/volumes/create", "{'Name': 'logs', 'Driver': 'local', 'Labels': {'a': 'b'}}");
    ApiClient.Answer anonymous = api.post("/volumes/create", "{}");

    assertThat(named.status()).isEqualTo(201);
    assertThat(named.json().path("Name").asText()).isEqualTo("logs");
    assertThat(named.json().path("Labels").path("a").asText()).isEqualTo("b");
    assertThat(anonymous.status()).isEqualTo(201);
    assertThat(anonymous.json().path("Name").asText()).matches("[0-9a-f]{32}");
    assertThat(engine.calls.get(0)).isEqualTo("create logs {a=b}");
  }

  @Test
  void create_withAnotherDriver_is400() {
    ApiClient.Answer a = api.post("/volumes/create", "{'Name': 'n', 'Driver': 'nfs'}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message())
        .isEqualTo("volume driver nfs is not supported by the jstack engine (only local)");
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void inspect_answersTheVolume_or404() {
    ApiClient.Answer found = api.get("/volumes/other");
    ApiClient.Answer missing = api.get("/volumes/nope");

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().path("Name").asText()).isEqualTo("other");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.message()).isEqualTo("get nope: no such volume");
  }

  @Test
  void remove_is204_andOfAVolumeInUse409() {
    assertThat(api.delete("/volumes/other").status()).isEqualTo(204);
    engine.failure = new EngineException.Conflict("volume shop_data is in use by web");
    ApiClient.Answer inUse = api.delete("/volumes/shop_data");

    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.message()).isEqualTo("volume shop_data is in use by web");
    assertThat(engine.calls).containsExactly("remove other", "remove shop_data");
  }

  @Test
  void list_danglingNameAndDriverFilters_asDockers_andAnUnknownFilterIs400() {
    engine.inUse.add("shop_data");

    JsonNode dangling =
        api.get("/volumes?filters=" + ApiClient.filters("{\"dangling\":[\"true\"]}")).json();
    JsonNode used =
        api.get("/volumes?filters=" + ApiClient.filters("{\"dangling\":[\"false\"]}")).json();
    JsonNode named =
        api.get("/volumes?filters=" + ApiClient.filters("{\"name\":[\"shop\"]}")).json();
    JsonNode nfs =
        api.get("/volumes?filters=" + ApiClient.filters("{\"driver\":[\"nfs\"]}")).json();
    ApiClient.Answer unknown =
        api.get("/volumes?filters=" + ApiClient.filters("{\"colour\":[\"red\"]}"));

    assertThat(dangling.path("Volumes").findValuesAsText("Name"))
        .containsExactly("shop_cache", "other");
    assertThat(used.path("Volumes").findValuesAsText("Name")).containsExactly("shop_data");
    assertThat(named.path("Volumes").findValuesAsText("Name"))
        .containsExactly("shop_data", "shop_cache");
    assertThat(nfs.path("Volumes").findValuesAsText("Name")).isEmpty();
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.message())
        .isEqualTo("invalid filter 'colour' for volumes: use dangling, driver, label, name");
  }

  @Test
  void prune_removesUnusedAnonymousVolumes_orWithAllEveryUnusedOne_asDocker23() {
    engine.with("anon1", Map.of("com.docker.volume.anonymous", ""));
    engine.with("anon2", Map.of("com.docker.volume.anonymous", ""));
    engine.inUse.add("anon2");
    engine.inUse.add("shop_data");

    JsonNode anonymous = api.post("/volumes/prune", "{}").json();

    assertThat(anonymous.path("VolumesDeleted").toString()).isEqualTo("[\"anon1\"]");
    assertThat(anonymous.path("SpaceReclaimed").asLong()).isEqualTo("anon1".length());
    assertThat(engine.byName).containsOnlyKeys("shop_data", "shop_cache", "other", "anon2");

    JsonNode labelled =
        api.post(
                "/volumes/prune?filters="
                    + ApiClient.filters("{\"all\":[\"true\"],\"label\":[\"project=shop\"]}"),
                "{}")
            .json();
    assertThat(labelled.path("VolumesDeleted").toString()).isEqualTo("[\"shop_cache\"]");

    JsonNode all =
        api.post("/volumes/prune?filters=" + ApiClient.filters("{\"all\":[\"1\"]}"), "{}").json();
    assertThat(all.path("VolumesDeleted").toString()).isEqualTo("[\"other\"]");
    assertThat(engine.byName).containsOnlyKeys("shop_data", "anon2");
  }

  @Test
  void remove_withForce_ofAVolumeThatIsNotThere_is204_withoutIt404() {
    assertThat(api.delete("/volumes/nope?force=1").status()).isEqualTo(204);
    assertThat(api.delete("/volumes/nope").status()).isEqualTo(404);
  }
}
