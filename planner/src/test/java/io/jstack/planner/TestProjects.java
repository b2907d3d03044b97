package io.jstack.planner;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Projects for tests: a Compose file written to a directory and loaded as the CLI loads it. */
public final class TestProjects {
  private TestProjects() {}

  /** {@code yaml} as {@code dir/compose.yaml}, loaded (HOME is {@code /root}). */
  public static Project load(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    return ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
        .project();
  }
}
