package io.jstack.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What this host's IPv4 networking already uses: the subnets of its routes and addresses. */
public final class HostNetwork {
  private HostNetwork() {}

  /**
   * The subnets the host routes to or has an address in, the default route excepted: a bridge
   * network must overlap none of them.
   */
  public static List<Subnet> subnetsInUse() throws IOException {
    List<Subnet> out = new ArrayList<>();
    // /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask ... (little-endian
    // hex)
    for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[0].equals("Iface")) {
        continue;
      }
      long destination = littleEndian(f[1]);
      long mask = littleEndian(f[7]);
      int prefix = Long.bitCount(mask);
      if (prefix > 0) {
        out.add(Subnet.containing(destination, prefix));
      }
    }
    // Addresses: /proc/net/fib_trie lists the local ones ("/32 host LOCAL").
    Path trie = Path.of("/proc/net/fib_trie");
    if (Files.isReadable(trie)) {
      List<String> lines = Files.readAllLines(trie);
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).contains("/32 host LOCAL")) {
          String prev = lines.get(i - 1).trim();
          if (prev.startsWith("|-- ")) {
            out.add(new Subnet(Subnet.parseAddress(prev.substring(4).trim()), 32));
          }
        }
      }
    }
    return out;
  }

  private static long littleEndian(String hex) {
    long v = Long.parseLong(hex, 16);
    return (v & 0xff) << 24 | (v >> 8 & 0xff) << 16 | (v >> 16 & 0xff) << 8 | (v >> 24 & 0xff);
  }
}
