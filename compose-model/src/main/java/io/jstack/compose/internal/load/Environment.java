package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import io.jstack.compose.internal.interpolation.DotEnv;
import io.jstack.compose.internal.interpolation.DotEnvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The variables a project is interpolated with: the process environment over its env files. */
final class Environment {
  private Environment() {}

  /**
   * The process environment {@code process} over the variables of {@code envFiles} (later files
   * over earlier); when {@code envFiles} is empty, {@code .env} in {@code projectDir} is used if it
   * exists, unless {@code COMPOSE_DISABLE_ENV_FILE} is true.
   */
  static Map<String, String> resolve(
      Map<String, String> process, List<Path> envFiles, Path projectDir) {
    Map<String, String> fromFiles = new LinkedHashMap<>();
    if (envFiles.isEmpty()) {
      Path dotEnv = projectDir.resolve(".env");
      if (!isTrue(process.get("COMPOSE_DISABLE_ENV_FILE")) && Files.isRegularFile(dotEnv)) {
        fromFiles.putAll(read(dotEnv, process, fromFiles));
      }
    } else {
      for (Path f : envFiles) {
        if (!Files.exists(f)) {
          throw new ComposeException("env file " + f + " not found: check the --env-file path");
        }
        fromFiles.putAll(read(f, process, fromFiles));
      }
    }
    Map<String, String> env = new LinkedHashMap<>(fromFiles);
    env.putAll(process);
    return env;
  }

  /** The variables of one env file; {@code ${VAR}} sees the process, then earlier files. */
  static Map<String, String> read(
      Path file, Map<String, String> process, Map<String, String> earlier) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ComposeException("cannot read env file " + file + ": " + e.getMessage());
    }
    try {
      return DotEnv.parse(
          text,
          name ->
              Optional.ofNullable(process.get(name))
                  .or(() -> Optional.ofNullable(earlier.get(name))));
    } catch (DotEnvException e) {
      throw new ComposeException(
          new io.jstack.compose.SourceLocation(file.toString(), e.line(), 1), "", e.getMessage());
    }
  }

  static boolean isTrue(String v) {
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
  }
}
