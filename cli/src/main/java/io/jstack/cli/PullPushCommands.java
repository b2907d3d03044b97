package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.compose.Service;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.planner.ContainerSpecs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pull} and {@code push}: move services' images between the engine and registries. */
final class PullPushCommands {
  private PullPushCommands() {}

  /** What both verbs share: which images, and going through them. */
  abstract static class Transfer extends ProjectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE", description = "Only these services (default: all).")
    List<String> services = new ArrayList<>();

    @Option(names = "--ignore-pull-failures", description = "Go on past an image that fails.")
    boolean ignoreFailures;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print nothing but errors.")
    boolean quiet;

    abstract String doing();

    abstract String done();

    /** Whether the service's image is one this verb moves. */
    abstract boolean applies(Service s);

    abstract void transfer(Engine engine, String image);

    @Override
    public Integer call() {
      LoadedProject loaded = load();
      requireServices(loaded, services);
      Set<String> images = new LinkedHashSet<>();
      for (Service s : loaded.project().services().values()) {
        if ((services.isEmpty() || services.contains(s.name())) && applies(s)) {
          images.add(ContainerSpecs.imageOf(loaded.project(), s));
        }
      }
      Engine engine = engine();
      try {
        for (String image : images) {
          if (!quiet) {
            out().println(" Image " + image + "  " + doing());
            out().flush();
          }
          try {
            transfer(engine, image);
            if (!quiet) {
              out().println(" Image " + image + "  " + done());
            }
          } catch (EngineException e) {
            err().println("jstack: " + e.getMessage());
            if (!ignoreFailures) {
              return Jstack.EXIT_FAILURE;
            }
          }
        }
        out().flush();
        return Jstack.EXIT_OK;
      } finally {
        close(engine);
      }
    }
  }

  @Command(name = "pull", description = "Pull services' images.")
  static final class Pull extends Transfer {
    @Override
    String doing() {
      return "Pulling";
    }

    @Override
    String done() {
      return "Pulled";
    }

    @Override
    boolean applies(Service s) {
      return s.image() != null && !"build".equals(s.pullPolicy());
    }

    @Override
    void transfer(Engine engine, String image) {
      engine.pullImage(image, p -> {});
    }
  }

  @Command(
      name = "push",
      description = "Push services' images (those with both build: and image:).")
  static final class Push extends Transfer {
    @Override
    String doing() {
      return "Pushing";
    }

    @Override
    String done() {
      return "Pushed";
    }

    @Override
    boolean applies(Service s) {
      return s.image() != null && s.build() != null;
    }

    @Override
    void transfer(Engine engine, String image) {
      engine.pushImage(image, p -> {});
    }
  }
}
