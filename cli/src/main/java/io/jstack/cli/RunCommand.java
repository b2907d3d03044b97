package io.jstack.cli;

import io.jstack.cli.internal.Tty;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.ImageInfo;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.ImageBuilds;
import io.jstack.planner.Plan;
import io.jstack.planner.ServiceGraph;
import io.jstack.planner.UpOptions;
import io.jstack.planner.step.PullImage;
import io.jstack.runtime.ProjectLock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack run}: a one-off container of a service, with its dependencies up. */
@Command(
    name = "run",
    description = "Run a one-off command in a new container of a service.",
    footer = {
      "",
      "Examples:",
      "  jstack run --rm web sh",
      "  jstack run --rm -T migrate ./migrate.sh up",
      "  jstack run -d --name debug -e DEBUG=1 web sh -c 'sleep 600'"
    })
final class RunCommand extends ProjectCommand implements Callable<Integer>, OwnProcess {
  @Override
  public String whyOwnProcess() {
    return "run attaches the process's input and terminal";
  }

  @Mixin ProcessOptions process = new ProcessOptions();

  @Option(names = "--rm", description = "Remove the container when it exits.")
  boolean remove;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "A label; repeatable.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--entrypoint",
      paramLabel = "CMD",
      description = "Override the image's entrypoint.")
  @Nullable String entrypoint;

  @Option(names = "--name", paramLabel = "NAME", description = "The container's name.")
  @Nullable String name;

  @Option(
      names = {"-p", "--publish"},
      paramLabel = "[IP:]HOST:CONTAINER",
      description = "Publish a port; repeatable.")
  List<String> publish = new ArrayList<>();

  @Option(names = "--service-ports", description = "Publish the service's own ports.")
  boolean servicePorts;

  @Option(names = "--no-deps", description = "Do not start the services it depends on.")
  boolean noDeps;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service.")
  String service;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      description = "Command and arguments (default: the service's).")
  List<String> command = new ArrayList<>();

  @Override
  @SuppressWarnings("try") // The lock is used by holding it.
  public Integer call() throws Exception {
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    // requireServices made sure it is there.
    Service s = Objects.requireNonNull(loaded.project().services().get(service));
    Engine engine = engine();
    try {
      if (!noDeps) {
        Set<String> deps = ServiceGraph.of(loaded.project()).withDependencies(List.of(service));
        deps.remove(service);
        if (!deps.isEmpty()) {
          // Only bringing the dependencies up changes the project's shared containers and
          // networks; the one-off container has a name of its own.
          try (ProjectLock lock = lock(loaded)) {
            Plan up =
                planner(engine, loaded).up(UpOptions.defaults().withServices(List.copyOf(deps)));
            int code = runPlan(engine, up, 0);
            if (code != Jstack.EXIT_OK) {
              return code;
            }
          }
        }
      }
      String image = ContainerSpecs.imageOf(loaded.project(), s);
      if (engine.image(image).isEmpty()) {
        if (s.build() != null) {
          BuildCommand.build(
              engine,
              loaded,
              ImageBuilds.needed(loaded.project(), engine, Set.of(service), false),
              false,
              false,
              Map.of(),
              false,
              out());
        } else {
          runPlan(
              engine,
              new Plan(
                  List.of(
                      new io.jstack.planner.Operation(
                          1, new PullImage(image, false), service, "image not present", List.of())),
                  List.of()),
              0);
        }
      }
      String imageId = engine.image(image).map(ImageInfo::id).orElse(null);
      String containerName =
          name != null
              ? name
              : loaded.project().name()
                  + "-"
                  + service
                  + "-run-"
                  + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
      // As Docker Compose: attached, its input is jstack's.
      try (Tty tty = process.terminal()) {
        ContainerSpec spec =
            ContainerSpecs.oneOff(
                loaded.project(),
                s,
                imageId,
                io.jstack.planner.ContainerSpecs.Origin.of(loaded),
                new ContainerSpecs.OneOff(
                    containerName,
                    command.isEmpty() ? null : command,
                    entrypoint == null ? null : List.of(entrypoint),
                    process.env,
                    process.user,
                    process.workdir,
                    servicePorts,
                    ports(),
                    keyValues(labels, "--label"),
                    !process.detach,
                    tty != null));
        String id = engine.createContainer(spec);
        if (process.detach) {
          engine.startContainer(id);
          out().println(containerName);
          return Jstack.EXIT_OK;
        }
        try {
          return engine.startAttached(id, stdio(tty));
        } finally {
          if (remove) {
            engine.removeContainer(id, true, false);
          }
        }
      }
    } finally {
      close(engine);
    }
  }

  private List<ContainerSpec.PortBinding> ports() {
    List<ContainerSpec.PortBinding> out = new ArrayList<>();
    for (String p : publish) {
      String[] parts = p.split(":");
      try {
        String[] target = parts[parts.length - 1].split("/");
        out.add(
            new ContainerSpec.PortBinding(
                parts.length == 3 ? parts[0] : null,
                parts.length >= 2 ? parts[parts.length - 2] : null,
                Integer.parseInt(target[0]),
                target.length > 1 ? target[1] : "tcp"));
      } catch (RuntimeException e) {
        throw new ParameterException(
            spec.commandLine(), "-p takes [IP:]HOST:CONTAINER[/PROTOCOL], not " + p);
      }
    }
    return out;
  }

  private Map<String, String> keyValues(List<String> values, String flag) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), flag + " takes KEY=VALUE, not " + v);
      }
      m.put(v.substring(0, eq), v.substring(eq + 1));
    }
    return m;
  }
}
