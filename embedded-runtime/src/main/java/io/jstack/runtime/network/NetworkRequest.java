package io.jstack.runtime.network;

import java.util.Map;
import java.util.Optional;

/**
 * What a new bridge network asks for: Compose's {@code ipam} settings (each optional), {@code
 * internal}, the MTU and labels.
 */
public record NetworkRequest(
    String name,
    Optional<Subnet> subnet,
    Optional<Long> gateway,
    Optional<Subnet> ipRange,
    boolean internal,
    int mtu,
    Map<String, String> labels) {
  public NetworkRequest {
    labels = Map.copyOf(labels);
  }

  /** A network with Docker's defaults: a free subnet, its first address as gateway, MTU 1500. */
  public static NetworkRequest named(String name) {
    return new NetworkRequest(
        name, Optional.empty(), Optional.empty(), Optional.empty(), false, 1500, Map.of());
  }
}
