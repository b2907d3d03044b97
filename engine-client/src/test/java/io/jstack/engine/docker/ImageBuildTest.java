package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.BuildSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query of {@code POST /build} a build spec becomes. */
class ImageBuildTest {
  private static BuildSpec spec(Map<String, Path> secrets) {
    return spec(secrets, List.of());
  }

  private static BuildSpec spec(Map<String, Path> secrets, List<String> cacheFrom) {
    return new BuildSpec(
        Path.of("/ctx"),
        null,
        null,
        List.of("app:1"),
        Map.of(),
        null,
        Map.of(),
        false,
        false,
        null,
        null,
        List.of(),
        null,
        secrets,
        cacheFrom);
  }

  @Test
  void secrets_goAsJstacksExtensionParameter_withAbsolutePaths() {
    String q = ImageBuild.query(spec(Map.of("npmrc", Path.of("/home/me/.npmrc"))), "Dockerfile");

    assertThat(URLDecoder.decode(q, StandardCharsets.UTF_8))
        .contains("&jstack-secrets={\"npmrc\":\"/home/me/.npmrc\"}");
  }

  @Test
  void noSecrets_noParameter() {
    assertThat(ImageBuild.query(spec(Map.of()), "Dockerfile")).doesNotContain("jstack-secrets");
  }

  @Test
  void cacheFrom_goesAsTheClassicProtocolsJsonArray_andNotWhenEmpty() {
    String q = ImageBuild.query(spec(Map.of(), List.of("app:cache", "app:old")), "Dockerfile");

    assertThat(URLDecoder.decode(q, StandardCharsets.UTF_8))
        .contains("&cachefrom=[\"app:cache\",\"app:old\"]");
    assertThat(ImageBuild.query(spec(Map.of()), "Dockerfile")).doesNotContain("cachefrom");
  }
}
