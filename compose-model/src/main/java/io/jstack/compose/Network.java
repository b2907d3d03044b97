package io.jstack.compose;

import java.util.List;
import java.util.Map;

/**
 * A top-level network. {@code name} is the engine-side name ({@code <project>_<key>} by default).
 */
public record Network(
    String name,
    String driver,
    Map<String, String> driverOpts,
    Ipam ipam,
    boolean external,
    boolean internal,
    Boolean enableIpv4,
    Boolean enableIpv6,
    boolean attachable,
    Map<String, String> labels,
    Map<String, Object> extensions) {

  /** Address management. */
  public record Ipam(String driver, List<IpamPool> config, Map<String, String> options) {}

  /** One address pool. */
  public record IpamPool(
      String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {}
}
