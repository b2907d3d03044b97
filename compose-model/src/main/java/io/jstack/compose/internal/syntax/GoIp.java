package io.jstack.compose.internal.syntax;

/**
 * Go's {@code net.ParseIP} as a yes/no test: an IPv4 address in dotted decimal (no leading zeros)
 * or an IPv6 address (with an optional trailing dotted IPv4), without a zone.
 *
 * <p>Follows Go's {@code net/netip} {@code ParseAddr} ({@code parseIPv4}, {@code parseIPv6}), which
 * {@code net.ParseIP} calls and then rejects any zone. {@link java.net.InetAddress} is not used: it
 * resolves names and accepts forms Go rejects.
 */
final class GoIp {
  private GoIp() {}

  /** True when Go's {@code net.ParseIP(s)} returns an address. */
  static boolean isValid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        return isIpv4(s);
      }
      if (c == ':') {
        return isIpv6(s);
      }
      if (c == '%') {
        return false;
      }
    }
    return false;
  }

  private static boolean isIpv4(String s) {
    return ipv4Fields(s);
  }

  /** Go's {@code parseIPv4Fields}: four decimal octets 0-255, no leading zeros, no empty field. */
  private static boolean ipv4Fields(String s) {
    int val = 0;
    int fields = 0;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits == 1 && val == 0) {
          return false; // leading zero
        }
        val = val * 10 + (c - '0');
        digits++;
        if (val > 255) {
          return false;
        }
      } else if (c == '.') {
        if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
          return false;
        }
        if (fields == 3) {
          return false; // too long
        }
        fields++;
        val = 0;
        digits = 0;
      } else {
        return false;
      }
    }
    return fields == 3;
  }

  private static boolean isIpv6(String in) {
    if (in.indexOf('%') >= 0) {
      return false; // net.ParseIP rejects zones
    }
    String s = in;
    int ellipsis = -1;
    if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = 0;
      s = s.substring(2);
      if (s.isEmpty()) {
        return true; // "::"
      }
    }
    int i = 0; // bytes of the address filled so far
    while (i < 16) {
      int off = 0;
      int acc = 0;
      for (; off < s.length(); off++) {
        int digit = hexDigit(s.charAt(off));
        if (digit < 0) {
          break;
        }
        acc = (acc << 4) + digit;
        if (off > 3 || acc > 0xFFFF) {
          return false;
        }
      }
      if (off == 0) {
        return false; // a field without digits
      }
      if (off < s.length() && s.charAt(off) == '.') {
        // A trailing IPv4 address fills the last four bytes.
        if (ellipsis < 0 && i != 12) {
          return false;
        }
        if (i + 4 > 16) {
          return false;
        }
        if (!ipv4Fields(s)) {
          return false;
        }
        s = "";
        i += 4;
        break;
      }
      i += 2;
      s = s.substring(off);
      if (s.isEmpty()) {
        break;
      }
      if (s.charAt(0) != ':' || s.length() == 1) {
        return false;
      }
      s = s.substring(1);
      if (s.charAt(0) == ':') {
        if (ellipsis >= 0) {
          return false; // a second "::"
        }
        ellipsis = i;
        s = s.substring(1);
        if (s.isEmpty()) {
          break;
        }
      }
    }
    if (!s.isEmpty()) {
      return false; // trailing garbage
    }
    if (i < 16) {
      return ellipsis >= 0;
    }
    return ellipsis < 0; // "::" must stand for at least one zero field
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
