package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project named without compose files (Docker Compose's {@code -p NAME down} where no file is):
 * the name from {@code -p}, else {@code COMPOSE_PROJECT_NAME} (also from {@code .env}); never where
 * a compose file is named or found, or no name is given.
 */
class WithoutFilesTest {
  @TempDir Path dir;

  private ProjectOptions options(Map<String, String> env) {
    return ProjectOptions.of(List.of(), env, dir);
  }

  @Test
  void aNameAndNoFile_isThatProject_empty() {
    LoadedProject p =
        ComposeLoader.withoutFiles(options(Map.of()).withProjectName("shop")).orElseThrow();
    assertThat(p.project().name()).isEqualTo("shop");
    assertThat(p.project().services()).isEmpty();
    assertThat(p.configFiles()).isEmpty();
    assertThat(p.workingDirectory()).isEqualTo(dir);
  }

  @Test
  void theNameMayComeFromTheEnvironment_orDotEnv_andMinusPGoesFirst() throws Exception {
    assertThat(ComposeLoader.withoutFiles(options(Map.of("COMPOSE_PROJECT_NAME", "fromenv"))))
        .hasValueSatisfying(p -> assertThat(p.project().name()).isEqualTo("fromenv"));
    Files.writeString(dir.resolve(".env"), "COMPOSE_PROJECT_NAME=fromdotenv\n");
    assertThat(ComposeLoader.withoutFiles(options(Map.of())))
        .hasValueSatisfying(p -> assertThat(p.project().name()).isEqualTo("fromdotenv"));
    assertThat(ComposeLoader.withoutFiles(options(Map.of()).withProjectName("given")))
        .hasValueSatisfying(p -> assertThat(p.project().name()).isEqualTo("given"));
  }

  @Test
  void noName_orAFileNamedOrFound_isNone() throws Exception {
    assertThat(ComposeLoader.withoutFiles(options(Map.of()))).isEmpty();
    assertThat(ComposeLoader.withoutFiles(options(Map.of()).withProjectName(""))).isEmpty();
    assertThat(
            ComposeLoader.withoutFiles(
                ProjectOptions.of(List.of(Path.of("other.yaml")), Map.of(), dir)
                    .withProjectName("shop")))
        .isEmpty();
    assertThat(
            ComposeLoader.withoutFiles(
                options(Map.of("COMPOSE_FILE", "other.yaml")).withProjectName("shop")))
        .isEmpty();
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
    assertThat(
            ComposeLoader.withoutFiles(
                ProjectOptions.of(List.of(), Map.of(), sub).withProjectName("shop")))
        .as("a file in a parent folder is found")
        .isEmpty();
  }

  @Test
  void anInvalidName_isRefused() {
    assertThatThrownBy(
            () -> ComposeLoader.withoutFiles(options(Map.of()).withProjectName("Not Valid!")))
        .isInstanceOf(ComposeException.class)
        .hasMessageContaining("Not Valid!");
  }
}
