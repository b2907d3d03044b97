package io.jstack.runtime.build.internal;

import io.jstack.engine.docker.DockerIgnore;
import io.jstack.engine.docker.GoPaths;
import io.jstack.engine.docker.PatternMatcher;
import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.container.internal.RootPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * What a COPY or ADD reads, in the order it is written: each source matched (globs as Go's {@code
 * filepath.Match}) and resolved inside its root, so a symbolic link out of the root leads to
 * nothing (as BuildKit's scoped resolution: a link named as a source is followed inside the root, a
 * link met inside a copied directory is copied as a link); directories walked without following
 * links; {@code .dockerignore} (context-relative) and {@code --exclude} (relative to each source)
 * applied; with {@code --parents}, each source's path below its pivot ({@code /./}, or the root)
 * kept, as BuildKit's include patterns do.
 */
final class SourceWalk {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * One entry to copy.
   *
   * @param rel its path below the source's root
   * @param src where it is
   * @param out its path below the destination ({@code ""}: the destination itself, or a name to
   *     give when copying into a directory)
   * @param top whether a source named it (not a walk below one)
   */
  record Item(String rel, Path src, String out, boolean top) {}

  private final FileCopies.Source from;
  private final DockerIgnore excludes;
  private final List<Item> items = new ArrayList<>();

  private SourceWalk(FileCopies.Source from, List<String> excludes) {
    this.from = from;
    try {
      this.excludes =
          excludes.isEmpty()
              ? DockerIgnore.none()
              : DockerIgnore.parse(String.join("\n", excludes), "--exclude");
    } catch (DockerIgnore.PatternException e) {
      throw DockerfileException.of(e);
    }
  }

  /** The entries {@code r} copies, parents before their contents. */
  static List<Item> items(FileCopies.Source from, FileCopies.Request r) throws IOException {
    SourceWalk w = new SourceWalk(from, r.excludes());
    for (String s : r.sources()) {
      if (r.parents()) {
        w.parents(s);
      } else {
        w.plain(s);
      }
    }
    return w.items;
  }

  private void plain(String source) throws IOException {
    String pattern = clean(source);
    List<String> matches = expand(pattern);
    if (matches.isEmpty() && !wildcards(pattern)) {
      throw notFound(pattern);
    }
    for (String m : matches) {
      Path src = RootPaths.resolve(from.root(), m);
      if (Files.isDirectory(src, NOFOLLOW)) {
        items.add(new Item(m, src, "", true));
        walk(src, m, "");
      } else if (!excludes.excludes(
          src.getFileName() == null ? "" : src.getFileName().toString())) {
        items.add(new Item(m, src, "", true));
      }
    }
  }

  /** Walks directory {@code dir} ({@code rel} below the root, {@code out} below the source). */
  private void walk(Path dir, String rel, String out) throws IOException {
    eachChild(
        dir,
        rel,
        out,
        (child, childRel, childOut, isDir) -> {
          items.add(new Item(childRel, child, childOut, false));
          if (isDir) {
            walk(child, childRel, childOut);
          }
        });
  }

  /** What to do with one child of a directory a walk is in. */
  private interface ChildVisitor {
    void visit(Path child, String rel, String out, boolean isDir) throws IOException;
  }

  /**
   * Hands {@code visitor} each child of {@code dir} ({@code rel} below the root, {@code out} below
   * the source) that neither .dockerignore nor {@code --exclude} leaves out, in name order.
   */
  private void eachChild(Path dir, String rel, String out, ChildVisitor visitor)
      throws IOException {
    for (Path child : children(dir)) {
      String name = child.getFileName().toString();
      String childRel = join(rel, name);
      String childOut = join(out, name);
      boolean isDir = Files.isDirectory(child, NOFOLLOW);
      if (!skipped(childRel, childOut, isDir)) {
        visitor.visit(child, childRel, childOut, isDir);
      }
    }
  }

  private boolean skipped(String rel, String out, boolean isDir) {
    if (from.ignore().excludes(rel) && (!isDir || from.ignore().canSkipDirectory(rel))) {
      return true;
    }
    return excludes.excludes(out) && (!isDir || excludes.canSkipDirectory(out));
  }

  /** {@code --parents}: the source is a pattern below its pivot, and keeps its path from there. */
  private void parents(String source) throws IOException {
    int cut = source.indexOf("/./");
    String pivot = cut < 0 ? "" : clean(source.substring(0, cut));
    String pattern = clean(cut < 0 ? source : source.substring(cut + 3));
    Path pivotDir = RootPaths.resolve(from.root(), pivot);
    int before = items.size();
    if (pattern.isEmpty()) {
      items.add(new Item(pivot, pivotDir, "", true));
      walk(pivotDir, pivot, "");
    } else if (Files.isDirectory(pivotDir, NOFOLLOW)) {
      PatternMatcher include = PatternMatcher.of(List.of(pattern));
      parents(pivotDir, pivot, "", include, pattern.split("/"), new ArrayList<>());
    }
    if (items.size() == before && !wildcards(pivot) && !wildcards(pattern)) {
      throw notFound(join(pivot, pattern));
    }
  }

  private void parents(
      Path dir, String rel, String out, PatternMatcher include, String[] parts, List<Item> pending)
      throws IOException {
    eachChild(
        dir,
        rel,
        out,
        (child, childRel, childOut, isDir) -> {
          if (include.matchesOrParentMatches(childOut)) {
            // The directories on the way are copied too, with their own modes, as BuildKit's.
            for (Item p : pending) {
              if (!items.contains(p)) {
                items.add(p);
              }
            }
            items.add(new Item(childRel, child, childOut, true));
            if (isDir) {
              walk(child, childRel, childOut);
            }
          } else if (isDir && couldMatchBelow(childOut, parts)) {
            List<Item> deeper = new ArrayList<>(pending);
            deeper.add(new Item(childRel, child, childOut, false));
            parents(child, childRel, childOut, include, parts, deeper);
          }
        });
  }

  /** Whether something below directory {@code out} could match the pattern's {@code parts}. */
  private static boolean couldMatchBelow(String out, String[] parts) {
    String[] have = out.split("/");
    if (have.length >= parts.length) {
      return false;
    }
    for (int i = 0; i < have.length; i++) {
      if (parts[i].equals("**")) {
        return true;
      }
      if (!glob(parts[i]).matches(Path.of(have[i]))) {
        return false;
      }
    }
    return true;
  }

  /** The paths below the source's root that {@code pattern} matches, in name order. */
  private List<String> expand(String pattern) throws IOException {
    if (pattern.isEmpty()) {
      return List.of("");
    }
    List<String> out = new ArrayList<>();
    expand("", pattern.split("/"), 0, out);
    return out;
  }

  private void expand(String prefix, String[] parts, int i, List<String> out) throws IOException {
    if (i == parts.length) {
      if (!from.ignore().excludes(prefix)) {
        out.add(prefix);
      }
      return;
    }
    String part = parts[i];
    if (!wildcards(part)) {
      // Resolved inside the root: a link out of it leads to nothing there, as in BuildKit.
      if (Files.exists(RootPaths.resolve(from.root(), join(prefix, part)), NOFOLLOW)) {
        expand(join(prefix, part), parts, i + 1, out);
      }
      return;
    }
    Path dir = RootPaths.resolve(from.root(), prefix);
    if (!Files.isDirectory(dir)) {
      return;
    }
    PathMatcher m = glob(part);
    for (Path c : children(dir)) {
      if (m.matches(c.getFileName())) {
        expand(join(prefix, c.getFileName().toString()), parts, i + 1, out);
      }
    }
  }

  private static PathMatcher glob(String part) {
    return FileSystems.getDefault().getPathMatcher("glob:" + part.replace("[^", "[!"));
  }

  /** A directory's entries in name order. */
  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  private static boolean wildcards(String p) {
    return p.matches("(?s).*[*?\\[].*");
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : name.isEmpty() ? prefix : prefix + "/" + name;
  }

  private static String clean(String source) {
    String p = GoPaths.clean("/" + source);
    return p.equals("/") ? "" : p.substring(1);
  }

  private static IllegalArgumentException notFound(String path) {
    return new IllegalArgumentException(
        "failed to compute cache key: \"/"
            + path
            + "\" not found: not found in the build context or excluded by .dockerignore");
  }
}
