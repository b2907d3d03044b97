package io.jstack.cli;

import io.jstack.planner.PlanFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * What {@code up} and {@code create} share (a picocli mixin): what to build or pull first, which
 * containers to make again, how many of each service, and whether only to print the plan.
 */
final class ConvergeOptions {
  @Option(names = "--build", description = "Build images first.")
  boolean build;

  @Option(names = "--no-build", description = "Do not build missing images.")
  boolean noBuild;

  @Option(names = "--force-recreate", description = "Recreate containers even if nothing changed.")
  boolean forceRecreate;

  @Option(
      names = "--no-recreate",
      description = "Keep existing containers even if their configuration changed.")
  boolean noRecreate;

  @Option(names = "--pull", paramLabel = "always|missing|never", description = "Pull images first.")
  @Nullable String pull;

  @Option(
      names = "--remove-orphans",
      description = "Remove containers of services no longer in the files.")
  boolean removeOrphans;

  @Option(
      names = "--scale",
      paramLabel = "SERVICE=NUM",
      description = "Make NUM containers of SERVICE.")
  List<String> scale = new ArrayList<>();

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  /**
   * The {@code --scale} counts, once the options are checked together.
   *
   * @throws picocli.CommandLine.ParameterException (a usage error) for {@code --force-recreate}
   *     with {@code --no-recreate}, an unknown {@code --pull} or a malformed {@code --scale}
   */
  Map<String, Integer> scales(ProjectCommand command) {
    ConvergeRun.checkRecreate(command, forceRecreate, noRecreate);
    ConvergeRun.checkPull(command, pull);
    return ConvergeRun.scales(command, "--scale", scale);
  }

  /** How {@link ConvergeRun} runs with these options, the plan printed as {@code format}. */
  ConvergeRun.Settings settings(PlanFormat.Kind format, int parallel) {
    return new ConvergeRun.Settings(build, noBuild, dryRun, format, parallel);
  }
}
