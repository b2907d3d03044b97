package io.jstack.compose.internal.load;

import static io.jstack.compose.internal.load.Nodes.child;

import io.jstack.compose.ComposeException;
import io.jstack.compose.internal.yaml.YNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code include:}: each entry is loaded as a project of its own (its own project
 * directory and env file, its paths made absolute there) and its resources are added to the
 * including document; a resource defined differently on both sides is an error.
 */
final class Includes {
  private static final List<String> SECTIONS =
      List.of("services", "networks", "volumes", "secrets", "configs", "models");

  private Includes() {}

  static YNode.Map apply(
      YNode.Map doc,
      Path file,
      Path projectDir,
      Loader loader,
      Map<String, String> env,
      List<Path> chain) {
    YNode include = doc.get("include");
    if (include == null) {
      return doc;
    }
    doc = Nodes.without(doc, "include");
    if (!(include instanceof YNode.Seq entries)) {
      throw Nodes.error(include, "include", "must be a list, not " + YNode.describe(include));
    }
    // Relative include paths and env files start from the including project's directory, as
    // every other relative path of that file does (compose-go resolves them with its working
    // directory), not from the folder of the file when --project-directory points elsewhere.
    Path baseDir = projectDir;
    List<Path> nextChain = new ArrayList<>(chain);
    if (!file.toString().equals("-")) {
      nextChain.add(file.toAbsolutePath().normalize());
    }
    for (int i = 0; i < entries.items().size(); i++) {
      String path = "include[" + i + "]";
      YNode entry = entries.items().get(i);
      List<String> paths = new ArrayList<>();
      List<String> envFiles = new ArrayList<>();
      String dir = null;
      if (entry instanceof YNode.Scalar s) {
        paths.add(Nodes.text(s, path));
      } else {
        YNode.Map m = Nodes.map(entry, path);
        for (String key : m.entries().keySet()) {
          if (!List.of("path", "env_file", "project_directory").contains(key)) {
            throw new ComposeException(
                m.locationOf(key), path, "additional property \"" + key + "\" is not allowed");
          }
        }
        paths.addAll(strings(m.get("path"), child(path, "path")));
        envFiles.addAll(strings(m.get("env_file"), child(path, "env_file")));
        if (m.get("project_directory") != null) {
          dir = Nodes.text(m.get("project_directory"), child(path, "project_directory"));
        }
      }
      if (paths.isEmpty()) {
        throw Nodes.error(entry, path, "an include needs a path");
      }
      List<Path> files = paths.stream().map(p -> baseDir.resolve(p).normalize()).toList();
      Path includedDir =
          dir != null ? baseDir.resolve(dir).normalize() : ComposeFiles.folderOf(files.get(0));
      List<Path> envPaths = envFiles.stream().map(p -> baseDir.resolve(p).normalize()).toList();
      Map<String, String> includedEnv = new LinkedHashMap<>();
      if (envPaths.isEmpty()) {
        Path dotEnv = includedDir.resolve(".env");
        if (Files.isRegularFile(dotEnv)) {
          includedEnv.putAll(Environment.read(dotEnv, env, includedEnv));
        }
      } else {
        for (Path e : envPaths) {
          includedEnv.putAll(Environment.read(e, env, includedEnv));
        }
      }
      includedEnv.putAll(env);

      YNode.Map included = null;
      for (Path f : files) {
        String display = f.toString();
        YNode.Map one =
            new Loader.FileLoader(loader, includedEnv).file(f, display, includedDir, nextChain);
        included = included == null ? one : Merger.documents(included, one);
      }
      // An include names at least one path.
      included = (YNode.Map) Merger.stripTags(Objects.requireNonNull(included));
      included = new Paths(includedDir, includedEnv).document(included);
      doc = add(doc, included, path);
    }
    return doc;
  }

  /** The included resources are the base; the including document's own definitions merge over. */
  private static YNode.Map add(YNode.Map doc, YNode.Map included, String includePath) {
    YNode.Map base = YNode.Map.empty(doc.location());
    for (String section : SECTIONS) {
      if (included.get(section) instanceof YNode.Map inc && !inc.entries().isEmpty()) {
        base = Nodes.with(base, section, inc);
      }
    }
    return Merger.documents(base, doc);
  }

  private static List<String> strings(@Nullable YNode node, String path) {
    if (node == null) {
      return List.of();
    }
    if (node instanceof YNode.Seq seq) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < seq.items().size(); i++) {
        out.add(Nodes.text(seq.items().get(i), path + "[" + i + "]"));
      }
      return out;
    }
    return List.of(Nodes.text(node, path));
  }
}
