package io.jstack.runtime.image.internal;

import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Unpacks one image layer (an uncompressed tar stream) into an empty directory, laid out for
 * overlayfs: whiteouts ({@code .wh.NAME}) become 0/0 character devices and opaque markers ({@code
 * .wh..wh..opq}) the {@code trusted.overlay.opaque} attribute of their directory.
 *
 * <p>It runs as root on untrusted input, so no entry may reach outside the directory: names that
 * are absolute or hold {@code ..} are refused, as are entries whose parent path goes through a
 * symbolic link and hard links to anything outside or through one; an entry that replaces a
 * symbolic link removes the link first, so nothing is ever written, chmod-ed or chown-ed through
 * one. Overlay attributes carried by the archive ({@code trusted.overlay.*}) are dropped. Owners,
 * modes (with setuid, setgid, sticky), modification times, hard links, symbolic links, device
 * nodes, FIFOs and other extended attributes are kept. Size and entry-count caps bound the work.
 */
public final class LayerUnpacker {
  private LayerUnpacker() {}

  /** Opaque-directory marker of the OCI layer format. */
  static final String OPAQUE = ".wh..wh..opq";

  /** Prefix of a whiteout: the named sibling is deleted in this layer. */
  static final String WHITEOUT = ".wh.";

  /** Caps on one layer: bytes of file content, and entries. */
  public record Limits(long maxBytes, long maxEntries) {
    /** 64 GiB and 4 million entries: above any real layer, below a disk-filling bomb. */
    public static final Limits DEFAULT = new Limits(64L << 30, 4_000_000);
  }

  /** What a layer held. */
  public record Result(long entries, long bytes) {}

  /** An entry that would break out of the layer directory, or break its caps. */
  public static final class UnsafeLayerException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeLayerException(String entry, String why) {
      super("layer entry '" + entry + "' refused: " + why);
    }
  }

  /**
   * Unpacks {@code tar} into {@code dir}, which must exist and be empty.
   *
   * @throws UnsafeLayerException when an entry would escape {@code dir} or a cap is exceeded; what
   *     was unpacked so far stays in {@code dir} for the caller to remove
   * @throws IOException when the stream is not a valid tar or writing fails
   */
  public static Result unpack(InputStream tar, Path dir, Limits limits) throws IOException {
    return unpack(tar, dir, limits, true);
  }

  /**
   * As {@link #unpack(InputStream, Path, Limits)}, for copying files into a container ({@code cp},
   * secrets): the same defences, but {@code .wh.} names are ordinary files, and {@code dir} may
   * hold files already.
   */
  public static Result extract(InputStream tar, Path dir, Limits limits) throws IOException {
    return unpack(tar, dir, limits, false);
  }

  private static Result unpack(InputStream tar, Path dir, Limits limits, boolean overlay)
      throws IOException {
    Path root = dir.toRealPath();
    TarReader reader = new TarReader(tar);
    long entries = 0;
    long bytes = 0;
    Deque<Runnable> directoryMetadata = new ArrayDeque<>();
    List<IOException> late = new ArrayList<>();
    for (TarReader.Entry e = reader.next(); e != null; e = reader.next()) {
      if (++entries > limits.maxEntries()) {
        throw new UnsafeLayerException(
            e.name(), "the layer has more than " + limits.maxEntries() + " entries");
      }
      List<String> parts = components(e.name());
      if (parts.isEmpty()) {
        if (e.type() == '5') {
          continue; // "./" itself: the layer directory's own metadata is not the archive's
        }
        throw new UnsafeLayerException(e.name(), "it names the layer's root as a " + kind(e));
      }
      Path parent = parentOf(root, parts, e.name());
      String base = parts.get(parts.size() - 1);
      if (overlay && base.equals(OPAQUE)) {
        NativeFs.setXattr(parent, "trusted.overlay.opaque", new byte[] {'y'});
        continue;
      }
      if (overlay && base.startsWith(WHITEOUT)) {
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.contains("/")) {
          throw new UnsafeLayerException(e.name(), "it whites out '" + hidden + "'");
        }
        Path target = parent.resolve(hidden);
        clear(target, false);
        NativeFs.mknod(target, NativeFs.S_IFCHR, 0, 0, 0);
        continue;
      }
      Path target = parent.resolve(base);
      switch (e.type()) {
        case '5' -> {
          if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            clear(target, false);
            Files.createDirectory(target);
          }
          TarReader.Entry dirEntry = e;
          directoryMetadata.push(
              () -> {
                try {
                  metadata(target, dirEntry);
                } catch (IOException failed) {
                  late.add(failed);
                }
              });
          xattrs(target, e);
          continue;
        }
        case '0' -> {
          bytes += e.size();
          if (bytes > limits.maxBytes()) {
            throw new UnsafeLayerException(
                e.name(), "the layer holds more than " + limits.maxBytes() + " bytes");
          }
          clear(target, false);
          try (OutputStream out =
              Files.newOutputStream(
                  target,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)) {
            long copied = reader.content().transferTo(out);
            if (copied != e.size()) {
              throw new IOException("layer entry '" + e.name() + "' is truncated");
            }
          }
        }
        case '2' -> {
          clear(target, false);
          Files.createSymbolicLink(target, Path.of(e.linkName()));
        }
        case '1' -> {
          List<String> linkParts = components(e.linkName());
          if (linkParts.isEmpty()) {
            throw new UnsafeLayerException(e.name(), "it hard-links to the layer's root");
          }
          Path source =
              parentOf(root, linkParts, e.name()).resolve(linkParts.get(linkParts.size() - 1));
          if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeLayerException(
                e.name(), "it hard-links to '" + e.linkName() + "', which is not in the layer");
          }
          if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeLayerException(
                e.name(), "it hard-links to the directory '" + e.linkName() + "'");
          }
          if (source.equals(target)) {
            continue;
          }
          clear(target, false);
          Files.createLink(target, source);
          // A hard link shares its source's inode, whose metadata came with the source's entry.
          continue;
        }
        case '3', '4', '6' -> {
          clear(target, false);
          mknod(target, e);
        }
        default ->
            throw new IOException(
                "layer entry '" + e.name() + "' has the unknown type " + e.type());
      }
      xattrs(target, e);
      metadata(target, e);
    }
    // Directories last, deepest first, so that read-only modes and times stick.
    while (!directoryMetadata.isEmpty()) {
      directoryMetadata.pop().run();
    }
    if (!late.isEmpty()) {
      throw late.get(0);
    }
    return new Result(entries, bytes);
  }

  /** The path's components, with "" and "." dropped; absolute names and ".." are refused. */
  public static List<String> components(String name) throws UnsafeLayerException {
    if (name.startsWith("/")) {
      throw new UnsafeLayerException(name, "its name is an absolute path");
    }
    if (name.indexOf('\0') >= 0) {
      throw new UnsafeLayerException(name, "its name holds a NUL byte");
    }
    List<String> out = new ArrayList<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new UnsafeLayerException(name, "its path climbs out with '..'");
      }
      out.add(p);
    }
    return out;
  }

  /**
   * The directory that holds the entry, created where missing; refused when any part of the way is
   * a symbolic link or not a directory.
   */
  private static Path parentOf(Path root, List<String> parts, String entry) throws IOException {
    Path p = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      p = p.resolve(parts.get(i));
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.NoSuchFileException missing) {
        Files.createDirectory(p);
        continue;
      }
      if (a.isSymbolicLink()) {
        throw new UnsafeLayerException(
            entry,
            "its path goes through the symbolic link '"
                + String.join("/", parts.subList(0, i + 1))
                + "'");
      }
      if (!a.isDirectory()) {
        throw new UnsafeLayerException(
            entry,
            "its path goes through '"
                + String.join("/", parts.subList(0, i + 1))
                + "', which is not a directory");
      }
    }
    return p;
  }

  /** Removes what is at {@code p} (a link itself, never its target; a directory with its tree). */
  private static void clear(Path p, boolean keepDirectory) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException missing) {
      return;
    }
    if (a.isDirectory() && !keepDirectory) {
      removeTree(p);
    } else if (!a.isDirectory()) {
      Files.delete(p);
    }
  }

  /** Deletes a tree without following symbolic links. */
  public static void removeTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // Another thread may remove a file first (an exec's files as it ends): gone is gone.
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof java.nio.file.NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
              throw e;
            }
            try {
              Files.deleteIfExists(d);
            } catch (DirectoryNotEmptyException raced) {
              removeTree(d);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void xattrs(Path target, TarReader.Entry e) throws IOException {
    xattrs(target, e, false);
  }

  /**
   * Sets the extended attributes tar entry {@code e} carries on {@code target}, but overlay
   * markers, which are jstack's to set (from whiteouts), never an archive's; with {@code
   * bestEffort}, an attribute the file system refuses is left out (as BuildKit's BestEffortXattrs
   * for ADD).
   */
  public static void xattrs(Path target, TarReader.Entry e, boolean bestEffort) throws IOException {
    for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
      if (x.getKey().startsWith("trusted.overlay.") || x.getKey().startsWith("user.overlay.")) {
        continue;
      }
      try {
        NativeFs.setXattr(target, x.getKey(), x.getValue());
      } catch (IOException refused) {
        if (!bestEffort) {
          throw refused;
        }
      }
    }
  }

  /** Makes the character or block device or FIFO that tar entry {@code e} (type 3, 4 or 6) is. */
  public static void mknod(Path target, TarReader.Entry e) throws IOException {
    int type =
        e.type() == '3' ? NativeFs.S_IFCHR : e.type() == '4' ? NativeFs.S_IFBLK : NativeFs.S_IFIFO;
    NativeFs.mknod(target, type, e.mode(), e.devMajor(), e.devMinor());
  }

  /**
   * Owner, then mode (a chown clears setuid bits), then times; never through a link. The mode is
   * set by path only on what is not a link (links have none), and times by {@code utimensat}
   * without following, as opening a FIFO or device to set them would block or touch a device.
   */
  private static void metadata(Path target, TarReader.Entry e) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) e.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", (int) e.gid(), LinkOption.NOFOLLOW_LINKS);
    if (!Files.isSymbolicLink(target)) {
      Files.setAttribute(target, "unix:mode", e.mode());
    }
    NativeFs.setTimes(target, e.mtime());
  }

  private static String kind(TarReader.Entry e) {
    return switch (e.type()) {
      case '0' -> "file";
      case '1' -> "hard link";
      case '2' -> "symbolic link";
      case '3', '4' -> "device";
      case '6' -> "FIFO";
      default -> "directory";
    };
  }
}
