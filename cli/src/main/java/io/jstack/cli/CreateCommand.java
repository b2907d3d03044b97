package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack create}: what {@code up} does short of starting anything (Docker Compose's {@code
 * create}): images built or pulled, networks, volumes and containers made.
 */
@Command(
    name = "create",
    description = "Create containers for services, without starting them.",
    footer = {"", "Example:", "  jstack create && jstack start"})
final class CreateCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services (and their dependencies).")
  List<String> services = new ArrayList<>();

  @Option(names = "--build", description = "Build images before creating containers.")
  boolean build;

  @Option(names = "--no-build", description = "Do not build missing images.")
  boolean noBuild;

  @Option(names = "--force-recreate", description = "Recreate containers even if nothing changed.")
  boolean forceRecreate;

  @Option(
      names = "--no-recreate",
      description = "Keep existing containers even if their configuration changed.")
  boolean noRecreate;

  @Option(
      names = "--pull",
      paramLabel = "always|missing|never",
      description = "Pull images before creating.")
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

  @Option(
      names = {"-y", "--yes"},
      description = "Answer yes to questions (accepted as Docker Compose's; create asks none).")
  boolean yes;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    ConvergeRun.checkRecreate(this, forceRecreate, noRecreate);
    ConvergeRun.checkPull(this, pull);
    UpOptions options =
        new UpOptions(
            services,
            forceRecreate,
            noRecreate,
            false,
            true,
            removeOrphans,
            ConvergeRun.scales(this, "--scale", scale),
            pull,
            false,
            null,
            false);
    LoadedProject loaded = load();
    requireServices(loaded, services);
    return ConvergeRun.run(
        this,
        loaded,
        options,
        new ConvergeRun.Settings(build, noBuild, dryRun, PlanFormat.Kind.TEXT, 0),
        engine -> Jstack.EXIT_OK);
  }
}
