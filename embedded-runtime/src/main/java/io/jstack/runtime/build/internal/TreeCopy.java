package io.jstack.runtime.build.internal;

import io.jstack.engine.docker.DockerIgnore;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;

/**
 * Copies a tree as it is: modes, owners and times kept, symbolic links copied as links (never
 * followed), and, for a tree of the build context, what {@code .dockerignore} excludes left out, as
 * the context BuildKit receives has none of it. Sockets and devices are left out.
 */
final class TreeCopy {
  private TreeCopy() {}

  /**
   * Copies {@code from} (a directory, whose children go into existing directory {@code to}, or
   * another file, copied as {@code to}); {@code rel} is its path in the context for {@code ignore},
   * or null when it is not in the context.
   */
  static void copy(Path from, Path to, @Nullable String rel, DockerIgnore ignore)
      throws IOException {
    if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      children(from, to, rel, ignore);
      attributes(from, to);
    } else {
      entry(from, to, rel, ignore);
    }
  }

  private static void children(Path from, Path to, @Nullable String rel, DockerIgnore ignore)
      throws IOException {
    try (DirectoryStream<Path> list = Files.newDirectoryStream(from)) {
      for (Path c : list) {
        String name = c.getFileName().toString();
        String childRel = rel == null ? null : rel.isEmpty() ? name : rel + "/" + name;
        if (childRel != null
            && ignore.excludes(childRel)
            && (!Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)
                || ignore.canSkipDirectory(childRel))) {
          continue;
        }
        entry(c, to.resolve(name), childRel, ignore);
      }
    }
  }

  private static void entry(Path from, Path to, @Nullable String rel, DockerIgnore ignore)
      throws IOException {
    if (Files.isSymbolicLink(from)) {
      Files.createSymbolicLink(to, Files.readSymbolicLink(from));
    } else if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(to);
      children(from, to, rel, ignore);
    } else if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } else {
      return;
    }
    attributes(from, to);
  }

  private static void attributes(Path from, Path to) throws IOException {
    Files.setAttribute(
        to,
        "unix:uid",
        Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(
        to,
        "unix:gid",
        Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS),
        LinkOption.NOFOLLOW_LINKS);
    if (!Files.isSymbolicLink(to)) {
      int mode = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(to, "unix:mode", mode & 07777);
    }
    NativeFs.setTimes(to, Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS));
  }
}
