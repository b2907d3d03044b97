package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.http.HttpRequest;
import io.jstack.runtime.build.BuildRequest;
import io.jstack.runtime.build.DockerfileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /build} over a fake builder: the query decoded, the answer streamed as dockerd's. */
class BuildRoutesTest {
  @TempDir Path dir;

  private final FakeBuilds builds = new FakeBuilds();
  private ApiClient api;

  @BeforeEach
  void serve() {
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, null, null, null, null, null, builds));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A builder that records what it was asked and prints two lines. */
  private static final class FakeBuilds implements BuildService {
    BuildRequest request;
    byte[] context;
    RuntimeException failure;

    @Override
    public String build(
        InputStream ctx, Function<Path, BuildRequest> r, Consumer<String> progress) {
      try {
        context = ctx.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      request = r.apply(Path.of("/ctx"));
      progress.accept("Step 1/1 : FROM busybox\n");
      if (failure != null) {
        throw failure;
      }
      progress.accept("Successfully built 0123456789ab\n");
      return "sha256:0123456789ab";
    }

    Path inPlace;

    @Override
    public String buildInPlace(
        Path context, Function<Path, BuildRequest> r, Consumer<String> progress) {
      inPlace = context;
      request = r.apply(context);
      progress.accept("Step 1/1 : FROM busybox\n");
      return "sha256:0123456789ab";
    }
  }

  private ApiClient.Answer build(String query) {
    return api.send(
        HttpRequest.postStream(
            "/build" + query,
            "application/x-tar",
            new ByteArrayInputStream("tar bytes".getBytes(StandardCharsets.UTF_8))));
  }

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

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void build_decodesTheQuery_andStreamsTheSteps_thenTheId() {
    ApiClient.Answer a =
        build(
            "?t=app:1&t=app:latest&dockerfile=build/App.Dockerfile&target=final&networkmode=none"
                + "&nocache=1"
                + "&buildargs="
                + enc("{\"V\":\"2\",\"UNSET\":null}")
                + "&labels="
                + enc("{\"team\":\"core\"}")
                + "&pull=1&platform=linux/amd64&cachefrom="
                + enc("[\"app:cache\"]"));

    assertThat(a.status()).isEqualTo(200);
    assertThat(new String(builds.context, StandardCharsets.UTF_8)).isEqualTo("tar bytes");
    assertThat(builds.request)
        .isEqualTo(
            new BuildRequest(
                Path.of("/ctx"),
                "build/App.Dockerfile",
                java.util.Map.of("V", "2"),
                "final",
                java.util.Map.of("team", "core"),
                List.of("app:1", "app:latest"),
                "none",
                true,
                true,
                "linux/amd64",
                List.of("app:cache"),
                java.util.Map.of()));
    assertThat(lines(a))
        .extracting(JsonNode::toString)
        .containsExactly(
            "{\"stream\":\"Step 1/1 : FROM busybox\\n\"}",
            "{\"stream\":\"Successfully built 0123456789ab\\n\"}",
            "{\"id\":\"moby.image.id\",\"aux\":{\"ID\":\"sha256:0123456789ab\"}}");
  }

  @Test
  void build_jstackSecrets_giveTheRequestItsSecretFiles() throws IOException {
    Path npmrc = java.nio.file.Files.writeString(dir.resolve(".npmrc"), "token");
    Path key = java.nio.file.Files.writeString(dir.resolve("key"), "key");
    build("?jstack-secrets=" + enc("{\"npmrc\":\"" + npmrc + "\",\"key\":\"" + key + "\"}"));

    assertThat(builds.request.secrets()).isEqualTo(java.util.Map.of("npmrc", npmrc, "key", key));
  }

  @Test
  void build_aSecretFileThatIsNotThere_isRefused() {
    ApiClient.Answer a =
        build("?jstack-secrets=" + enc("{\"npmrc\":\"" + dir.resolve("none") + "\"}"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("jstack-secrets: ").contains("cannot be read");
  }

  @Test
  void build_aRelativeSecretPath_isRefused() {
    ApiClient.Answer a = build("?jstack-secrets=" + enc("{\"npmrc\":\"npmrc\"}"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("secret npmrc must name an absolute path");
  }

  @Test
  void build_withoutOptions_takesDockersDefaults() {
    build("");

    assertThat(builds.request.dockerfile()).isEqualTo("Dockerfile");
    assertThat(builds.request.target()).isEmpty();
    assertThat(builds.request.tags()).isEmpty();
    assertThat(builds.request.networkMode()).isEqualTo("default");
    assertThat(builds.request.noCache()).isFalse();
    assertThat(builds.request.secrets()).isEmpty();
    assertThat(builds.request.pull()).isFalse();
    assertThat(builds.request.platform()).isEmpty();
    assertThat(builds.request.cacheFrom()).isEmpty();
  }

  @Test
  void build_quiet_sendsOnlyTheId() {
    assertThat(lines(build("?q=1")))
        .extracting(JsonNode::toString)
        .containsExactly(
            "{\"id\":\"moby.image.id\",\"aux\":{\"ID\":\"sha256:0123456789ab\"}}",
            "{\"stream\":\"sha256:0123456789ab\\n\"}");
  }

  @Test
  void build_aFailingStep_endsWithAnErrorNamingTheLine() {
    builds.failure =
        DockerfileException.at(3, "RUN exit 3 exited 3", "fix the command; its output is above");

    List<JsonNode> lines = lines(build("?t=app"));

    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("error").asText())
        .isEqualTo("Dockerfile:3: RUN exit 3 exited 3; fix the command; its output is above");
    assertThat(last.path("errorDetail").path("message").asText())
        .isEqualTo(last.path("error").asText());
  }

  @Test
  void build_badBuildArgs_isAnError() {
    ApiClient.Answer a = build("?buildargs=" + enc("[1,2]"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("buildargs must be a JSON object of strings");
  }

  @Test
  void build_aContextDirectory_isBuiltInPlace_andTheBodyIgnored() throws IOException {
    Path context = java.nio.file.Files.createDirectories(dir.resolve("ctx"));

    ApiClient.Answer a = build("?t=app&jstack-context=" + enc(context.toString()));

    assertThat(a.status()).isEqualTo(200);
    assertThat(builds.inPlace).isEqualTo(context);
    assertThat(builds.context).as("no tar was read").isNull();
    assertThat(builds.request.context()).isEqualTo(context);
    assertThat(builds.request.tags()).containsExactly("app");
    assertThat(lines(a).get(lines(a).size() - 1).path("aux").path("ID").asText())
        .isEqualTo("sha256:0123456789ab");
  }

  @Test
  void build_aContextDirectoryThatIsRelativeOrMissing_isRefused() {
    ApiClient.Answer relative = build("?jstack-context=ctx");
    ApiClient.Answer missing = build("?jstack-context=" + enc(dir.resolve("none").toString()));

    assertThat(relative.status()).isEqualTo(400);
    assertThat(relative.message()).contains("jstack-context must be an absolute directory");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.message()).contains("cannot be read on the engine's host");
    assertThat(builds.inPlace).isNull();
  }

  @Test
  void build_aRemoteContext_isNotSupported() {
    assertThat(build("?remote=" + enc("https://example.com/repo.git")).status()).isEqualTo(501);
  }
}
