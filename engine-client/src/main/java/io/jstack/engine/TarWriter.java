package io.jstack.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes tar entries (ustar, with PAX headers for long names), as engines take files. */
public final class TarWriter {
  public static final int BLOCK = 512;

  private TarWriter() {}

  /** A regular file owned by {@code uid}:{@code gid}. */
  public static void file(OutputStream out, String name, int mode, int uid, int gid, byte[] body)
      throws IOException {
    entry(out, name, mode, uid, gid, body.length, '0', "");
    out.write(body);
    pad(out, body.length);
  }

  public static void directory(OutputStream out, String name, int mode) throws IOException {
    entry(out, name.endsWith("/") ? name : name + "/", mode, 0, 0, 0, '5', "");
  }

  /** A header owned by root; the caller writes {@code size} bytes of content and pads. */
  public static void header(
      OutputStream out, String name, int mode, long size, char type, String link)
      throws IOException {
    entry(out, name, mode, 0, 0, size, type, link);
  }

  public static void end(OutputStream out) throws IOException {
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  private static void entry(
      OutputStream out, String name, int mode, int uid, int gid, long size, char type, String link)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      // A PAX extended header carries names that do not fit the classic 100 bytes.
      StringBuilder pax = new StringBuilder(record("path", name));
      if (linkBytes.length > 0) {
        pax.append(record("linkpath", link));
      }
      byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
      block(out, "PaxHeader", 0644, 0, 0, body.length, 'x', "");
      out.write(body);
      pad(out, body.length);
      name = name.length() > 99 ? name.substring(0, 99) : name;
      link = link.length() > 99 ? link.substring(0, 99) : link;
    }
    block(out, name, mode, uid, gid, size, type, link);
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
      OutputStream out, String name, int mode, int uid, int gid, long size, char type, String link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
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
    StringBuilder padded = new StringBuilder();
    for (int i = s.length(); i < len - 1; i++) {
      padded.append('0');
    }
    padded.append(s);
    put(h, off, len - 1, padded.toString().getBytes(StandardCharsets.US_ASCII));
    h[off + len - 1] = 0;
  }

  public static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
