package io.jstack.runtime.build.internal;

import com.github.luben.zstd.ZstdInputStream;
import io.jstack.engine.docker.GoPaths;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.image.internal.TarReader;
import io.jstack.runtime.internal.NativeFs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.jspecify.annotations.Nullable;
import org.tukaani.xz.XZInputStream;

/**
 * ADD's local archives: recognised by content as Docker's {@code isArchivePath} does (a tar, plain
 * or compressed with gzip, bzip2, xz or zstd, whose first header reads), and unpacked as Docker's
 * {@code chrootarchive.Untar} does, which unpacks inside a chroot at the destination: every entry
 * name, {@code ..}, absolute names and symbolic links the archive plants or the destination already
 * holds, is resolved with the destination as its root ({@link RootPaths}), so nothing lands outside
 * it. An entry replaces what is at its path without following a link there; hard links must name a
 * file already inside the destination. Owners, modes, times, device nodes and FIFOs are kept, as
 * Docker keeps them; {@code trusted.overlay.*} attributes are dropped.
 */
public final class Archives {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private Archives() {}

  /** Whether {@code file} (a regular file) is a tar archive, plain or compressed. */
  public static boolean isArchive(Path file) throws IOException {
    if (!Files.isRegularFile(file, NOFOLLOW)) {
      return false;
    }
    byte[] head;
    try (InputStream in = decompressed(Files.newInputStream(file))) {
      head = in.readNBytes(512);
    } catch (IOException notCompressedAsItClaims) {
      return false;
    }
    return head.length == 512 && validHeader(head);
  }

  /** The stream {@code raw} decompressed by its magic bytes: gzip, bzip2, xz, zstd, or as it is. */
  public static InputStream decompressed(InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(6);
    byte[] m = in.readNBytes(6);
    in.reset();
    if (starts(m, 0x1f, 0x8b, 0x08)) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (starts(m, 'B', 'Z', 'h')) {
      return new BZip2CompressorInputStream(in, true);
    }
    if (starts(m, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return new XZInputStream(in);
    }
    if (starts(m, 0x28, 0xb5, 0x2f, 0xfd)
        || (m.length >= 4
            && (m[0] & 0xf0) == 0x50
            && starts(new byte[] {m[1], m[2], m[3]}, 0x2a, 0x4d, 0x18))) {
      return new ZstdInputStream(in);
    }
    return in;
  }

  /**
   * Unpacks archive {@code file} into directory {@code dest} (which exists), with {@code dest} as
   * the root of every name in it.
   *
   * @throws IOException naming the entry when it cannot be written (a hard link to nothing, a
   *     malformed archive)
   */
  public static void unpack(Path file, Path dest) throws IOException {
    Path root = dest.toRealPath();
    Deque<Runnable> dirTimes = new ArrayDeque<>();
    IOException[] late = new IOException[1];
    try (InputStream in = decompressed(Files.newInputStream(file))) {
      TarReader reader = new TarReader(in);
      for (TarReader.Entry e = reader.next(); e != null; e = reader.next()) {
        String name = GoPaths.clean("/" + e.name());
        if (name.equals("/")) {
          continue; // the destination's own metadata is not the archive's, as Docker's "."
        }
        Path parent = parentDirectory(root, GoPaths.dir(name), e.name());
        Path target = parent.resolve(name.substring(name.lastIndexOf('/') + 1));
        BasicFileAttributes there = attributes(target);
        if (there != null && !(there.isDirectory() && e.type() == '5')) {
          if (there.isDirectory()) {
            LayerUnpacker.removeTree(target);
          } else {
            Files.delete(target);
          }
        }
        switch (e.type()) {
          case '5' -> {
            if (there == null || !there.isDirectory()) {
              Files.createDirectory(target);
            }
            TarReader.Entry dir = e;
            dirTimes.push(
                () -> {
                  try {
                    metadata(target, dir);
                  } catch (IOException failed) {
                    late[0] = failed;
                  }
                });
            xattrs(target, e);
            continue;
          }
          case '0' -> {
            try (OutputStream out =
                Files.newOutputStream(
                    target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
              if (reader.content().transferTo(out) != e.size()) {
                throw new IOException("archive entry '" + e.name() + "' is truncated");
              }
            }
          }
          case '2' -> Files.createSymbolicLink(target, Path.of(e.linkName()));
          case '1' -> {
            String link = GoPaths.clean("/" + e.linkName());
            Path source =
                link.equals("/")
                    ? root
                    : RootPaths.resolve(root, GoPaths.dir(link))
                        .resolve(link.substring(link.lastIndexOf('/') + 1));
            BasicFileAttributes s = attributes(source);
            if (s == null || s.isDirectory() || !source.startsWith(root)) {
              throw new IOException(
                  "archive entry '"
                      + e.name()
                      + "' hard-links to '"
                      + e.linkName()
                      + "', which is not a file in the destination");
            }
            Files.createLink(target, source);
            continue; // the link shares its source's inode and metadata
          }
          case '3', '4', '6' -> LayerUnpacker.mknod(target, e);
          default ->
              throw new IOException(
                  "archive entry '" + e.name() + "' has the unknown type " + e.type());
        }
        xattrs(target, e);
        metadata(target, e);
      }
    }
    while (!dirTimes.isEmpty()) {
      dirTimes.pop().run();
    }
    if (late[0] != null) {
      throw late[0];
    }
  }

  /** The directory {@code dir} (absolute, in the archive) inside {@code root}, made if missing. */
  private static Path parentDirectory(Path root, String dir, String entry) throws IOException {
    Path p = RootPaths.resolve(root, dir);
    if (!p.startsWith(root)) {
      throw new IOException("archive entry '" + entry + "' resolves outside the destination");
    }
    Deque<Path> missing = new ArrayDeque<>();
    for (Path q = p; q != null && !q.equals(root) && attributes(q) == null; q = q.getParent()) {
      missing.push(q);
    }
    while (!missing.isEmpty()) {
      Path d = missing.pop();
      Files.createDirectory(d);
      Files.setAttribute(d, "unix:mode", 0755, NOFOLLOW);
    }
    if (!Files.isDirectory(p, NOFOLLOW)) {
      throw new IOException(
          "archive entry '" + entry + "' is below '" + dir + "', which is not a directory");
    }
    return p;
  }

  private static @Nullable BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (java.nio.file.NoSuchFileException missing) {
      return null;
    }
  }

  /** Owner, then mode (a chown clears setuid bits), then times; never through a link. */
  private static void metadata(Path target, TarReader.Entry e) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) e.uid(), NOFOLLOW);
    Files.setAttribute(target, "unix:gid", (int) e.gid(), NOFOLLOW);
    if (!Files.isSymbolicLink(target)) {
      Files.setAttribute(target, "unix:mode", e.mode(), NOFOLLOW);
    }
    NativeFs.setTimes(target, e.mtime());
  }

  /** As BuildKit's BestEffortXattrs: an attribute the file system refuses is left out. */
  private static void xattrs(Path target, TarReader.Entry e) throws IOException {
    LayerUnpacker.xattrs(target, e, true);
  }

  /** Go's tar header check: a non-zero block whose checksum (unsigned or signed) is right. */
  private static boolean validHeader(byte[] h) {
    long unsigned = 0;
    long signed = 0;
    boolean zero = true;
    for (int i = 0; i < 512; i++) {
      int b = i >= 148 && i < 156 ? ' ' : h[i];
      zero &= h[i] == 0;
      unsigned += b & 0xff;
      signed += i >= 148 && i < 156 ? ' ' : h[i];
    }
    if (zero) {
      return false;
    }
    String field = new String(h, 148, 8, java.nio.charset.StandardCharsets.US_ASCII);
    field = field.replace("\0", " ").trim();
    if (field.isEmpty() || !field.matches("[0-7]+")) {
      return false;
    }
    long sum = Long.parseLong(field, 8);
    return sum == unsigned || sum == signed;
  }

  private static boolean starts(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
