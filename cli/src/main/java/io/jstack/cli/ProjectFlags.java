package io.jstack.cli;

import io.jstack.compose.ProjectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags that select a project; given before the verb, as Docker Compose takes them. */
public final class ProjectFlags {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Compose file; repeat to merge several ('-' reads standard input).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-p", "--project-name"},
      paramLabel = "NAME",
      description = "Project name.")
  @Nullable String projectName;

  @Option(
      names = "--project-directory",
      paramLabel = "DIR",
      description = "Project directory (default: the first compose file's directory).")
  @Nullable Path projectDirectory;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Environment file for interpolation; repeatable (default: .env).")
  List<Path> envFiles = new ArrayList<>();

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "Enable a profile; repeatable.")
  List<String> profiles = new ArrayList<>();

  /**
   * The loader options these flags select for {@code caller}, relative to its directory; {@code -f
   * -} reads {@code stdin}.
   */
  ProjectOptions toOptions(io.jstack.cli.internal.Caller caller, InputStream stdin) {
    ProjectOptions o =
        ProjectOptions.of(files, caller.environment(), caller.workdir())
            .withProjectName(projectName)
            .withProjectDirectory(projectDirectory)
            .withEnvFiles(envFiles)
            .withProfiles(profiles);
    if (files.stream().anyMatch(f -> f.toString().equals("-"))) {
      try {
        o = o.withStdin(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return o;
  }
}
