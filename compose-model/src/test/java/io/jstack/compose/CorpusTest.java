package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real compose file of the shared corpus loads, and its config output reloads equal. */
class CorpusTest {
  @TempDir Path tmp;

  static Stream<Path> corpus() throws IOException {
    Path root = Fixtures.shared().resolve("corpus");
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> list =
          files
              .filter(p -> p.getFileName().toString().matches("(docker-)?compose\\.ya?ml"))
              .sorted()
              .toList();
      assertThat(list).hasSizeGreaterThan(50);
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void loadsAndReloadsEqual(Path file) throws IOException {
    // The awesome-compose READMEs ask the user to set these; plex's volume spec is invalid without
    // one (":/media/"), in Docker Compose as here.
    Map<String, String> env = Map.of("HOME", "/home/user", "PLEX_MEDIA_PATH", "/srv/media");
    LoadedProject first =
        ComposeLoader.load(ProjectOptions.of(List.of(file), env, file.getParent()));
    assertThat(first.project().services()).isNotEmpty();

    String yaml = ProjectWriter.yaml(first.project());
    Path out = tmp.resolve("compose.yaml");
    Files.writeString(out, yaml);
    LoadedProject second =
        ComposeLoader.load(
            ProjectOptions.of(List.of(out), env, tmp).withProjectDirectory(file.getParent()));
    assertThat(second.project()).isEqualTo(first.project());
  }
}
