package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which compose files a project is made of: {@code -f}, else {@code COMPOSE_FILE}, else found. */
final class ComposeFiles {
  static final List<String> OVERRIDE_FILES =
      List.of(
          "compose.override.yml",
          "compose.override.yaml",
          "docker-compose.override.yml",
          "docker-compose.override.yaml");

  private ComposeFiles() {}

  /** The folder that holds {@code file}, an absolute path; the root is its own folder. */
  static Path folderOf(Path file) {
    Path parent = file.getParent();
    return parent != null ? parent : file;
  }

  static List<Path> select(List<Path> given, Map<String, String> env, Path cwd, Path projectDir) {
    if (!given.isEmpty()) {
      List<Path> out = new ArrayList<>();
      for (Path p : given) {
        out.add(p.toString().equals("-") ? p : cwd.resolve(p).normalize());
      }
      return out;
    }
    String fromEnv = env.get("COMPOSE_FILE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      String sep = env.getOrDefault("COMPOSE_PATH_SEPARATOR", ":");
      List<Path> out = new ArrayList<>();
      for (String f : fromEnv.split(java.util.regex.Pattern.quote(sep))) {
        if (!f.isBlank()) {
          out.add(projectDir.resolve(f.trim()).normalize());
        }
      }
      return out;
    }
    List<Path> found = found(projectDir);
    if (!found.isEmpty()) {
      return found;
    }
    throw new ComposeException(
        "no configuration file provided: not found (looked for "
            + String.join(", ", Loader.DEFAULT_FILES)
            + " in "
            + projectDir
            + " and its parents; name one with -f FILE)");
  }

  /**
   * Whether compose files are named, by {@code -f} ({@code given}) or {@code COMPOSE_FILE} in
   * {@code env}, rather than looked for.
   */
  static boolean named(List<Path> given, Map<String, String> env) {
    String fromEnv = env.get("COMPOSE_FILE");
    return !given.isEmpty() || fromEnv != null && !fromEnv.isBlank();
  }

  /**
   * The compose file found in {@code projectDir} or the nearest of its parents that has one, with
   * the first override file beside it; none when no folder up to the root has one.
   */
  static List<Path> found(Path projectDir) {
    for (Path dir = projectDir; dir != null; dir = dir.getParent()) {
      for (String name : Loader.DEFAULT_FILES) {
        Path candidate = dir.resolve(name);
        if (Files.isRegularFile(candidate)) {
          List<Path> out = new ArrayList<>();
          out.add(candidate);
          // The first override file found, whatever the main file is called (compose-go
          // DefaultOverrideFileNames).
          for (String o : OVERRIDE_FILES) {
            Path override = dir.resolve(o);
            if (Files.isRegularFile(override)) {
              out.add(override);
              break;
            }
          }
          return out;
        }
      }
    }
    return List.of();
  }
}
