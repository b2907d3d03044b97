package io.jstack.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the files of a tar stream (ustar; long names are not needed for what the fake reads). */
final class TarEntries {
  private TarEntries() {}

  /** Every regular file of the stream, by its name without a leading {@code ./}. */
  static java.util.Map<String, byte[]> readAll(InputStream in) throws IOException {
    java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
      String entry = text(header, 0, 100);
      String sizeText = text(header, 124, 12).trim();
      long size = sizeText.isEmpty() ? 0 : Long.parseLong(sizeText, 8);
      long padded = (size + 511) / 512 * 512;
      byte[] body = in.readNBytes((int) size);
      in.skipNBytes(padded - size);
      if (header[156] == '0' || header[156] == 0) {
        out.put(entry.startsWith("./") ? entry.substring(2) : entry, body);
      }
    }
    return out;
  }

  private static String text(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.US_ASCII);
  }
}
