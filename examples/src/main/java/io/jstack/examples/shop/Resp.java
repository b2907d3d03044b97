package io.jstack.examples.shop;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Redis protocol, RESP 2 (https://redis.io/docs/latest/develop/reference/protocol-spec/):
 * commands out as arrays of bulk strings, replies in as simple strings, errors, integers, bulk
 * strings and arrays.
 */
final class Resp {
  private Resp() {}

  /** Writes a command as RESP: an array of bulk strings, then flushes. */
  static void write(OutputStream out, String... command) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : command) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buf.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(bytes);
      buf.writeBytes(new byte[] {'\r', '\n'});
    }
    buf.writeTo(out);
    out.flush();
  }

  /**
   * Reads one RESP 2 reply: simple string, bulk string (null when absent), integer, or array.
   *
   * @throws RedisError for an error reply
   */
  static @Nullable Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis closed the connection");
    }
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisError(line);
      case ':':
        return number(line);
      case '$':
        {
          long n = number(line);
          if (n < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(Math.toIntExact(n));
          if (bytes.length < n || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Redis closed the connection in a bulk string");
          }
          return new String(bytes, StandardCharsets.UTF_8);
        }
      case '*':
        {
          long n = number(line);
          if (n < 0) {
            return null;
          }
          List<@Nullable Object> items = new ArrayList<>();
          for (long i = 0; i < n; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("not a RESP reply: starts with byte " + type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new EOFException("Redis closed the connection in a reply");
      }
      buf.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("not a RESP reply: CR without LF");
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static long number(String line) throws IOException {
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new IOException("not a RESP reply: " + Json.quote(line) + " is not a number", e);
    }
  }
}
