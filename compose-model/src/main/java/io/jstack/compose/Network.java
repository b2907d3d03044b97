package io.jstack.compose;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A top-level network. {@code name} is the engine-side name ({@code <project>_<key>} by default).
 */
public record Network(
    String name,
    @Nullable String driver,
    Map<String, String> driverOpts,
    @Nullable Ipam ipam,
    boolean external,
    boolean internal,
    @Nullable Boolean enableIpv4,
    @Nullable Boolean enableIpv6,
    boolean attachable,
    Map<String, String> labels,
    Map<String, Object> extensions) {

  /** Address management. */
  public record Ipam(@Nullable String driver, List<IpamPool> config, Map<String, String> options) {}

  /** One address pool. */
  public record IpamPool(
      @Nullable String subnet,
      @Nullable String ipRange,
      @Nullable String gateway,
      Map<String, String> auxAddresses) {}
}
