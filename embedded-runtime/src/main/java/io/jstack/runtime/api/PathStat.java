package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Base64;

/**
 * Docker's {@code X-Docker-Container-Path-Stat} header of {@code /containers/{id}/archive}: the
 * base64 of {@code {"name","size","mode","mtime","linkTarget"}} for the path asked, its mode in
 * Go's {@code os.FileMode} bits (type bits high, permissions low), as the docker CLI's {@code cp}
 * reads it before it copies.
 */
final class PathStat {
  /** The header's name. */
  static final String HEADER = "X-Docker-Container-Path-Stat";

  // Go's os.FileMode type and special bits.
  private static final long DIR = 1L << 31;
  private static final long SYMLINK = 1L << 27;
  private static final long DEVICE = 1L << 26;
  private static final long NAMED_PIPE = 1L << 25;
  private static final long SOCKET = 1L << 24;
  private static final long CHAR_DEVICE = 1L << 21;

  private PathStat() {}

  /**
   * The header's value for {@code file} (on the host, inside the container's root; not followed
   * when a link), which the container names {@code containerPath}.
   */
  static String of(Path file, String containerPath) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int raw = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      long mode = (raw & 0777) | special(raw);
      String linkTarget = "";
      if (a.isDirectory()) {
        mode |= DIR;
      } else if (a.isSymbolicLink()) {
        mode |= SYMLINK;
        String target = Files.readSymbolicLink(file).toString();
        linkTarget = target.startsWith("/") ? target : parent(containerPath) + target;
      } else if (a.isOther()) {
        mode |= other(raw);
      }
      ObjectNode stat = Exchange.JSON.createObjectNode();
      stat.put("name", name(containerPath));
      stat.put("size", a.size());
      stat.put("mode", mode);
      stat.put("mtime", a.lastModifiedTime().toInstant().toString());
      stat.put("linkTarget", linkTarget);
      return Base64.getEncoder()
          .encodeToString(Exchange.JSON.writeValueAsString(stat).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read what " + containerPath + " is", e);
    }
  }

  /** setuid, setgid and sticky in Go's bits. */
  private static long special(int raw) {
    long m = 0;
    m |= (raw & 04000) != 0 ? 1L << 23 : 0;
    m |= (raw & 02000) != 0 ? 1L << 22 : 0;
    m |= (raw & 01000) != 0 ? 1L << 20 : 0;
    return m;
  }

  /** A device, pipe or socket's type bits, from the file type of {@code st_mode}. */
  private static long other(int raw) {
    return switch (raw & 0170000) {
      case 0020000 -> DEVICE | CHAR_DEVICE;
      case 0060000 -> DEVICE;
      case 0010000 -> NAMED_PIPE;
      case 0140000 -> SOCKET;
      default -> 0;
    };
  }

  /** The last element of a container path, as Go's {@code filepath.Base} ("/" for the root). */
  private static String name(String containerPath) {
    String p = containerPath.replaceAll("/+$", "");
    return p.isEmpty() ? "/" : p.substring(p.lastIndexOf('/') + 1);
  }

  private static String parent(String containerPath) {
    String p = containerPath.replaceAll("/+$", "");
    return p.substring(0, p.lastIndexOf('/') + 1);
  }
}
