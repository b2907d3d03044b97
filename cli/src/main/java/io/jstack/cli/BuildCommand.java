package io.jstack.cli;

import io.jstack.cli.internal.BuildSteps;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Service;
import io.jstack.engine.Engine;
import io.jstack.planner.ImageBuilds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack build}: build the images of services with {@code build:}. */
@Command(
    name = "build",
    description = "Build or rebuild services' images.",
    footer = {
      "",
      "Examples:",
      "  jstack build",
      "  jstack build --no-cache --build-arg VERSION=2 web"
    })
final class BuildCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Option(names = "--no-cache", description = "Do not use the build cache.")
  boolean noCache;

  @Option(names = "--pull", description = "Always pull newer base images.")
  boolean pull;

  @Option(
      names = "--build-arg",
      paramLabel = "KEY=VALUE",
      description = "A build argument; repeatable.")
  List<String> buildArgs = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing but errors.")
  boolean quiet;

  @Override
  public Integer call() {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "--build-arg takes KEY=VALUE, not " + a);
      }
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    LoadedProject loaded = load();
    for (String s : services) {
      if (!loaded.project().services().containsKey(s)) {
        throw new ParameterException(spec.commandLine(), "no such service: " + s);
      }
    }
    Engine engine = engine();
    try {
      var selected =
          new LinkedHashSet<>(services.isEmpty() ? loaded.project().services().keySet() : services);
      List<Service> toBuild = ImageBuilds.needed(loaded.project(), engine, selected, true);
      build(engine, loaded, toBuild, noCache, pull, args, quiet);
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }

  /**
   * Builds {@code services}, printing {@code Service web Building} and the build's output as it
   * comes, each step's time on the line that ends it ({@link BuildSteps}).
   */
  static void build(
      Engine engine,
      LoadedProject loaded,
      List<Service> services,
      boolean noCache,
      boolean pull,
      Map<String, String> args,
      boolean quiet,
      java.io.PrintWriter out) {
    for (Service s : services) {
      if (!quiet) {
        out.println(" Service " + s.name() + "  Building");
      }
      BuildSteps steps = new BuildSteps(s.name());
      ImageBuilds.build(
          engine,
          loaded.project(),
          List.of(s),
          noCache,
          pull,
          args,
          loaded.environment(),
          (service, line) -> {
            if (!quiet) {
              out.println(steps.render(line));
              out.flush();
            }
          });
      if (!quiet) {
        out.println(" Service " + s.name() + "  Built");
      }
      out.flush();
    }
  }

  private void build(
      Engine engine,
      LoadedProject loaded,
      List<Service> toBuild,
      boolean noCache,
      boolean pull,
      Map<String, String> args,
      boolean quiet) {
    build(engine, loaded, toBuild, noCache, pull, args, quiet, out());
  }
}
