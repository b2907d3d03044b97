package io.jstack.engine.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * DER (ITU-T X.690) for the few ASN.1 types that X.509 certificates and PEM keys are made of:
 * encoding, and reading a structure's elements. Nothing here knows what a certificate is.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  /** One element: its tag and its content octets. */
  record Element(int tag, byte[] content) {
    /** The elements a constructed element (a sequence, a set, an explicit tag) holds. */
    List<Element> children() {
      return read(content);
    }
  }

  static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int octets = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    return element(SEQUENCE, concat(elements));
  }

  static byte[] sequence(List<byte[]> elements) {
    return sequence(elements.toArray(byte[][]::new));
  }

  static byte[] set(byte[]... elements) {
    return element(SET, concat(elements));
  }

  static byte[] integer(BigInteger value) {
    return element(INTEGER, value.toByteArray());
  }

  static byte[] integer(long value) {
    return integer(BigInteger.valueOf(value));
  }

  static byte[] bool(boolean value) {
    return element(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
  }

  static byte[] nul() {
    return element(NULL, new byte[0]);
  }

  static byte[] octets(byte[] value) {
    return element(OCTET_STRING, value);
  }

  /** A bit string of whole octets ({@code value}, e.g. a public key or a signature). */
  static byte[] bits(byte[] value) {
    return element(BIT_STRING, concat(new byte[] {0}, value));
  }

  /**
   * A named bit list (as {@code KeyUsage}): bit 0 is the first octet's highest bit; DER leaves out
   * the trailing zero bits.
   */
  static byte[] namedBits(int... bitNumbers) {
    int highest = 0;
    for (int b : bitNumbers) {
      highest = Math.max(highest, b);
    }
    byte[] octets = new byte[highest / 8 + 1];
    for (int b : bitNumbers) {
      octets[b / 8] |= (byte) (0x80 >>> (b % 8));
    }
    int unused = 7 - highest % 8;
    return element(BIT_STRING, concat(new byte[] {(byte) unused}, octets));
  }

  static byte[] utf8(String value) {
    return element(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 5280's rule: UTCTime through 2049, GeneralizedTime from 2050. */
  static byte[] time(Instant at) {
    int year = at.atZone(ZoneOffset.UTC).getYear();
    return year >= 1950 && year < 2050
        ? element(UTC_TIME, UTC.format(at).getBytes(StandardCharsets.US_ASCII))
        : element(GENERALIZED_TIME, GENERALIZED.format(at).getBytes(StandardCharsets.US_ASCII));
  }

  /** An object identifier from its dotted form, e.g. {@code 2.5.4.3}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return element(OID, out.toByteArray());
  }

  /** The dotted form of an object identifier's content octets. */
  static String oidText(byte[] content) {
    StringBuilder s = new StringBuilder();
    long arc = 0;
    boolean first = true;
    for (byte b : content) {
      arc = (arc << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) {
        if (first) {
          long top = Math.min(arc / 40, 2);
          s.append(top).append('.').append(arc - top * 40);
          first = false;
        } else {
          s.append('.').append(arc);
        }
        arc = 0;
      }
    }
    return s.toString();
  }

  /** A constructed context-specific tag {@code [n] EXPLICIT} around {@code inner}. */
  static byte[] explicit(int n, byte[] inner) {
    return element(0xa0 | n, inner);
  }

  /** A primitive context-specific tag {@code [n] IMPLICIT} of {@code content} octets. */
  static byte[] implicit(int n, byte[] content) {
    return element(0x80 | n, content);
  }

  /**
   * The elements one after another in {@code der}.
   *
   * @throws IllegalArgumentException when it is not well-formed DER
   */
  static List<Element> read(byte[] der) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < der.length) {
      if (i + 2 > der.length) {
        throw new IllegalArgumentException("truncated DER at octet " + i);
      }
      int tag = der[i++] & 0xff;
      int length = der[i++] & 0xff;
      if (length >= 0x80) {
        int octets = length & 0x7f;
        if (octets == 0 || octets > 4 || i + octets > der.length) {
          throw new IllegalArgumentException("bad DER length at octet " + (i - 1));
        }
        length = 0;
        for (int k = 0; k < octets; k++) {
          length = (length << 8) | (der[i++] & 0xff);
        }
      }
      if (length < 0 || i + length > der.length) {
        throw new IllegalArgumentException("DER element longer than its input at octet " + i);
      }
      byte[] content = new byte[length];
      System.arraycopy(der, i, content, 0, length);
      out.add(new Element(tag, content));
      i += length;
    }
    return out;
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int seven = (int) ((value >>> (7 * g)) & 0x7f);
      out.write(g == 0 ? seven : seven | 0x80);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
