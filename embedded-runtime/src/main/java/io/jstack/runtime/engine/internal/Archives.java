package io.jstack.runtime.engine.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jspecify.annotations.Nullable;

/**
 * What the archive API sends out of a container: a tar whose top entry is the path's name; and what
 * export sends, its whole root file system.
 */
public final class Archives {
  private Archives() {}

  /**
   * Writes {@code source} (a file, link or directory tree, links never followed) as a tar whose top
   * entry is named {@code top} (the name the client asked for: a volume's directory or a mounted
   * file has another name on the host).
   */
  public static void tar(Path source, String top, OutputStream out) throws IOException {
    write(source, top, out);
  }

  /**
   * Writes what is below the directory {@code root} (links never followed) as a tar whose entries
   * are named from it, without a top entry ({@code bin/}, {@code etc/passwd}): a root file system
   * as {@code docker export} sends it.
   */
  public static void tarBelow(Path root, OutputStream out) throws IOException {
    write(root, null, out);
  }

  private static void write(Path source, @Nullable String top, OutputStream out)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            if (top != null || !d.equals(source)) {
              add(tar, name(source, top, d), d, a);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            add(tar, name(source, top, f), f, a);
            return FileVisitResult.CONTINUE;
          }
        });
    tar.finish();
    tar.flush();
  }

  private static String name(Path source, @Nullable String top, Path p) {
    if (top == null) {
      return source.relativize(p).toString();
    }
    return p.equals(source) ? top : top + "/" + source.relativize(p);
  }

  private static void add(TarArchiveOutputStream tar, String entry, Path p, BasicFileAttributes a)
      throws IOException {
    String name = entry + (a.isDirectory() ? "/" : "");
    TarArchiveEntry e;
    if (a.isSymbolicLink()) {
      e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
    } else if (a.isDirectory()) {
      e = new TarArchiveEntry(name, TarConstants.LF_DIR);
    } else if (a.isRegularFile()) {
      e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
      e.setSize(a.size());
    } else {
      return; // devices, FIFOs and sockets stay behind, as docker cp leaves them
    }
    e.setMode((int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    e.setUserId((int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    e.setGroupId((int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    e.setLastModifiedTime(a.lastModifiedTime());
    tar.putArchiveEntry(e);
    if (a.isRegularFile()) {
      Files.copy(p, tar);
    }
    tar.closeArchiveEntry();
  }
}
