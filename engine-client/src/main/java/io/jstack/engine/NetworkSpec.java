package io.jstack.engine;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A network to create. */
public record NetworkSpec(
    String name,
    @Nullable String driver,
    Map<String, String> driverOptions,
    boolean internal,
    boolean attachable,
    boolean enableIpv6,
    List<IpamPool> ipam,
    Map<String, String> labels) {
  public NetworkSpec {
    driverOptions = Map.copyOf(driverOptions);
    ipam = List.copyOf(ipam);
    labels = Map.copyOf(labels);
  }

  /** An address pool; any part may be null. */
  public record IpamPool(
      @Nullable String subnet, @Nullable String ipRange, @Nullable String gateway) {}
}
