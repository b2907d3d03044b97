package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthHeaderTest {
  @TempDir Path dir;

  private static String decoded(String header) {
    return new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theLoginOfTheImagesRegistry_fromDockerConfig() throws Exception {
    Files.writeString(
        dir.resolve("config.json"),
        "{\"auths\":{\"registry.example:5000\":{\"auth\":\""
            + basic("ann", "p:w")
            + "\"},\"https://index.docker.io/v1/\":{\"auth\":\""
            + basic("bob", "hub")
            + "\"}}}");
    Map<String, String> env = Map.of("DOCKER_CONFIG", dir.toString());
    assertThat(decoded(RegistryAuthHeader.forImage("registry.example:5000/team/app:1", env)))
        .isEqualTo(
            "{\"username\":\"ann\",\"password\":\"p:w\",\"serveraddress\":\"registry.example:5000\"}");
    assertThat(decoded(RegistryAuthHeader.forImage("busybox", env)))
        .contains("\"username\":\"bob\"")
        .contains("\"serveraddress\":\"docker.io\"");
    assertThat(decoded(RegistryAuthHeader.forImage("other.example/app", env))).isEqualTo("{}");
  }

  @Test
  void noConfig_orOneThatCannotBeRead_sendsAnEmptyObject() throws Exception {
    assertThat(decoded(RegistryAuthHeader.forImage("app", Map.of("DOCKER_CONFIG", dir.toString()))))
        .isEqualTo("{}");
    Files.writeString(dir.resolve("config.json"), "not json");
    assertThat(decoded(RegistryAuthHeader.forImage("app", Map.of("DOCKER_CONFIG", dir.toString()))))
        .isEqualTo("{}");
    // HOME is where ~/.docker is, without DOCKER_CONFIG.
    assertThat(decoded(RegistryAuthHeader.forImage("app", Map.of("HOME", dir.toString()))))
        .isEqualTo("{}");
  }
}
