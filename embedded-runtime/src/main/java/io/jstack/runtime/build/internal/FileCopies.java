package io.jstack.runtime.build.internal;

import io.jstack.engine.docker.DockerIgnore;
import io.jstack.engine.docker.GoPaths;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * COPY and ADD of local files and here-documents into a stage's root: {@link SourceWalk} lists what
 * a COPY reads, each source resolved inside its own root (the context or another stage) so that no
 * symbolic link leads out of it; the destination is resolved inside the stage's root whatever links
 * it holds ({@link RootPaths}), and files are written with their modes, the owner {@code --chown}
 * gives (root for the context, the stage's own owners for {@code --from}, as BuildKit) and {@code
 * --chmod}. ADD unpacks local tar archives through {@link Archives}.
 */
public final class FileCopies {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * Where sources come from.
   *
   * @param root the context directory or a stage's root
   * @param ignore what the context excludes; none for a stage
   * @param keepOwners whether files keep their owners (a stage) or become root's (the context)
   */
  public record Source(Path root, DockerIgnore ignore, boolean keepOwners) {}

  /**
   * A here-document used as a source: a file named {@code name} holding {@code content}.
   *
   * @param content the text after substitution (when the delimiter was not quoted)
   */
  public record Inline(String name, String content) {}

  /**
   * What one COPY or ADD asks.
   *
   * @param owner the {@code --chown} owner, or null
   * @param chmod the {@code --chmod} value (octal or symbolic, see {@link Modes}), or empty
   * @param unpack whether local archives are unpacked (ADD)
   * @param excludes the {@code --exclude} patterns, relative to each source
   * @param parents {@code --parents}: sources keep their parent directories below the destination
   * @param inline here-documents, written after the other sources
   */
  public record Request(
      List<String> sources,
      String destination,
      Owners.@Nullable Owner owner,
      String chmod,
      boolean unpack,
      List<String> excludes,
      boolean parents,
      List<Inline> inline) {
    public Request {
      sources = List.copyOf(sources);
      excludes = List.copyOf(excludes);
      inline = List.copyOf(inline);
      Modes.check(chmod);
    }

    /** A plain COPY or ADD of {@code sources}; {@code mode} is the {@code --chmod} bits, or -1. */
    public Request(
        List<String> sources,
        String destination,
        Owners.@Nullable Owner owner,
        int mode,
        boolean unpack) {
      this(
          sources,
          destination,
          owner,
          mode < 0 ? "" : Integer.toOctalString(mode),
          unpack,
          List.of(),
          false,
          List.of());
    }
  }

  /**
   * One entry a COPY reads.
   *
   * @param path its slash-separated path below the source's root
   * @param file where it is on the host
   */
  public record Read(String path, Path file) {}

  private FileCopies() {}

  /**
   * Every file, directory and link {@code r} reads from {@code from}, sorted by path: what a cache
   * key of the COPY must digest (the here-documents are in the request itself).
   *
   * @throws IllegalArgumentException when a source is not there, or is excluded
   */
  public static List<Read> sources(Source from, Request r) throws IOException {
    List<Read> out = new ArrayList<>();
    for (SourceWalk.Item i : SourceWalk.items(from, r)) {
      out.add(new Read(i.rel(), i.src()));
    }
    out.sort(Comparator.comparing(Read::path));
    return out;
  }

  /**
   * Copies what {@code r} names from {@code from} into {@code root}, relative to {@code workdir}.
   *
   * @throws IllegalArgumentException when a source is not there, or is excluded, or a directory
   *     would be copied onto something that is not one
   */
  public static void copy(Source from, Path root, String workdir, Request r) throws IOException {
    List<SourceWalk.Item> items = SourceWalk.items(from, r);
    String dest =
        r.destination().startsWith("/")
            ? r.destination()
            : workdir.replaceAll("/$", "") + "/" + r.destination();
    Path destPath = RootPaths.resolve(root, dest);
    // As BuildKit's copy (and unlike the classic builder, which refuses it), several sources to a
    // destination without a trailing slash each land on it, the last one winning, unless it is a
    // directory by the time each is copied.
    boolean dirSyntax = dest.endsWith("/") || dest.endsWith("/.") || r.parents();
    Owners.Owner created = r.owner() == null ? Owners.Owner.ROOT : r.owner();
    List<Runnable> dirAttributes = new ArrayList<>();
    IOException[] late = new IOException[1];
    for (SourceWalk.Item i : items) {
      boolean dir = Files.isDirectory(i.src(), NOFOLLOW);
      if (i.top() && !dir && r.unpack() && Archives.isArchive(i.src())) {
        mkdirs(root, destPath, created);
        Archives.unpack(i.src(), destPath);
        continue;
      }
      String out = i.out();
      if (i.top() && !dir && !r.parents() && (dirSyntax || Files.isDirectory(destPath))) {
        // The name as the source gives it: a link named as a source keeps its own name.
        out = i.rel().substring(i.rel().lastIndexOf('/') + 1);
      }
      Path target = out.isEmpty() ? destPath : destPath.resolve(out);
      if (i.top() || r.parents()) {
        mkdirs(root, target.getParent(), created);
      }
      if (dir) {
        BasicDir.make(target, dest + (out.isEmpty() ? "" : "/" + out));
        // Modes, owners and times of directories go last, so that their contents can be written.
        dirAttributes.add(
            () -> {
              try {
                // BuildKit (0.8, as dockerd 20.10 runs it) leaves --chmod off the directory a
                // source names: only what it holds gets the mode.
                entry(from, i.src(), target, i.top() && !r.parents() ? withoutChmod(r) : r);
              } catch (IOException e) {
                late[0] = e;
              }
            });
      } else {
        entry(from, i.src(), target, r);
      }
    }
    for (int k = dirAttributes.size() - 1; k >= 0; k--) {
      dirAttributes.get(k).run();
    }
    if (late[0] != null) {
      throw late[0];
    }
    for (Inline doc : r.inline()) {
      Path target =
          dirSyntax || Files.isDirectory(destPath) ? destPath.resolve(doc.name()) : destPath;
      mkdirs(root, target.getParent(), created);
      if (Files.isDirectory(target, NOFOLLOW)) {
        LayerUnpacker.removeTree(target);
      }
      Files.deleteIfExists(target);
      Files.writeString(
          target, doc.content(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      own(target, created);
      // As BuildKit's Mkfile of the document: 0644, then --chmod over it.
      Files.setAttribute(target, "unix:mode", Modes.apply(r.chmod(), 0644, false), NOFOLLOW);
    }
  }

  /** Directories a copy makes where the source has one. */
  private static final class BasicDir {
    private BasicDir() {}

    /**
     * Makes directory {@code target} unless one is there; a file or link there is an error, as
     * BuildKit's copy refuses to copy a directory onto a non-directory.
     */
    static void make(Path target, String shown) throws IOException {
      if (Files.isDirectory(target, NOFOLLOW)) {
        return;
      }
      if (Files.exists(target, NOFOLLOW)) {
        throw new IllegalArgumentException("cannot copy to non-directory: " + GoPaths.clean(shown));
      }
      Files.createDirectory(target);
    }
  }

  /** Makes directory {@code dir} in {@code root}, as WORKDIR does; missing parents too. */
  public static void mkdirs(Path root, @Nullable Path dir, Owners.Owner owner) throws IOException {
    if (dir == null || !dir.startsWith(root) || Files.isDirectory(dir)) {
      return;
    }
    mkdirs(root, dir.getParent(), owner);
    Files.createDirectory(dir);
    Files.setAttribute(dir, "unix:mode", 0755, NOFOLLOW);
    own(dir, owner);
  }

  /** Copies one file or link, or a (filled) directory's attributes. */
  private static void entry(Source from, Path src, Path target, Request r) throws IOException {
    var attrs = Files.readAttributes(src, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
    if (Files.isSymbolicLink(src)) {
      if (Files.isDirectory(target, NOFOLLOW)) {
        LayerUnpacker.removeTree(target);
      }
      Files.deleteIfExists(target);
      Files.createSymbolicLink(target, Files.readSymbolicLink(src));
    } else if (Files.isRegularFile(src, NOFOLLOW)) {
      if (Files.isDirectory(target, NOFOLLOW)) {
        LayerUnpacker.removeTree(target);
      }
      Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING, NOFOLLOW);
    } else if (!Files.isDirectory(src, NOFOLLOW)) {
      return; // Devices, FIFOs and sockets in a context are left out, as BuildKit's fsutil does.
    }
    Owners.Owner owner =
        r.owner() != null
            ? r.owner()
            : from.keepOwners()
                ? new Owners.Owner((Integer) attr(attrs, "uid"), (Integer) attr(attrs, "gid"))
                : Owners.Owner.ROOT;
    own(target, owner);
    if (!Files.isSymbolicLink(target)) {
      int mode =
          Modes.apply(
              r.chmod(), (Integer) attr(attrs, "mode"), Files.isDirectory(target, NOFOLLOW));
      Files.setAttribute(target, "unix:mode", mode, NOFOLLOW);
      Files.setLastModifiedTime(target, (FileTime) attr(attrs, "lastModifiedTime"));
    }
  }

  private static Request withoutChmod(Request r) {
    return new Request(
        r.sources(),
        r.destination(),
        r.owner(),
        "",
        r.unpack(),
        r.excludes(),
        r.parents(),
        r.inline());
  }

  /** A {@code unix:} attribute, which Linux gives every file. */
  private static Object attr(Map<String, Object> a, String name) {
    Object v = a.get(name);
    if (v == null) {
      throw new IllegalStateException("no unix:" + name + " attribute");
    }
    return v;
  }

  private static void own(Path p, Owners.Owner o) throws IOException {
    Files.setAttribute(p, "unix:uid", o.uid(), NOFOLLOW);
    Files.setAttribute(p, "unix:gid", o.gid(), NOFOLLOW);
  }
}
