package io.jstack.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What selects and shapes a project, as the {@code -f}, {@code -p}, {@code --project-directory},
 * {@code --env-file} and {@code --profile} flags and the environment give it.
 *
 * @param files compose files in order; empty means {@code COMPOSE_FILE} or the default names; a
 *     file named {@code -} is read from {@link #stdin}
 * @param projectName {@code -p}, or {@code null}
 * @param projectDirectory {@code --project-directory}, or {@code null} for the first file's folder
 * @param envFiles {@code --env-file} values; empty means {@code .env} in the project directory
 * @param profiles {@code --profile} values; {@code COMPOSE_PROFILES} adds to them
 * @param environment the process environment
 * @param workingDirectory where relative {@code -f} paths start (the caller's current directory)
 * @param interpolate substitute variables (off for {@code config --no-interpolate})
 * @param stdin the text of {@code -f -}, or {@code null}
 */
public record ProjectOptions(
    List<Path> files,
    @Nullable String projectName,
    @Nullable Path projectDirectory,
    List<Path> envFiles,
    List<String> profiles,
    Map<String, String> environment,
    Path workingDirectory,
    boolean interpolate,
    @Nullable String stdin) {
  public ProjectOptions {
    files = List.copyOf(files);
    envFiles = List.copyOf(envFiles);
    profiles = List.copyOf(profiles);
    environment = Map.copyOf(environment);
  }

  /** Options for the given files and environment, everything else defaulted. */
  public static ProjectOptions of(List<Path> files, Map<String, String> environment, Path cwd) {
    return new ProjectOptions(
        files, null, null, List.of(), List.of(), environment, cwd, true, null);
  }

  public ProjectOptions withProjectName(@Nullable String name) {
    return new ProjectOptions(
        files,
        name,
        projectDirectory,
        envFiles,
        profiles,
        environment,
        workingDirectory,
        interpolate,
        stdin);
  }

  public ProjectOptions withProjectDirectory(@Nullable Path dir) {
    return new ProjectOptions(
        files,
        projectName,
        dir,
        envFiles,
        profiles,
        environment,
        workingDirectory,
        interpolate,
        stdin);
  }

  public ProjectOptions withEnvFiles(List<Path> files2) {
    return new ProjectOptions(
        files,
        projectName,
        projectDirectory,
        files2,
        profiles,
        environment,
        workingDirectory,
        interpolate,
        stdin);
  }

  public ProjectOptions withProfiles(List<String> profiles2) {
    return new ProjectOptions(
        files,
        projectName,
        projectDirectory,
        envFiles,
        profiles2,
        environment,
        workingDirectory,
        interpolate,
        stdin);
  }

  public ProjectOptions withInterpolation(boolean on) {
    return new ProjectOptions(
        files,
        projectName,
        projectDirectory,
        envFiles,
        profiles,
        environment,
        workingDirectory,
        on,
        stdin);
  }

  public ProjectOptions withStdin(String text) {
    return new ProjectOptions(
        files,
        projectName,
        projectDirectory,
        envFiles,
        profiles,
        environment,
        workingDirectory,
        interpolate,
        text);
  }
}
