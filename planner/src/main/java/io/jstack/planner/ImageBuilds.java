package io.jstack.planner;

import io.jstack.compose.BuildConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Builds the images of services with {@code build:}, before a plan is made: with {@code --build}
 * every such service, otherwise only those whose image is missing (as Docker Compose does).
 */
public final class ImageBuilds {
  private ImageBuilds() {}

  /** The services of {@code selected} that need building. */
  public static List<Service> needed(
      Project project, Engine engine, Set<String> selected, boolean always) {
    List<Service> out = new ArrayList<>();
    for (String name : selected) {
      Service s = project.services().get(name);
      if (s == null || s.build() == null) {
        continue;
      }
      if (always
          || "build".equals(s.pullPolicy())
          || engine.image(ContainerSpecs.imageOf(project, s)).isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The build of {@code s}. */
  public static BuildSpec spec(
      Project project, Service s, boolean noCache, boolean pull, Map<String, String> extraArgs) {
    BuildConfig b = s.build();
    if (b == null) {
      throw new IllegalArgumentException("service \"" + s.name() + "\" has no build:");
    }
    if (Paths.isRemote(b.context())) {
      throw new PlanException(
          "service \""
              + s.name()
              + "\" builds from a remote context ("
              + b.context()
              + "), which jstack cannot"
              + " send yet: build it with docker build, or use a local directory");
    }
    List<String> tags = new ArrayList<>();
    tags.add(ContainerSpecs.imageOf(project, s));
    b.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
    Map<String, String> args = new LinkedHashMap<>();
    b.args()
        .forEach(
            (k, v) -> {
              if (v != null) {
                args.put(k, v);
              }
            });
    args.putAll(extraArgs);
    Map<String, String> labels = new LinkedHashMap<>(b.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.SERVICE, s.name());
    return new BuildSpec(
        Path.of(b.context()),
        b.dockerfileInline() != null ? null : b.dockerfile(),
        b.dockerfileInline(),
        tags,
        args,
        b.target(),
        labels,
        noCache || b.noCache(),
        pull || b.pull(),
        b.network(),
        b.shmSize() == null ? null : b.shmSize().bytes(),
        b.extraHosts(),
        s.platform(),
        secrets(project, b),
        b.cacheFrom());
  }

  /**
   * The build's secrets from files, by the id a Dockerfile mounts them with: the reference's
   * target, else the secret's name, as compose gives them to BuildKit.
   *
   * @throws PlanException when a build secret is not a file one
   */
  private static Map<String, Path> secrets(Project project, BuildConfig b) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (io.jstack.compose.FileReference r : b.secrets()) {
      io.jstack.compose.FileObject o = project.secrets().get(r.source());
      if (o == null || o.file() == null) {
        throw new PlanException(
            "build secret "
                + r.source()
                + " is not a file secret: jstack gives a build only secrets from files; declare it"
                + " with file: under the top-level secrets");
      }
      out.put(r.target() != null ? r.target() : r.source(), Path.of(o.file()).toAbsolutePath());
    }
    return out;
  }

  /**
   * Builds each of {@code services} in turn; {@code output} gets each service's name and each line
   * of its build's output.
   */
  public static void build(
      Engine engine,
      Project project,
      List<Service> services,
      boolean noCache,
      boolean pull,
      Map<String, String> extraArgs,
      BiConsumer<String, String> output) {
    for (Service s : services) {
      engine.buildImage(
          spec(project, s, noCache, pull, extraArgs), line -> output.accept(s.name(), line));
    }
  }

  /** Remote contexts, as compose's own loader recognises them. */
  private static final class Paths {
    static boolean isRemote(String context) {
      return context.contains("://")
          || context.startsWith("git@")
          || context.startsWith("github.com/");
    }
  }
}
