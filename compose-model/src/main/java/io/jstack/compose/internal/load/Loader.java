package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectNames;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import io.jstack.compose.internal.bind.Binder;
import io.jstack.compose.internal.yaml.YNode;
import io.jstack.compose.internal.yaml.YNodes;
import io.jstack.compose.internal.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Loads a project: finds the files, builds the environment, then for each file parses,
 * interpolates, rewrites short syntax and resolves includes; merges the files; resolves extends;
 * applies profiles; normalises; binds to records; validates.
 */
public final class Loader {
  static final List<String> DEFAULT_FILES =
      List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");

  private final ProjectOptions options;
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> unsetVariables = new TreeSet<>();

  /**
   * Each file's documents as parsed, by its name and text: the project's name is read from the
   * files before they are loaded under it, and both use one parse.
   */
  private final Map<String, List<YNode>> parsed = new java.util.HashMap<>();

  private Loader(ProjectOptions options) {
    this.options = options;
  }

  /** Loads the project {@code options} select. */
  public static LoadedProject load(ProjectOptions options) {
    return new Loader(options).run();
  }

  /** A loaded document before binding, for {@code config --no-normalize}. */
  public record Model(YNode.Map document, LoadedProject project) {}

  /** Loads the project and keeps the merged document as it was before normalisation. */
  public static Model loadModel(ProjectOptions options) {
    Loader loader = new Loader(options);
    LoadedProject p = loader.run();
    return new Model(Objects.requireNonNull(loader.merged, "run() sets merged"), p);
  }

  private YNode.@Nullable Map merged;

  /**
   * The name {@link #load} gives the project {@code options} select, read from the options, the
   * environment and the files' {@code name:} (else the project directory's), without loading it.
   *
   * @throws ComposeException when it is not a valid project name, or none can be derived
   */
  public static String projectName(ProjectOptions options) {
    Naming naming = new Loader(options).naming();
    if (naming.name().isEmpty()) {
      throw emptyName(naming.projectDir());
    }
    return naming.name();
  }

  /**
   * The project named by {@code options} ({@code -p}, else {@code COMPOSE_PROJECT_NAME}, also from
   * {@code .env}) when they name no compose file and none is found: that project with nothing in
   * it; empty when there are compose files, or no name.
   *
   * @throws ComposeException when the name given is not a valid project name
   */
  public static java.util.Optional<LoadedProject> withoutFiles(ProjectOptions options) {
    Path cwd = options.workingDirectory().toAbsolutePath().normalize();
    Path projectDir =
        options.projectDirectory() != null
            ? cwd.resolve(options.projectDirectory()).normalize()
            : cwd;
    List<Path> envFiles = options.envFiles().stream().map(cwd::resolve).toList();
    Map<String, String> env = Environment.resolve(options.environment(), envFiles, projectDir);
    if (ComposeFiles.named(options.files(), env) || !ComposeFiles.found(projectDir).isEmpty()) {
      return java.util.Optional.empty();
    }
    String name = emptyToNull(options.projectName());
    if (name == null) {
      name = emptyToNull(env.get("COMPOSE_PROJECT_NAME"));
    }
    if (name == null) {
      return java.util.Optional.empty();
    }
    String problem = ProjectNames.problem(name);
    if (!problem.isEmpty()) {
      throw new ComposeException(problem);
    }
    return java.util.Optional.of(
        new LoadedProject(
            new Project(name, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of()),
            projectDir,
            List.of(),
            env,
            Set.of(),
            Map.of(),
            List.of()));
  }

  /** Where a project is, what it is called, and what it loads with. */
  private record Naming(
      Path cwd,
      Map<String, String> env,
      List<Path> files,
      Path projectDir,
      Set<String> profiles,
      String name) {}

  private Naming naming() {
    Path cwd = options.workingDirectory().toAbsolutePath().normalize();
    Map<String, String> process = options.environment();
    Path provisionalDir =
        options.projectDirectory() != null
            ? cwd.resolve(options.projectDirectory()).normalize()
            : cwd;
    List<Path> envFiles = options.envFiles().stream().map(cwd::resolve).toList();

    // COMPOSE_FILE may come from .env in the working directory, so look there first.
    Map<String, String> env = Environment.resolve(process, envFiles, provisionalDir);
    List<Path> files = ComposeFiles.select(options.files(), env, cwd, provisionalDir);
    Path projectDir =
        options.projectDirectory() != null
            ? provisionalDir
            : files.get(0).toString().equals("-") ? cwd : ComposeFiles.folderOf(files.get(0));
    if (!projectDir.equals(provisionalDir)) {
      env = Environment.resolve(process, envFiles, projectDir);
    }

    Set<String> profiles = new LinkedHashSet<>(options.profiles());
    String fromEnv = env.get("COMPOSE_PROFILES");
    if (fromEnv != null) {
      for (String p : fromEnv.split(",")) {
        if (!p.isBlank()) {
          profiles.add(p.trim());
        }
      }
    }

    // The name comes first, as in compose-go, so that files can use ${COMPOSE_PROJECT_NAME}
    // whichever way it is given. An empty name (-p "", COMPOSE_PROJECT_NAME=) is no name.
    String name = emptyToNull(options.projectName());
    if (name == null) {
      name = emptyToNull(env.get("COMPOSE_PROJECT_NAME"));
    }
    if (name != null) {
      String problem = ProjectNames.problem(name);
      if (!problem.isEmpty()) {
        throw new ComposeException(problem);
      }
    } else {
      name = nameFromFiles(files, cwd, env);
    }
    if (name == null) {
      // Refused only once the files are read, so that an empty file says so first.
      name =
          ProjectNames.normalize(
              projectDir.getFileName() == null ? "" : projectDir.getFileName().toString());
    }
    return new Naming(cwd, env, files, projectDir, profiles, name);
  }

  private static ComposeException emptyName(Path projectDir) {
    return new ComposeException(
        "project name must not be empty: none can be derived from the directory "
            + projectDir
            + ": give one with -p NAME or a top-level name:");
  }

  private LoadedProject run() {
    Naming naming = naming();
    Path cwd = naming.cwd();
    Map<String, String> env = naming.env();
    List<Path> files = naming.files();
    Path projectDir = naming.projectDir();
    Set<String> profiles = naming.profiles();
    String name = naming.name();
    Map<String, String> interpolationEnv = new LinkedHashMap<>(env);
    interpolationEnv.put("COMPOSE_PROJECT_NAME", name);

    YNode.Map doc = null;
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      String display = display(f, cwd);
      names.add(f.toString().equals("-") ? "-" : f.toAbsolutePath().normalize().toString());
      YNode.Map one =
          new FileLoader(this, interpolationEnv).file(f, display, projectDir, new ArrayList<>());
      doc = doc == null ? one : Merger.documents(doc, one);
    }
    // ComposeFiles.select gives at least one file.
    doc = (YNode.Map) Merger.stripTags(Objects.requireNonNull(doc));

    if (name.isEmpty()) {
      throw emptyName(projectDir);
    }
    doc = Nodes.with(doc, "name", YNodes.string(name, doc.locationOf("name")));
    this.merged = doc;

    YNode.Map normalized = new Normalizer(name, projectDir, env, warnings).document(doc);
    // A mapping binds to a record, never to null.
    Project all = Objects.requireNonNull(Binder.bind(normalized, Project.class, ""));
    Set<String> disabledNames = Profiles.disabled(all.services().values(), profiles);
    Map<String, Service> active = new LinkedHashMap<>();
    Map<String, Service> disabled = new LinkedHashMap<>();
    all.services().forEach((k, v) -> (disabledNames.contains(k) ? disabled : active).put(k, v));
    Project project = all.withServices(active);
    Validator.validate(project, normalized, doc, disabled);
    for (String v : unsetVariables) {
      warnings.add("The \"" + v + "\" variable is not set. Defaulting to a blank string.");
    }
    return new LoadedProject(project, projectDir, names, env, profiles, disabled, warnings);
  }

  /**
   * The top-level {@code name:} of the files (the last one set wins), interpolated, or {@code null}
   * when none sets one.
   *
   * @throws ComposeException when it is not a valid project name
   */
  private @Nullable String nameFromFiles(List<Path> files, Path cwd, Map<String, String> env) {
    String name = null;
    YNode.Map at = null;
    for (Path f : files) {
      String display = display(f, cwd);
      String text =
          f.toString().equals("-")
              ? options.stdin() == null ? "" : options.stdin()
              : Files.isRegularFile(f) ? read(f) : "";
      for (YNode d : documents(display, text)) {
        YNode n = d instanceof YNode.Map m ? m.get("name") : null;
        if (n != null && YNode.text(n) != null) {
          if (options.interpolate()) {
            n = new Interpolation(env, unsetVariables).apply(n, "name");
          }
          String value = YNode.text(n);
          if (value != null && !value.isEmpty()) {
            name = value;
            at = (YNode.Map) d;
          }
        }
      }
    }
    if (name != null) {
      String problem = ProjectNames.problem(name);
      if (!problem.isEmpty()) {
        throw new ComposeException(at == null ? null : at.locationOf("name"), "name", problem);
      }
    }
    return name;
  }

  /** The YAML documents of the file named {@code display} whose text is {@code text}. */
  List<YNode> documents(String display, String text) {
    return parsed.computeIfAbsent(display + '\n' + text, k -> YamlReader.readAll(display, text));
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  void warn(String message) {
    warnings.add(message);
  }

  Set<String> unsetVariables() {
    return unsetVariables;
  }

  ProjectOptions options() {
    return options;
  }

  static String display(Path f, Path cwd) {
    if (f.toString().equals("-")) {
      return "-";
    }
    Path abs = cwd.resolve(f).normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ComposeException("cannot read " + f + ": " + e.getMessage());
    }
  }

  /** Reads, interpolates and canonicalises one file, with its includes merged in. */
  static final class FileLoader {
    private final Loader loader;
    private final Map<String, String> env;

    FileLoader(Loader loader, Map<String, String> env) {
      this.loader = loader;
      this.env = env;
    }

    YNode.Map file(Path f, String display, Path projectDir, List<Path> chain) {
      String text;
      if (f.toString().equals("-")) {
        text = loader.options.stdin() == null ? "" : loader.options.stdin();
      } else {
        Path abs = f.toAbsolutePath().normalize();
        if (chain.contains(abs)) {
          throw new ComposeException(
              "include cycle detected: "
                  + String.join(" -> ", chain.stream().map(Path::toString).toList())
                  + " -> "
                  + abs);
        }
        if (!Files.isRegularFile(abs)) {
          throw new ComposeException(
              "compose file " + display + " not found: check the -f path or the include path");
        }
        text = read(abs);
      }
      YNode.Map doc = parse(text, display);
      doc = Includes.apply(doc, f, projectDir, loader, env, chain);
      return Extends.resolve(doc, loader, env, projectDir);
    }

    YNode.Map parse(String text, String display) {
      List<YNode> docs = loader.documents(display, text);
      YNode.Map merged = null;
      if (docs.isEmpty() || docs.stream().allMatch(Nodes::isNull)) {
        throw new ComposeException(
            new io.jstack.compose.SourceLocation(display, 1, 1),
            "",
            "empty compose file: add a services: section");
      }
      for (YNode d : docs) {
        if (Nodes.isNull(d)) {
          continue;
        }
        if (!(d instanceof YNode.Map m)) {
          throw Nodes.error(
              d, "", "a compose file must be a mapping at the top, not " + YNode.describe(d));
        }
        if (m.get("version") != null) {
          loader.warn(
              display
                  + ": the attribute `version` is obsolete, it will be ignored, please remove it"
                  + " to avoid potential confusion");
          m = Nodes.without(m, "version");
        }
        if (loader.options.interpolate()) {
          m = (YNode.Map) new Interpolation(env, loader.unsetVariables).apply(m, "");
        }
        m = Merger.enforceUnicity(Canonical.document(m));
        merged = merged == null ? m : Merger.enforceUnicity(Merger.documents(merged, m));
      }
      return merged == null
          ? YNode.Map.empty(new io.jstack.compose.SourceLocation(display, 1, 1))
          : merged;
    }
  }
}
