package io.jstack.planner;

import io.jstack.compose.BuildConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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

  /**
   * The build of {@code s}; its secrets given by an environment variable (of {@code environment},
   * the one the project was loaded with) are written to files below the directory {@code secretDir}
   * gives (asked for only then), which the caller removes after the build.
   *
   * @throws PlanException when a build secret is undefined, external, or names an unset variable
   */
  public static BuildSpec spec(
      Project project,
      Service s,
      boolean noCache,
      boolean pull,
      Map<String, String> extraArgs,
      Map<String, String> environment,
      Supplier<Path> secretDir) {
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
        secrets(project, b, environment, secretDir),
        b.cacheFrom());
  }

  /**
   * The build's secrets by the id a Dockerfile mounts them with (the reference's target, else the
   * secret's name, as compose gives them to BuildKit): a file secret's file, and for one given by
   * an environment variable a file below {@code secretDir} (readable by its owner only) holding the
   * variable's value, as BuildKit's {@code --secret id=ID,env=VAR} reads it.
   */
  private static Map<String, Path> secrets(
      Project project, BuildConfig b, Map<String, String> environment, Supplier<Path> secretDir) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (io.jstack.compose.FileReference r : b.secrets()) {
      io.jstack.compose.FileObject o = project.secrets().get(r.source());
      String id = r.target() != null ? r.target() : r.source();
      if (o != null && o.file() != null) {
        out.put(id, Path.of(o.file()).toAbsolutePath());
      } else if (o != null && o.environment() != null) {
        String value = environment.get(o.environment());
        if (value == null) {
          throw new PlanException(
              "build secret "
                  + r.source()
                  + " is the environment variable "
                  + o.environment()
                  + ", which is not set: set it, or declare the secret with file:");
        }
        out.put(id, written(secretDir.get(), id, value));
      } else {
        throw new PlanException(
            "build secret "
                + r.source()
                + (o == null ? " is not declared" : " is neither a file nor an environment secret")
                + ": declare it with file: or environment: under the top-level secrets");
      }
    }
    return out;
  }

  /** {@code value} in a new file of {@code dir} that only its owner may read. */
  private static Path written(Path dir, String id, String value) {
    try {
      Path file =
          Files.createTempFile(
              dir,
              "secret-",
              "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, value, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new PlanException(
          "cannot write build secret " + id + " for the build in " + dir + ": " + e.getMessage());
    }
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
      Map<String, String> environment,
      BiConsumer<String, String> output) {
    for (Service s : services) {
      SecretDir secretDir = new SecretDir();
      try {
        engine.buildImage(
            spec(project, s, noCache, pull, extraArgs, environment, secretDir::get),
            line -> output.accept(s.name(), line));
      } finally {
        secretDir.remove();
      }
    }
  }

  /**
   * The directory of one build's secret files, that only its owner may enter: made when the first
   * secret is written (a build without environment secrets makes none), named by this process's
   * pid. A process killed mid-build cannot remove its own, so each new one first removes those of
   * processes that no longer run.
   */
  static final class SecretDir {
    static final String PREFIX = "jstack-build-secrets-";
    private final Path parent;
    private @Nullable Path dir;

    SecretDir() {
      this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    SecretDir(Path parent) {
      this.parent = parent;
    }

    Path get() {
      if (dir == null) {
        removeThoseOfEndedProcesses(parent);
        try {
          dir =
              Files.createTempDirectory(
                  parent,
                  PREFIX + ProcessHandle.current().pid() + "-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
          throw new PlanException("cannot make a directory for build secrets: " + e.getMessage());
        }
      }
      return dir;
    }

    void remove() {
      if (dir != null) {
        try {
          delete(dir);
        } catch (IOException e) {
          throw new PlanException(
              "cannot remove the build's secrets in " + dir + ": " + e.getMessage());
        }
      }
    }

    /** Removes the secret directories in {@code parent} whose process no longer runs. */
    static void removeThoseOfEndedProcesses(Path parent) {
      try (java.util.stream.Stream<Path> all = Files.list(parent)) {
        for (Path d : all.toList()) {
          String name = d.getFileName().toString();
          if (!name.startsWith(PREFIX)) {
            continue;
          }
          long pid;
          try {
            pid = Long.parseLong(name.substring(PREFIX.length()).split("-", 2)[0]);
          } catch (NumberFormatException notOurs) {
            continue;
          }
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || !ownDirectory(d)) {
            continue;
          }
          try {
            delete(d);
          } catch (IOException e) {
            // Someone else's (another user's), or going already: not this build's to decide.
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // An unreadable temporary directory: the new directory's creation says so.
      }
    }

    /**
     * Whether {@code d} is a directory (not a link to one) of this process's user: in a directory
     * everyone may write to, anything else may be someone's bait, and in the sticky temporary
     * directory no one else can swap it for another while it is looked at.
     */
    private static boolean ownDirectory(Path d) {
      try {
        return Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.getAttribute(d, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }

    private static void delete(Path dir) throws IOException {
      try (java.util.stream.Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
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
