package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's build: its build secrets, by the id a Dockerfile mounts them with, and its {@code
 * cache_from}.
 */
class ImageBuildsTest {
  @TempDir Path dir;

  private Project load(String yaml) throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    return ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
        .project();
  }

  @Test
  void buildSecrets_fromFiles_areGivenByTargetElseName() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  secrets:
                    - npmrc
                    - source: key
                      target: deploy_key
            secrets:
              npmrc:
                file: ./npmrc.txt
              key:
                file: /etc/key.pem
            """);

    assertThat(ImageBuilds.spec(p, p.services().get("app"), false, false, Map.of()).secrets())
        .isEqualTo(
            Map.of("npmrc", dir.resolve("npmrc.txt"), "deploy_key", Path.of("/etc/key.pem")));
  }

  @Test
  void aBuildSecretFromTheEnvironment_isRefusedInOneLine() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  secrets: [token]
            secrets:
              token:
                environment: TOKEN
            """);

    assertThatThrownBy(() -> ImageBuilds.spec(p, p.services().get("app"), false, false, Map.of()))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "build secret token is not a file secret: jstack gives a build only secrets from"
                + " files; declare it with file: under the top-level secrets");
  }

  @Test
  void cacheFrom_isTheBuildsCacheFrom() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  cache_from: [registry.local/app:cache, app:previous]
            """);

    assertThat(ImageBuilds.spec(p, p.services().get("app"), false, false, Map.of()).cacheFrom())
        .containsExactly("registry.local/app:cache", "app:previous");
  }
}
