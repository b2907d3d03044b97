package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.DockerIgnore;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * COPY and ADD of local files into a stage's root: sources matched (globs as Go's {@code
 * filepath.Match}) and resolved inside their root (the context or an earlier stage) so that no
 * symbolic link leads out of it, .dockerignore honoured for the context, the destination resolved
 * inside the stage's root whatever links it holds, and files written with their modes, the owner
 * {@code --chown} gives (root for the context, the stage's own owners for {@code --from}, as
 * BuildKit) and {@code --chmod}. ADD unpacks a local tar archive through {@link LayerUnpacker}.
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
   * What one COPY or ADD asks.
   *
   * @param owner the {@code --chown} owner, or null
   * @param mode the {@code --chmod} bits, or -1
   * @param unpack whether local archives are unpacked (ADD)
   */
  public record Request(
      List<String> sources,
      String destination,
      Owners.@Nullable Owner owner,
      int mode,
      boolean unpack) {
    public Request {
      sources = List.copyOf(sources);
    }
  }

  private FileCopies() {}

  /**
   * Copies what {@code r} names from {@code from} into {@code root}, relative to {@code workdir}.
   *
   * @throws IllegalArgumentException when a source is not there, or is excluded
   */
  public static void copy(Source from, Path root, String workdir, Request r) throws IOException {
    List<String> matches = new ArrayList<>();
    for (String s : r.sources()) {
      List<String> found = matches(from, s);
      if (found.isEmpty()) {
        throw new IllegalArgumentException(
            "failed to compute cache key: \"/"
                + clean(s)
                + "\" not found: not found in the build context or excluded by .dockerignore");
      }
      matches.addAll(found);
    }
    String dest =
        r.destination().startsWith("/")
            ? r.destination()
            : workdir.replaceAll("/$", "") + "/" + r.destination();
    Path destPath = RootPaths.resolve(root, dest);
    boolean toDir =
        dest.endsWith("/")
            || dest.endsWith("/.")
            || matches.size() > 1
            || Files.isDirectory(destPath);
    Owners.Owner created = r.owner() == null ? Owners.Owner.ROOT : r.owner();
    for (String rel : matches) {
      Path src = RootPaths.resolve(from.root(), rel);
      if (Files.isDirectory(src, NOFOLLOW)) {
        mkdirs(root, destPath, created);
        tree(from, rel, src, destPath, r);
        // The directory's own mode, owner and time go to the destination, as both builders do.
        entry(from, src, destPath, r);
      } else if (r.unpack() && isArchive(src)) {
        mkdirs(root, destPath, created);
        try (InputStream in = decompressed(src)) {
          LayerUnpacker.extract(in, destPath, LayerUnpacker.Limits.DEFAULT);
        }
      } else {
        Path target = toDir ? destPath.resolve(src.getFileName().toString()) : destPath;
        mkdirs(root, target.getParent(), created);
        entry(from, src, target, r);
      }
    }
  }

  /** Makes directory {@code dir} in {@code root}, as WORKDIR does; missing parents too. */
  public static void mkdirs(Path root, @Nullable Path dir, Owners.Owner owner) throws IOException {
    if (dir == null || !dir.startsWith(root) || Files.isDirectory(dir)) {
      return;
    }
    mkdirs(root, dir.getParent(), owner);
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, perms(0755));
    own(dir, owner);
  }

  private static void tree(Source from, String rel, Path src, Path dest, Request r)
      throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(src)) {
      for (Path child : children) {
        String childRel =
            rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
        if (leftOut(from, childRel, child)) {
          continue;
        }
        Path target = dest.resolve(child.getFileName().toString());
        if (Files.isDirectory(child, NOFOLLOW)) {
          if (!Files.isDirectory(target, NOFOLLOW)) {
            Files.deleteIfExists(target);
            Files.createDirectory(target);
          }
          tree(from, childRel, child, target, r);
        }
        entry(from, child, target, r);
      }
    }
  }

  /** Copies one file, link or (already filled) directory's attributes. */
  private static void entry(Source from, Path src, Path target, Request r) throws IOException {
    var attrs = Files.readAttributes(src, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
    if (Files.isSymbolicLink(src)) {
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
      int mode = r.mode() >= 0 ? r.mode() : (Integer) attr(attrs, "mode") & 07777;
      Files.setAttribute(target, "unix:mode", mode, NOFOLLOW);
      Files.setLastModifiedTime(target, (FileTime) attr(attrs, "lastModifiedTime"));
    }
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

  /**
   * The paths below the source's root (slash-separated, relative, {@code ""} for the root itself)
   * that COPY source {@code source} names, in name order: what {@link #copy} copies, each a file, a
   * link, or a directory copied by its contents. Empty when nothing matches. The build cache
   * digests exactly these, with {@link #leftOut}, so that its key and the copy cannot disagree.
   */
  public static List<String> matches(Source from, String source) throws IOException {
    return expand(from, clean(source));
  }

  /**
   * Whether {@code child} ({@code rel} below the source's root), inside a directory being copied,
   * is left out: excluded by .dockerignore, unless it is a directory a {@code !} exception may
   * bring something back from (then it is walked, as BuildKit's fsutil walks it).
   */
  public static boolean leftOut(Source from, String rel, Path child) {
    return from.ignore().excludes(rel)
        && (!Files.isDirectory(child, NOFOLLOW) || from.ignore().canSkipDirectory(rel));
  }

  /** The paths below the source's root that {@code pattern} matches, in name order. */
  private static List<String> expand(Source from, String pattern) throws IOException {
    if (pattern.isEmpty() || pattern.equals(".")) {
      return List.of("");
    }
    List<String> out = new ArrayList<>();
    expand(from, "", pattern.split("/"), 0, out);
    return out;
  }

  private static void expand(Source from, String prefix, String[] parts, int i, List<String> out)
      throws IOException {
    if (i == parts.length) {
      if (!from.ignore().excludes(prefix)) {
        out.add(prefix);
      }
      return;
    }
    Path dir = RootPaths.resolve(from.root(), prefix);
    String part = parts[i];
    if (!part.matches(".*[*?\\[].*")) {
      // Resolved inside the root: a link out of it leads to nothing there, as in BuildKit.
      if (Files.exists(RootPaths.resolve(from.root(), join(prefix, part)), NOFOLLOW)) {
        expand(from, join(prefix, part), parts, i + 1, out);
      }
      return;
    }
    if (!Files.isDirectory(dir)) {
      return;
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + part.replace("[^", "[!"));
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path c : children) {
        if (m.matches(c.getFileName())) {
          names.add(c.getFileName().toString());
        }
      }
    }
    names.sort(null);
    for (String n : names) {
      expand(from, join(prefix, n), parts, i + 1, out);
    }
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String clean(String source) {
    String p = Path.of("/" + source).normalize().toString();
    return p.equals("/") ? "" : p.substring(1);
  }

  private static boolean isArchive(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      return false;
    }
    byte[] head = new byte[512];
    int n;
    try (InputStream in = decompressed(p)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return false;
    }
    return n >= 262
        && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
  }

  private static InputStream decompressed(Path p) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    in.mark(4);
    int a = in.read();
    int b = in.read();
    int c = in.read();
    in.reset();
    if (a == 0x1f && b == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (a == 'B' && b == 'Z' && c == 'h') {
      return new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in);
    }
    return in;
  }

  private static Set<PosixFilePermission> perms(int mode) {
    return java.nio.file.attribute.PosixFilePermissions.fromString(
        String.format("%s%s%s", rwx(mode >> 6), rwx(mode >> 3), rwx(mode)));
  }

  private static String rwx(int bits) {
    return ((bits & 4) != 0 ? "r" : "-")
        + ((bits & 2) != 0 ? "w" : "-")
        + ((bits & 1) != 0 ? "x" : "-");
  }
}
