package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack scale}: runs the given number of containers of each named service (Docker Compose's
 * {@code scale}), as {@code up -d --scale SERVICE=NUM SERVICE} does: the services they depend on
 * are brought up too unless {@code --no-deps}; other services are left alone.
 */
@Command(
    name = "scale",
    description = "Scale services.",
    footer = {"", "Example:", "  jstack scale web=3 worker=0"})
final class ScaleCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "SERVICE=REPLICAS",
      arity = "1..*",
      description = "How many containers of each service to run.")
  List<String> replicas = new ArrayList<>();

  @Option(names = "--no-deps", description = "Do not start the services they depend on.")
  boolean noDeps;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Map<String, Integer> scale = ConvergeRun.scales(this, "scale", replicas);
    List<String> services = List.copyOf(scale.keySet());
    LoadedProject loaded = load();
    requireServices(loaded, services);
    UpOptions options =
        new UpOptions(
            services, false, false, noDeps, false, false, scale, null, false, null, false);
    return ConvergeRun.run(
        this,
        loaded,
        options,
        new ConvergeRun.Settings(false, false, dryRun, PlanFormat.Kind.TEXT, 0),
        engine -> Jstack.EXIT_OK);
  }
}
