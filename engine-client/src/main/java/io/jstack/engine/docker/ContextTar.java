package io.jstack.engine.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a build context as a tar stream: every file below the context directory that {@code
 * .dockerignore} does not leave out (the Dockerfile and {@code .dockerignore} itself always go), in
 * a stable order, with permissions, and symbolic links as links (never followed).
 */
final class ContextTar {
  private static final int BLOCK = 512;

  private ContextTar() {}

  /**
   * Writes the context of {@code dir} to {@code out}; {@code extra} (may be null) is one more file
   * to add, e.g. an inline Dockerfile, as {@code {name, text}}.
   */
  static void write(Path dir, String dockerfile, String[] extra, OutputStream out)
      throws IOException {
    Path ignoreFile = dir.resolve(".dockerignore");
    DockerIgnore ignore =
        Files.isRegularFile(ignoreFile)
            ? DockerIgnore.parse(Files.readString(ignoreFile))
            : DockerIgnore.none();
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir)).sorted().forEach(entries::add);
    }
    for (Path p : entries) {
      String rel = dir.relativize(p).toString().replace('\\', '/');
      boolean always = rel.equals(".dockerignore") || rel.equals(dockerfile);
      if (!always && ignore.excludes(rel)) {
        continue;
      }
      if (Files.isSymbolicLink(p)) {
        header(out, rel, 0777, 0, '2', Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        header(out, rel + "/", mode(p), 0, '5', "");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        long size = Files.size(p);
        header(out, rel, mode(p), size, '0', "");
        Files.copy(p, out);
        pad(out, size);
      }
    }
    if (extra != null) {
      byte[] body = extra[1].getBytes(StandardCharsets.UTF_8);
      header(out, extra[0], 0644, body.length, '0', "");
      out.write(body);
      pad(out, body.length);
    }
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  private static int mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int mode = 0;
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }

  private static void header(
      OutputStream out, String name, int mode, long size, char type, String link)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      // A PAX extended header carries names that do not fit the classic 100 bytes.
      StringBuilder pax = new StringBuilder();
      pax.append(record("path", name));
      if (linkBytes.length > 0) {
        pax.append(record("linkpath", link));
      }
      byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
      block(out, "PaxHeader", 0644, body.length, 'x', "");
      out.write(body);
      pad(out, body.length);
      name = name.length() > 99 ? name.substring(0, 99) : name;
      link = link.length() > 99 ? link.substring(0, 99) : link;
    }
    block(out, name, mode, size, type, link);
  }

  private static String record(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.getBytes(StandardCharsets.UTF_8).length;
    int total = len + Integer.toString(len).length();
    if (Integer.toString(total).length() != Integer.toString(len).length()) {
      total++;
    }
    return total + body;
  }

  private static void block(
      OutputStream out, String name, int mode, long size, char type, String link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    out.write(h);
  }

  private static void put(byte[] h, int off, int max, byte[] value) {
    System.arraycopy(value, 0, h, off, Math.min(max, value.length));
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    while (s.length() < len - 1) {
      s = "0" + s;
    }
    put(h, off, len - 1, s.getBytes(StandardCharsets.US_ASCII));
    h[off + len - 1] = 0;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
