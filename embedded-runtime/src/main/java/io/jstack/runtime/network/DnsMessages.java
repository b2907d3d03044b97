package io.jstack.runtime.network;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The few DNS messages the engine's DNS reads and writes (RFC 1035): the question of a query, and
 * an answer to it made here (addresses, no data, NXDOMAIN or SERVFAIL). Everything else goes to an
 * upstream resolver as it came.
 */
final class DnsMessages {
  static final int NOERROR = 0;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int TYPE_A = 1;

  private DnsMessages() {}

  /**
   * The question of a query.
   *
   * @param name lower case, no trailing dot
   * @param end where the question ends in the message
   */
  record Question(String name, int type, int end) {}

  /** The question of {@code query}; null if it is no standard query with one question. */
  static @Nullable Question question(byte[] query) {
    if (query.length < 12 || (query[2] & 0x80) != 0 || (query[2] & 0x78) != 0) {
      return null; // short, a response, or not a standard query
    }
    if (((query[4] & 0xff) << 8 | (query[5] & 0xff)) != 1) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    int at = 12;
    while (true) {
      if (at >= query.length) {
        return null;
      }
      int length = query[at] & 0xff;
      if (length == 0) {
        at++;
        break;
      }
      if (length > 63 || at + 1 + length > query.length) {
        return null; // a pointer (never in a question alone) or cut short
      }
      if (name.length() > 0) {
        name.append('.');
      }
      for (int i = 0; i < length; i++) {
        name.append((char) (query[at + 1 + i] & 0xff));
      }
      at += 1 + length;
    }
    if (at + 4 > query.length) {
      return null;
    }
    int type = (query[at] & 0xff) << 8 | (query[at + 1] & 0xff);
    return new Question(name.toString().toLowerCase(Locale.ROOT), type, at + 4);
  }

  /**
   * The answer to {@code query} (whose question is {@code q}): {@code addresses} as A records when
   * it asks for A (authoritative when there are any), with {@code code}.
   */
  static byte[] answer(byte[] query, Question q, List<Long> addresses, int ttl, int code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(q.end() + 16 * addresses.size());
    List<Long> records = q.type() == TYPE_A ? addresses : List.of();
    out.write(query[0]);
    out.write(query[1]);
    // QR, the query's opcode (0) and RD; AA when it names containers; RA.
    out.write(0x80 | (addresses.isEmpty() ? 0 : 0x04) | (query[2] & 0x01));
    out.write(0x80 | (code & 0x0f));
    write16(out, 1);
    write16(out, records.size());
    write16(out, 0);
    write16(out, 0);
    out.write(query, 12, q.end() - 12);
    for (long a : records) {
      write16(out, 0xc00c); // the name: a pointer to the question's
      write16(out, TYPE_A);
      write16(out, 1); // IN
      write16(out, ttl >>> 16);
      write16(out, ttl & 0xffff);
      write16(out, 4);
      write16(out, (int) (a >>> 16) & 0xffff);
      write16(out, (int) a & 0xffff);
    }
    return out.toByteArray();
  }

  private static void write16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8 & 0xff);
    out.write(v & 0xff);
  }
}
