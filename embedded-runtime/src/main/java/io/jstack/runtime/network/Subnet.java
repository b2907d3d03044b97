package io.jstack.runtime.network;

/**
 * An IPv4 network in CIDR form ({@code 172.20.0.0/16}): its base address and prefix length.
 *
 * @param base the network's first address, as an unsigned 32-bit number
 */
public record Subnet(long base, int prefix) {
  public Subnet {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("a prefix length is 0 to 32, not " + prefix);
    }
    if ((base & ~mask(prefix) & 0xffffffffL) != 0) {
      throw new IllegalArgumentException(
          address(base) + "/" + prefix + " is not a network address: its host bits are set");
    }
  }

  /**
   * Parses {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "subnet " + cidr + " needs a prefix length, as in 172.28.0.0/16");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("subnet " + cidr + " has no number after the slash");
    }
    return new Subnet(parseAddress(cidr.substring(0, slash)), prefix);
  }

  /** The smallest subnet of {@code prefix} bits that holds {@code address}. */
  public static Subnet containing(long address, int prefix) {
    return new Subnet(address & mask(prefix), prefix);
  }

  /**
   * Parses a dotted IPv4 address into an unsigned 32-bit number.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static long parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(text + " is not an IPv4 address");
    }
    long a = 0;
    for (String p : parts) {
      int octet;
      try {
        octet = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(text + " is not an IPv4 address");
      }
      if (octet < 0 || octet > 255 || p.isEmpty() || p.length() > 3) {
        throw new IllegalArgumentException(text + " is not an IPv4 address");
      }
      a = a << 8 | octet;
    }
    return a;
  }

  /** The dotted form of an address. */
  public static String address(long a) {
    return (a >> 24 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 8 & 0xff) + "." + (a & 0xff);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
  }

  /** How many addresses it spans. */
  public long size() {
    return 1L << (32 - prefix);
  }

  /** The last address (broadcast). */
  public long last() {
    return base + size() - 1;
  }

  public boolean contains(long address) {
    return address >= base && address <= last();
  }

  /** Whether the two share any address. */
  public boolean overlaps(Subnet other) {
    return base <= other.last() && other.base <= last();
  }

  /** Whether {@code other} lies wholly within it. */
  public boolean covers(Subnet other) {
    return contains(other.base) && contains(other.last());
  }

  /** Its {@code n}th address ({@code n} from 0). */
  public long host(long n) {
    if (n < 0 || n >= size()) {
      throw new IllegalArgumentException(this + " has no address number " + n);
    }
    return base + n;
  }

  @Override
  public String toString() {
    return address(base) + "/" + prefix;
  }
}
