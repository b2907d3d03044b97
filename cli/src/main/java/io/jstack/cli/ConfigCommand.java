package io.jstack.cli;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.ConfigHash;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.ProjectWriter;
import io.jstack.compose.Service;
import io.jstack.planner.ServiceGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jstack config}: the project as jstack understands it, in canonical form. */
@Command(
    name = "config",
    description = "Parse, resolve and print the compose project in canonical form.",
    footer = {
      "",
      "Examples:",
      "  jstack config                      # the whole project as YAML",
      "  jstack -f a.yaml -f b.yaml config --format json",
      "  jstack config --services           # one service name per line",
      "  jstack config --hash '*'           # each service's configuration hash",
      "  jstack config --graph | dot -Tpng -o deps.png   # draw the dependencies",
      "  jstack config --graph --format mermaid web"
    })
final class ConfigCommand implements Callable<Integer> {
  enum Format {
    yaml,
    json,
    dot,
    mermaid
  }

  @Spec CommandSpec spec;
  @ParentCommand Jstack root;

  @Parameters(paramLabel = "SERVICE", description = "Only these services (and what they need).")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "yaml|json|dot|mermaid",
      description =
          "Output format: yaml (the default) or json; with --graph, dot (the default) or mermaid.")
  @Nullable Format format;

  @Option(
      names = "--graph",
      description =
          "Draw the services' dependency graph instead: an arrow from each service to those that"
              + " depend on it, labelled with the depends_on condition.")
  boolean graph;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only validate; print nothing.")
  boolean quiet;

  @Option(names = "--services", description = "Print the service names, one per line.")
  boolean listServices;

  @Option(names = "--volumes", description = "Print the volume names, one per line.")
  boolean listVolumes;

  @Option(names = "--networks", description = "Print the network names, one per line.")
  boolean listNetworks;

  @Option(names = "--profiles", description = "Print the profile names, one per line.")
  boolean listProfiles;

  @Option(names = "--images", description = "Print the image of each service, one per line.")
  boolean listImages;

  @Option(
      names = "--hash",
      paramLabel = "'*'|SERVICE",
      description = "Print the configuration hash of each named service ('*' for all).")
  @Nullable String hash;

  @Option(names = "--no-interpolate", description = "Do not substitute variables.")
  boolean noInterpolate;

  @Option(names = "--no-normalize", description = "Print the merged model before normalisation.")
  boolean noNormalize;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE.")
  @Nullable Path output;

  @Override
  public Integer call() {
    if (graph) {
      if (format == Format.yaml || format == Format.json) {
        throw new ParameterException(
            spec.commandLine(), "--graph draws as dot or mermaid, not " + format);
      }
      if (listServices
          || listVolumes
          || listNetworks
          || listProfiles
          || listImages
          || hash != null
          || noInterpolate
          || noNormalize) {
        throw new ParameterException(
            spec.commandLine(),
            "--graph draws the resolved project: drop --services, --volumes, --networks,"
                + " --profiles, --images, --hash, --no-interpolate and --no-normalize");
      }
    } else if (format == Format.dot || format == Format.mermaid) {
      throw new ParameterException(
          spec.commandLine(), "--format " + format + " draws a graph: add --graph");
    }
    ProjectOptions options =
        root.project.toOptions(root.caller(), root.stdin()).withInterpolation(!noInterpolate);
    if (listProfiles) {
      // Every profile counts, so that services needing a disabled one do not stop the listing.
      List<String> all = new ArrayList<>(options.profiles());
      all.add("*");
      options = options.withProfiles(all);
    }
    if (!noInterpolate && !noNormalize || quiet) {
      LoadedProject loaded = ComposeLoader.load(options);
      loaded.warnings().forEach(w -> spec.commandLine().getErr().println("jstack: warning: " + w));
      Project project = select(loaded.project());
      if (root.swarm()) {
        // What the stack would lose or be refused on a swarm, said before any manager is asked.
        List<String> refusals = io.jstack.planner.swarm.SwarmFeatures.refusals(project);
        io.jstack.planner.swarm.SwarmFeatures.warnings(project)
            .forEach(w -> spec.commandLine().getErr().println("jstack: warning: " + w));
        if (!refusals.isEmpty()) {
          refusals.forEach(r -> spec.commandLine().getErr().println("jstack: " + r));
          return Jstack.EXIT_FAILURE;
        }
      }
      if (quiet) {
        return Jstack.EXIT_OK;
      }
      if (graph) {
        ServiceGraph services = ServiceGraph.of(project);
        return emit(format == Format.mermaid ? services.mermaid() : services.dot());
      }
      String listing = listing(project, loaded);
      if (listing != null) {
        return emit(listing);
      }
      return emit(
          format == Format.json ? ProjectWriter.json(project) : ProjectWriter.yaml(project));
    }
    Object raw;
    if (noNormalize) {
      raw = ComposeLoader.loadUnnormalized(options);
    } else {
      raw = ComposeLoader.load(options).project();
    }
    boolean escape = !noInterpolate;
    return emit(
        format == Format.json ? ProjectWriter.json(raw, escape) : ProjectWriter.yaml(raw, escape));
  }

  private Project select(Project project) {
    if (services.isEmpty()) {
      return project;
    }
    for (String s : services) {
      if (!project.services().containsKey(s)) {
        throw new ParameterException(
            spec.commandLine(),
            "no such service: "
                + s
                + " (services: "
                + String.join(", ", project.services().keySet())
                + ")");
      }
    }
    var kept = new java.util.TreeMap<String, Service>();
    var todo = new ArrayList<>(services);
    while (!todo.isEmpty()) {
      String s = todo.remove(todo.size() - 1);
      Service svc = project.services().get(s);
      if (svc != null && kept.put(s, svc) == null) {
        todo.addAll(svc.dependsOn().keySet());
      }
    }
    return project.withServices(kept);
  }

  /** The text of a listing flag, or {@code null} when none was given. */
  private @Nullable String listing(Project project, LoadedProject loaded) {
    List<String> lines = new ArrayList<>();
    if (listServices) {
      lines.addAll(project.services().keySet());
    } else if (listVolumes) {
      lines.addAll(project.volumes().keySet());
    } else if (listNetworks) {
      lines.addAll(project.networks().keySet());
    } else if (listProfiles) {
      TreeSet<String> all = new TreeSet<>();
      project.services().values().forEach(s -> all.addAll(s.profiles()));
      loaded.disabledServices().values().forEach(s -> all.addAll(s.profiles()));
      lines.addAll(all);
    } else if (listImages) {
      project.services().values().forEach(s -> lines.add(imageOf(project, s)));
    } else if (hash != null) {
      if (hash.equals("*")) {
        project.services().values().forEach(s -> lines.add(s.name() + " " + ConfigHash.of(s)));
      } else {
        for (String name : hash.split(",")) {
          Service s = project.services().get(name.trim());
          if (s == null) {
            throw new ParameterException(spec.commandLine(), "no such service: " + name.trim());
          }
          lines.add(s.name() + " " + ConfigHash.of(s));
        }
      }
    } else {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  /** The image a service runs: its {@code image}, else the one {@code build} makes. */
  static String imageOf(Project project, Service s) {
    return s.image() != null ? s.image() : project.name() + "-" + s.name();
  }

  private int emit(String text) {
    if (output != null) {
      try {
        Files.writeString(root.caller().resolve(output), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
      }
      return Jstack.EXIT_OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return Jstack.EXIT_OK;
  }
}
