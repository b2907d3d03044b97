package io.jstack.runtime.image.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a tar stream entry by entry: ustar, GNU long names ({@code L}, {@code K}) and POSIX pax
 * headers (per entry and global), with extended attributes from {@code SCHILY.xattr.*} and {@code
 * LIBARCHIVE.xattr.*} kept as raw bytes (file capabilities are binary). Every header's checksum is
 * verified; anything malformed or of an unknown kind is a {@link Malformed} naming the entry.
 */
public final class TarReader {
  /** The stream is not a tar archive this reader takes, as opposed to a failure to read it. */
  public static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private static final int BLOCK = 512;
  private static final int MAX_META = 1 << 20;

  private final InputStream in;
  private final Map<String, byte[]> global = new HashMap<>();
  private long remaining;
  private long padding;
  private long offset;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /**
   * One entry.
   *
   * @param type {@code '0'} file, {@code '1'} hard link, {@code '2'} symbolic link, {@code '3'}
   *     character device, {@code '4'} block device, {@code '5'} directory, {@code '6'} FIFO
   * @param mode permission bits with setuid, setgid and sticky
   * @param xattrs extended attributes by name, raw
   */
  public record Entry(
      String name,
      char type,
      long size,
      int mode,
      long uid,
      long gid,
      FileTime mtime,
      String linkName,
      int devMajor,
      int devMinor,
      Map<String, byte[]> xattrs) {}

  /** The next entry, or null at the end of the archive; skips what was left of the previous one. */
  public @Nullable Entry next() throws IOException {
    skipRest();
    Map<String, byte[]> pax = new HashMap<>(global);
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] h = new byte[BLOCK];
      int n = in.readNBytes(h, 0, BLOCK);
      offset += n;
      if (n == 0) {
        return null;
      }
      if (n < BLOCK) {
        throw new Malformed("the tar stream ends inside a header at byte " + (offset - n));
      }
      if (allZero(h)) {
        return null;
      }
      verifyChecksum(h);
      char type = (char) h[156];
      long size = number(h, 124, 12, "size");
      String name = longName != null ? longName : headerName(h);
      switch (type) {
        case 'x', 'g' -> {
          Map<String, byte[]> records = paxRecords(readMeta(size, name));
          (type == 'g' ? global : pax).putAll(records);
          if (type == 'g') {
            pax.putAll(records);
          }
          continue;
        }
        case 'L' -> {
          longName = cString(readMeta(size, name));
          continue;
        }
        case 'K' -> {
          longLink = cString(readMeta(size, name));
          continue;
        }
        default -> {}
      }
      char kind =
          switch (type) {
            case '0', '\0', '7' -> '0';
            case '1', '2', '3', '4', '5', '6' -> type;
            case 'S' ->
                throw new Malformed(
                    "tar entry " + name + " is a GNU sparse file, which is not supported");
            default ->
                throw new Malformed(
                    "tar entry " + name + " has the unknown type '" + printable(type) + "'");
          };
      if (pax.containsKey("path")) {
        name = utf8(pax.get("path"));
      }
      String link = longLink != null ? longLink : cString(h, 157, 100);
      if (pax.containsKey("linkpath")) {
        link = utf8(pax.get("linkpath"));
      }
      if (pax.containsKey("size")) {
        size = parseLong(utf8(pax.get("size")), "size", name);
      }
      long uid =
          pax.containsKey("uid")
              ? parseLong(utf8(pax.get("uid")), "uid", name)
              : number(h, 108, 8, "uid");
      long gid =
          pax.containsKey("gid")
              ? parseLong(utf8(pax.get("gid")), "gid", name)
              : number(h, 116, 8, "gid");
      FileTime mtime =
          pax.containsKey("mtime")
              ? paxTime(utf8(pax.get("mtime")), name)
              : FileTime.from(Instant.ofEpochSecond(number(h, 136, 12, "mtime")));
      if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
        throw new Malformed("tar entry " + name + " is a sparse file, which is not supported");
      }
      Map<String, byte[]> xattrs = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> e : pax.entrySet()) {
        if (e.getKey().startsWith("SCHILY.xattr.")) {
          xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
        } else if (e.getKey().startsWith("LIBARCHIVE.xattr.")) {
          String encoded = e.getKey().substring("LIBARCHIVE.xattr.".length());
          xattrs.put(
              java.net.URLDecoder.decode(encoded, StandardCharsets.UTF_8),
              Base64.getDecoder().decode(utf8(e.getValue()).strip()));
        }
      }
      // As GNU and Go tar: only regular files carry data; other kinds are header-only whatever
      // their size field says.
      if (kind != '0') {
        size = 0;
      }
      if (size < 0) {
        throw new Malformed("tar entry " + name + " has a negative size");
      }
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      return new Entry(
          name,
          kind,
          size,
          (int) (number(h, 100, 8, "mode") & 07777),
          uid,
          gid,
          mtime,
          link,
          (int) number(h, 329, 8, "devmajor"),
          (int) number(h, 337, 8, "devminor"),
          Map.copyOf(xattrs));
    }
  }

  /** The current entry's content; reading past its end returns end of stream. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new Malformed("the tar stream ends inside an entry's content");
        }
        remaining -= n;
        offset += n;
        return n;
      }
    };
  }

  /**
   * Reads past the rest of the current entry. It reads rather than skips, so that a digest computed
   * over the stream below sees every byte. A stream that ends right after the last entry's content,
   * without its padding (and so without the end-of-archive blocks), ends there, as Go's {@code
   * archive/tar} reads it: the docker CLI sends such a build context when it adds a Dockerfile from
   * outside the context, and dockerd takes it. A stream that ends inside the padding does not.
   */
  private void skipRest() throws IOException {
    discard(remaining);
    remaining = 0;
    if (padding > 0) {
      int n = in.read();
      if (n >= 0) {
        offset++;
        discard(padding - 1);
      }
    }
    padding = 0;
  }

  private void discard(long count) throws IOException {
    byte[] buffer = new byte[8192];
    long left = count;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new Malformed("the tar stream ends inside an entry");
      }
      left -= n;
      offset += n;
    }
  }

  private byte[] readMeta(long size, String name) throws IOException {
    if (size < 0 || size > MAX_META) {
      throw new Malformed("tar entry " + name + " has a header extension of " + size + " bytes");
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) {
      throw new Malformed("the tar stream ends inside a header extension");
    }
    offset += size;
    discard((BLOCK - size % BLOCK) % BLOCK);
    return b;
  }

  /** Parses {@code "<length> <key>=<value>\n"} records; values stay raw bytes. */
  static Map<String, byte[]> paxRecords(byte[] data) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int i = 0;
    while (i < data.length) {
      if (data[i] == 0) {
        break;
      }
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new Malformed("malformed pax header record at offset " + i);
      }
      int end = i + length;
      if (length <= 0 || end > data.length || data[end - 1] != '\n') {
        throw new Malformed("malformed pax header record at offset " + i);
      }
      int eq = space + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new Malformed("malformed pax header record at offset " + i);
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      out.put(key, java.util.Arrays.copyOfRange(data, eq + 1, end - 1));
      i = end;
    }
    return out;
  }

  private static void verifyChecksum(byte[] h) throws IOException {
    long stored = number(h, 148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i >= 148 && i < 156 ? (byte) ' ' : h[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw new Malformed(
          "corrupt tar header for " + headerName(h) + ": checksum " + stored + " != " + unsigned);
    }
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar =
        h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    boolean gnu = ustar && h[262] == ' ';
    if (ustar && !gnu && h[345] != 0) {
      name = cString(h, 345, 155) + "/" + name;
    }
    return name;
  }

  private static long number(byte[] h, int off, int len, String field) throws IOException {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        if ((v >>> 55) != 0) {
          throw new Malformed("tar header field " + field + " is too large");
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    long v = 0;
    boolean any = false;
    for (int i = off; i < off + len; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (any) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        throw new Malformed("tar header field " + field + " is not an octal number");
      }
      v = (v << 3) | (b - '0');
      any = true;
    }
    return v;
  }

  private static long parseLong(String s, String field, String name) throws IOException {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new Malformed("tar entry " + name + " has a malformed pax " + field + ": " + s);
    }
  }

  private static FileTime paxTime(String s, String name) throws IOException {
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(s.strip());
      long seconds = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
      long nanos =
          d.subtract(java.math.BigDecimal.valueOf(seconds))
              .movePointRight(9)
              .setScale(0, java.math.RoundingMode.FLOOR)
              .longValueExact();
      return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new Malformed("tar entry " + name + " has a malformed pax mtime: " + s);
    }
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b) {
    return cString(b, 0, b.length);
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String printable(char c) {
    return c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }
}
