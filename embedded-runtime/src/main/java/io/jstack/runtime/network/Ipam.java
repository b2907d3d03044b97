package io.jstack.runtime.network;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Address management for bridge networks, as Docker does it by default: each network gets a /16 of
 * 172.17–31, then /20s of 192.168, skipping every subnet that overlaps one in use — the host's own
 * addresses and routes, and the other networks. Within a network, the gateway takes the first host
 * address and containers the following free ones (in {@code ip_range} if one is given).
 */
public final class Ipam {
  private Ipam() {}

  /** Docker's default pools, in the order it takes from them. */
  static List<Subnet> defaultPool() {
    List<Subnet> pool = new java.util.ArrayList<>();
    for (int b = 17; b <= 31; b++) {
      pool.add(new Subnet(Subnet.parseAddress("172." + b + ".0.0"), 16));
    }
    for (int c = 0; c < 256; c += 16) {
      pool.add(new Subnet(Subnet.parseAddress("192.168." + c + ".0"), 20));
    }
    return pool;
  }

  /**
   * A subnet for a new network: {@code requested} if given and free, else the first free one of the
   * default pool.
   *
   * @param inUse subnets of the host (addresses and routes, the default route excepted) and of
   *     other networks
   * @throws IllegalArgumentException when the requested one overlaps one in use, or none is free
   */
  public static Subnet allocate(Optional<Subnet> requested, Collection<Subnet> inUse) {
    if (requested.isPresent()) {
      Subnet s = requested.get();
      for (Subnet u : inUse) {
        if (u.overlaps(s)) {
          throw new IllegalArgumentException(
              "subnet "
                  + s
                  + " overlaps "
                  + u
                  + ", which is already in use on this host; choose another subnet");
        }
      }
      return s;
    }
    for (Subnet candidate : defaultPool()) {
      if (inUse.stream().noneMatch(candidate::overlaps)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "no free subnet left in 172.17.0.0/12 and 192.168.0.0/16 on this host; give the network an ipam subnet");
  }

  /**
   * The gateway of {@code subnet}: {@code requested} if given (it must lie in it), else its first
   * host.
   */
  public static long gateway(Subnet subnet, Optional<Long> requested) {
    if (requested.isPresent()) {
      long g = requested.get();
      if (!subnet.contains(g) || g == subnet.base() || g == subnet.last()) {
        throw new IllegalArgumentException(
            "gateway " + Subnet.address(g) + " is not a host address of subnet " + subnet);
      }
      return g;
    }
    return subnet.host(1);
  }

  /**
   * An address for a container: {@code requested} if given (it must be a free host address of the
   * subnet), else the lowest free host address, within {@code range} if given.
   *
   * @param taken the gateway and the other containers' addresses
   */
  public static long address(
      Subnet subnet, Optional<Subnet> range, Optional<Long> requested, Set<Long> taken) {
    if (requested.isPresent()) {
      long a = requested.get();
      if (!subnet.contains(a) || a == subnet.base() || a == subnet.last()) {
        throw new IllegalArgumentException(
            "ipv4_address " + Subnet.address(a) + " is not a host address of subnet " + subnet);
      }
      if (taken.contains(a)) {
        throw new IllegalArgumentException(
            "ipv4_address " + Subnet.address(a) + " is already in use on this network");
      }
      return a;
    }
    Subnet within = range.orElse(subnet);
    if (!subnet.covers(within)) {
      throw new IllegalArgumentException(
          "ip_range " + within + " does not lie within subnet " + subnet);
    }
    for (long a = Math.max(within.base(), subnet.base() + 1);
        a <= Math.min(within.last(), subnet.last() - 1);
        a++) {
      if (!taken.contains(a)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "no free address left in " + within + "; widen the subnet or ip_range");
  }
}
