package io.jstack.compose;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared fixtures are: {@code -Djstack.shared.dir}, else {@code ../shared} of the repo.
 */
final class Fixtures {
  private Fixtures() {}

  static Path shared() {
    String prop = System.getProperty("jstack.shared.dir");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "shared fixtures not found at " + p.toAbsolutePath() + ": set -Djstack.shared.dir");
    }
    return p.toAbsolutePath().normalize();
  }
}
