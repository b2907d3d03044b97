package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ConvergeOptions converge = new ConvergeOptions();

  @Option(
      names = {"-y", "--yes"},
      description = "Answer yes to questions (accepted as Docker Compose's; create asks none).")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    UpOptions options =
        new UpOptions(
            services,
            converge.forceRecreate,
            converge.noRecreate,
            false,
            true,
            converge.removeOrphans,
            converge.scales(this),
            converge.pull,
            false,
            null,
            false);
    LoadedProject loaded = load();
    requireServices(loaded, services);
    return ConvergeRun.run(
        this,
        loaded,
        options,
        converge.settings(PlanFormat.Kind.TEXT, 0),
        engine -> Jstack.EXIT_OK);
  }
}
