package io.jstack.runtime.build.internal;

import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mount points the runtime makes in a RUN's root for its {@code --mount}s, taken out of the
 * step's changes again, as BuildKit's {@code executor/stubs.go} {@code MountStubsCleaner} does
 * (recursively, as its LLB exec asks since v0.11): each target that did not exist before the RUN,
 * and each parent directory made for it, is removed when it is still an empty directory or an empty
 * file; the directory that held them gets back its times. A directory the overlay only copied up to
 * make them, unchanged, is dropped from the changes too, so that the layer holds what the command
 * did and nothing of its mounts.
 */
final class MountStubs {
  /** A directory as it was before the RUN: what the overlay copies up must still match it. */
  private record Before(int mode, int uid, int gid, FileTime modified) {
    static Before of(Path p) throws IOException {
      return new Before(
          (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS),
          (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
          (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS),
          Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
    }
  }

  /** Root-relative paths that did not exist, deepest first. */
  private final List<String> missing = new ArrayList<>();

  /** Root-relative existing ancestors of the targets, with their state before the RUN. */
  private final Map<String, Before> ancestors = new LinkedHashMap<>();

  private MountStubs() {}

  /**
   * Notes which of {@code targets} (absolute paths in the container) and their parents do not exist
   * yet in {@code rootfs}, the container's mounted root before it starts.
   */
  static MountStubs before(Path rootfs, List<String> targets) throws IOException {
    MountStubs s = new MountStubs();
    for (String t : targets) {
      Path real = RootPaths.resolve(rootfs, t);
      String rel = rootfs.relativize(real).toString();
      while (!rel.isEmpty() && !Files.exists(rootfs.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
        s.missing.add(rel);
        rel = parent(rel);
      }
      while (!rel.isEmpty()) {
        Path p = rootfs.resolve(rel);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !s.ancestors.containsKey(rel)) {
          s.ancestors.put(rel, Before.of(p));
        }
        rel = parent(rel);
      }
    }
    // Deepest first: a parent made for a mount point goes after what it holds.
    s.missing.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return s;
  }

  /** Takes the stubs out of {@code upper}, the stopped container's overlay upper directory. */
  void clean(Path upper) throws IOException {
    for (String rel : missing) {
      Path p = upper.resolve(rel);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || !stub(p)) {
        continue;
      }
      Path parent = java.util.Objects.requireNonNull(p.getParent(), "a stub is below the root");
      FileTime parentTime =
          Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)
              ? Files.getLastModifiedTime(parent, LinkOption.NOFOLLOW_LINKS)
              : null;
      Files.delete(p);
      Before b = ancestors.get(parent(rel));
      if (b != null) {
        parentTime = b.modified();
      }
      if (parentTime != null && Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
        NativeFs.setTimes(parent, parentTime);
      }
    }
    // Deepest first: a parent can only be dropped once its children are.
    List<String> dirs = new ArrayList<>(ancestors.keySet());
    dirs.sort((a, b) -> Integer.compare(b.length(), a.length()));
    for (String rel : dirs) {
      Path p = upper.resolve(rel);
      if (copiedUpOnly(p, ancestors.get(rel))) {
        Files.delete(p);
      }
    }
  }

  /** Whether {@code p} is what the runtime leaves for a mount point: an empty directory or file. */
  private static boolean stub(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return empty(p);
    }
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0;
  }

  /**
   * Whether upper directory entry {@code p} is a directory the overlay copied up and nothing
   * changed: empty, not opaque, and with the mode, owner and time it had below.
   */
  private static boolean copiedUpOnly(Path p, @Nullable Before b) throws IOException {
    if (b == null
        || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
        || !empty(p)
        || NativeFs.getXattrText(p, "trusted.overlay.opaque") != null) {
      return false;
    }
    return Before.of(p).equals(b);
  }

  private static boolean empty(Path dir) throws IOException {
    try (DirectoryStream<Path> d = Files.newDirectoryStream(dir)) {
      return !d.iterator().hasNext();
    }
  }

  private static String parent(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }
}
