package io.jstack.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Unpacks a tar stream that came out of a container onto the host, where a hostile archive must not
 * reach outside the destination: absolute names, {@code ..} components and writes through symbolic
 * links (made earlier by the same archive, or already there) are refused; set-id bits are dropped;
 * hard links and device nodes are skipped.
 */
public final class SafeExtract {
  private SafeExtract() {}

  /** Refused archive content. */
  public static final class UnsafeArchive extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeArchive(String message) {
      super(message);
    }
  }

  /**
   * Unpacks {@code tar} below {@code dest}; the archive's first path component is replaced by
   * {@code topName} when it is not null (copying to a new name).
   *
   * @return how many entries were skipped (hard links, devices)
   */
  public static int extract(InputStream tar, Path dest, @Nullable String topName)
      throws IOException {
    Path root = dest.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int skipped = 0;
    byte[] header = new byte[512];
    String longName = null;
    while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
      char type = (char) header[156];
      long size = octal(header, 124, 12);
      long padded = (size + 511) / 512 * 512;
      String name = longName != null ? longName : prefixed(header);
      longName = null;
      if (type == 'x' || type == 'L') {
        byte[] body = tar.readNBytes((int) size);
        tar.skipNBytes(padded - size);
        longName = type == 'L' ? text(body, 0, body.length) : paxPath(body);
        continue;
      }
      String rel = relative(name, topName);
      if (rel.isEmpty()) {
        tar.skipNBytes(padded);
        if (type == '5') {
          continue;
        }
        throw new UnsafeArchive("empty entry name in the archive");
      }
      Path target = root.resolve(rel).normalize();
      if (!target.startsWith(root) || target.equals(root) && type != '5') {
        throw new UnsafeArchive("archive entry " + name + " points outside " + root);
      }
      refuseLinksOnTheWay(root, target);
      int mode = (int) octal(header, 100, 8) & 0777;
      switch (type) {
        case '5' -> Files.createDirectories(target);
        case '0', '\0', '7' -> {
          if (Files.isSymbolicLink(target)) {
            throw new UnsafeArchive(
                "refusing to write " + name + " through the symbolic link " + target);
          }
          try (OutputStream out =
              Files.newOutputStream(
                  target,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)) {
            copy(tar, out, size);
          }
          tar.skipNBytes(padded - size);
          Files.setPosixFilePermissions(target, permissions(mode == 0 ? 0644 : mode));
          continue;
        }
        case '2' -> {
          String link = text(header, 157, 100);
          if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(target, Path.of(link));
          }
        }
        default -> skipped++;
      }
      tar.skipNBytes(padded);
    }
    return skipped;
  }

  /** No directory between {@code root} and {@code target} may be a symbolic link. */
  private static void refuseLinksOnTheWay(Path root, Path target) throws UnsafeArchive {
    for (Path p = target.getParent();
        p != null && p.startsWith(root) && !p.equals(root);
        p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new UnsafeArchive("refusing to write " + target + " through the symbolic link " + p);
      }
    }
  }

  private static String relative(String name, @Nullable String topName) throws UnsafeArchive {
    String n = name.replace('\\', '/');
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.startsWith("/")) {
      throw new UnsafeArchive("archive entry " + name + " has an absolute path");
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        throw new UnsafeArchive("archive entry " + name + " climbs out with ..");
      }
    }
    if (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    if (topName != null && !n.isEmpty()) {
      int slash = n.indexOf('/');
      n = slash < 0 ? topName : topName + n.substring(slash);
    }
    return n;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        perms.add(all[i]);
      }
    }
    return perms;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("the archive ended inside a file");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static String prefixed(byte[] h) {
    String name = text(h, 0, 100);
    String magic = text(h, 257, 6);
    String prefix = magic.startsWith("ustar") ? text(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static @Nullable String paxPath(byte[] body) {
    for (String record : new String(body, StandardCharsets.UTF_8).split("\n")) {
      int space = record.indexOf(' ');
      String kv = space < 0 ? record : record.substring(space + 1);
      if (kv.startsWith("path=")) {
        return kv.substring(5);
      }
    }
    return null;
  }

  private static long octal(byte[] h, int off, int len) {
    String t = text(h, off, len).trim();
    return t.isEmpty() ? 0 : Long.parseLong(t, 8);
  }

  private static String text(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }
}
