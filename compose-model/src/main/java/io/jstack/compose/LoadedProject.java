package io.jstack.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded project and what the loader learnt on the way.
 *
 * @param project the canonical model; services disabled by profiles are not in it
 * @param workingDirectory the project directory every relative path was resolved against
 * @param configFiles the compose files read, in order ({@code -} for standard input)
 * @param environment the variables interpolation used: the process environment over the env files
 * @param profiles the active profiles
 * @param disabledServices services left out because none of their profiles is active
 * @param warnings things the user should know but that do not stop loading
 */
public record LoadedProject(
    Project project,
    Path workingDirectory,
    List<String> configFiles,
    Map<String, String> environment,
    Set<String> profiles,
    Map<String, Service> disabledServices,
    List<String> warnings) {
  public LoadedProject {
    configFiles = List.copyOf(configFiles);
    environment = Map.copyOf(environment);
    profiles = Set.copyOf(profiles);
    disabledServices = Values.sortedMap(disabledServices);
    warnings = List.copyOf(warnings);
  }

  /**
   * Whether it was named without compose files ({@link ComposeLoader#withoutFiles}): what an engine
   * has of it is all there is of it.
   */
  public boolean withoutFiles() {
    return configFiles.isEmpty();
  }
}
