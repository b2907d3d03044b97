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
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
        fromFiles = read(dotEnv, process, fromFiles);
      }
    } else {
      for (Path f : envFiles) {
        if (!Files.exists(f)) {
          throw new ComposeException("env file " + f + " not found: check the --env-file path");
        }
        fromFiles = read(f, process, fromFiles);
      }
    }
    Map<String, String> env = new LinkedHashMap<>(fromFiles);
    env.putAll(process);
    return env;
  }

  /**
   * {@code earlier} (the variables of the env files read before) overridden by those of {@code
   * file}. {@code ${VAR}} resolves from {@code process}, then from {@code earlier} as this file has
   * updated it so far, as compose-go reads a list of env files into one map.
   */
  static Map<String, String> read(
      Path file, Map<String, String> process, Map<String, String> earlier) {
    return read(file, earlier, name -> Optional.ofNullable(process.get(name)));
  }

  /** As {@link #read(Path, Map, Map)}, with {@code lookup} consulted before the files. */
  static Map<String, String> read(
      Path file, Map<String, String> earlier, Function<String, Optional<String>> lookup) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ComposeException("cannot read env file " + file + ": " + e.getMessage());
    }
    try {
      return DotEnv.parse(text, earlier, lookup, name -> {});
    } catch (DotEnvException e) {
      throw new ComposeException(
          new io.jstack.compose.SourceLocation(file.toString(), e.line(), 1),
          "",
          String.valueOf(e.getMessage()));
    }
  }

  static boolean isTrue(@Nullable String v) {
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
  }
}
