package io.jstack.runtime.image;

import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jspecify.annotations.Nullable;

/**
 * Writes what a container changed, its overlay upper directory, as a layer: a tar of the changed
 * files in name order, as Docker's archive package writes one. What overlayfs marks as deleted (a
 * 0/0 character device) becomes a whiteout ({@code .wh.NAME}, an empty regular file of mode 0600),
 * and a directory that replaced the one below ({@code trusted.overlay.opaque=y}) is followed by its
 * opaque marker ({@code .wh..wh..opq}). A file with several names is written once, then as hard
 * links. The mount points the runtime makes ({@code /proc}, {@code /sys}, {@code /dev}, {@code
 * /etc/hosts}, ...) are left out, as Docker keeps them in its init layer. With a clamp (a build's
 * {@code SOURCE_DATE_EPOCH}), no time in the layer is later than it, as BuildKit's {@code
 * rewrite-timestamp}. The tar is a function of the tree alone: entries in byte order of their
 * names, whole-second modification times and no access or change times, numeric owners with empty
 * names, PAX headers only for what ustar cannot hold (long names, big numbers).
 *
 * <p>{@link #writeAsLayer} also makes the directory what unpacking its tar would give (what the tar
 * leaves out removed, every time the tar's), so that it can become the store's unpacked layer as it
 * is, without the tar being read back: what containerd's overlay snapshotter does with an upper
 * directory it commits.
 *
 * <p>Extended attributes are not written yet (Docker keeps {@code security.capability}).
 */
public final class LayerWriter {
  /** Where the runtime mounts over the root file system: never part of a layer. */
  static final Set<String> RUNTIME_PATHS =
      Set.of(
          "proc",
          "sys",
          "dev",
          "etc/hosts",
          "etc/hostname",
          "etc/resolv.conf",
          "etc/mtab",
          ".dockerenv",
          "run/.containerenv");

  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  private final Path upper;
  private final TarArchiveOutputStream tar;
  private final @Nullable Instant clamp;
  private final boolean settle;
  private final Map<Object, String> seen = new HashMap<>();

  private LayerWriter(
      Path upper, TarArchiveOutputStream tar, @Nullable Instant clamp, boolean settle) {
    this.upper = upper;
    this.tar = tar;
    this.clamp = clamp;
    this.settle = settle;
  }

  /**
   * Writes the layer of overlay upper directory {@code upper} to {@code out} (left open); {@code
   * clamp}, when not null, is the latest time any entry may carry.
   */
  public static void write(Path upper, OutputStream out, @Nullable Instant clamp)
      throws IOException {
    write(upper, out, clamp, false);
  }

  /**
   * Writes the layer of {@code upper} as {@link #write} does, and makes {@code upper} what the tar
   * unpacks to: the entries the tar leaves out (the runtime's mount points, sockets) are removed,
   * and every modification time is the tar's (whole seconds, clamped). Its overlay must no longer
   * be mounted.
   */
  public static void writeAsLayer(Path upper, OutputStream out, @Nullable Instant clamp)
      throws IOException {
    write(upper, out, clamp, true);
  }

  private static void write(Path upper, OutputStream out, @Nullable Instant clamp, boolean settle)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    new LayerWriter(upper, tar, clamp, settle).children(upper);
    tar.finish();
    tar.flush();
  }

  private void children(Path dir) throws IOException {
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      listing.forEach(all::add);
    }
    // Docker walks each directory in the byte order of its names.
    all.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path p : all) {
      String name = upper.relativize(p).toString();
      if (!RUNTIME_PATHS.contains(name) && !onlyMountPoints(p, name)) {
        entry(p, name);
      } else if (settle) {
        LayerUnpacker.removeTree(p);
      }
    }
  }

  /**
   * Whether {@code p} is a directory in the changes only because the runtime made mount points in
   * it ({@code /etc} for {@code /etc/hosts}): then it is no change of the container's.
   */
  private static boolean onlyMountPoints(Path p, String name) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
        || RUNTIME_PATHS.stream().noneMatch(r -> r.startsWith(name + "/"))
        || "y".equals(NativeFs.getXattrText(p, "trusted.overlay.opaque"))) {
      return false;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
      for (Path c : children) {
        if (!RUNTIME_PATHS.contains(name + "/" + c.getFileName())) {
          return false;
        }
      }
    }
    return true;
  }

  private void entry(Path p, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) attr(a, "mode");
    int type = mode & 0170000;
    long rdev = (Long) attr(a, "rdev");
    if (type == NativeFs.S_IFCHR && rdev == 0) {
      int slash = name.lastIndexOf('/');
      String whiteout = name.substring(0, slash + 1) + WHITEOUT + name.substring(slash + 1);
      TarArchiveEntry e = new TarArchiveEntry(whiteout, TarConstants.LF_NORMAL);
      e.setMode(0600);
      owners(e, a);
      times(e, (FileTime) attr(a, "lastModifiedTime"));
      put(e, null);
      return; // a whiteout's own time is seen by no one: the unpacker leaves it too
    }
    TarArchiveEntry e;
    Path content = null;
    Object inode = List.of(attr(a, "dev"), attr(a, "ino"));
    String first = (Integer) attr(a, "nlink") > 1 && type != 0040000 ? seen.get(inode) : null;
    if (first != null) {
      e = new TarArchiveEntry(name, TarConstants.LF_LINK);
      e.setLinkName(first);
    } else if (type == 0040000) {
      e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
    } else if (type == 0120000) {
      e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
    } else if (type == 0100000) {
      e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
      e.setSize((Long) attr(a, "size"));
      content = p;
      if ((Integer) attr(a, "nlink") > 1) {
        seen.put(inode, name);
      }
    } else if (type == NativeFs.S_IFCHR || type == NativeFs.S_IFBLK) {
      e =
          new TarArchiveEntry(
              name, type == NativeFs.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
      e.setDevMajor((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfff)));
      e.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & ~0xff)));
    } else if (type == NativeFs.S_IFIFO) {
      e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
    } else {
      if (settle) {
        Files.delete(p);
      }
      return; // a socket: Docker leaves them out too
    }
    e.setMode(mode & 07777);
    owners(e, a);
    times(e, (FileTime) attr(a, "lastModifiedTime"));
    put(e, content);
    if (type == 0040000 && first == null) {
      if ("y".equals(NativeFs.getXattrText(p, "trusted.overlay.opaque"))) {
        TarArchiveEntry opaque = new TarArchiveEntry(name + "/" + OPAQUE, TarConstants.LF_NORMAL);
        opaque.setMode(mode & 0777);
        owners(opaque, a);
        times(opaque, (FileTime) attr(a, "lastModifiedTime"));
        put(opaque, null);
      }
      children(p);
    }
    if (first == null) {
      settled(p, e); // a directory's after its children, whose removal changed it
    }
  }

  /** With {@link #settle}, gives {@code p} the modification time of its entry {@code e}. */
  private void settled(Path p, TarArchiveEntry e) throws IOException {
    if (settle) {
      NativeFs.setTimes(p, FileTime.from(e.getModTime().toInstant()));
    }
  }

  private static void owners(TarArchiveEntry e, Map<String, Object> a) {
    e.setUserId((Integer) attr(a, "uid"));
    e.setGroupId((Integer) attr(a, "gid"));
    // Numbers only, as Docker's archive package writes them: commons-compress would put the name
    // of the user running the engine in every entry, which would make layers differ by host.
    e.setUserName("");
    e.setGroupName("");
  }

  private void times(TarArchiveEntry e, FileTime modified) {
    Instant t = modified.toInstant();
    if (clamp != null && t.isAfter(clamp)) {
      t = clamp;
    }
    e.setModTime(FileTime.from(t.getEpochSecond(), java.util.concurrent.TimeUnit.SECONDS));
  }

  private void put(TarArchiveEntry e, @Nullable Path content) throws IOException {
    tar.putArchiveEntry(e);
    if (content != null) {
      Files.copy(content, tar);
    }
    tar.closeArchiveEntry();
  }

  /** A {@code unix:} attribute, which Linux gives every file. */
  private static Object attr(Map<String, Object> a, String name) {
    Object v = a.get(name);
    if (v == null) {
      throw new IllegalStateException("no unix:" + name + " attribute");
    }
    return v;
  }
}
