package io.jstack.engine;

import java.util.List;
import java.util.Map;

/**
 * What an engine reports about a network.
 *
 * @param created when it was made, as the engine writes it (RFC 3339; "" when not reported)
 * @param scope {@code local}, or {@code swarm} for a cluster's
 * @param ipam its address pools
 * @param containers the containers attached to it, by id
 * @param options its driver's options
 */
public record NetworkInfo(
    String id,
    String name,
    String driver,
    boolean internal,
    Map<String, String> labels,
    String created,
    String scope,
    boolean enableIpv6,
    boolean attachable,
    boolean ingress,
    List<NetworkSpec.IpamPool> ipam,
    Map<String, Endpoint> containers,
    Map<String, String> options) {
  public NetworkInfo {
    labels = Map.copyOf(labels);
    ipam = List.copyOf(ipam);
    containers = Map.copyOf(containers);
    options = Map.copyOf(options);
  }

  /** A local network with nothing more known of it than these. */
  public NetworkInfo(
      String id, String name, String driver, boolean internal, Map<String, String> labels) {
    this(
        id, name, driver, internal, labels, "", "local", false, false, false, List.of(), Map.of(),
        Map.of());
  }

  /**
   * A container's place on a network.
   *
   * @param ipv4Address its address with the subnet's prefix length ({@code 172.18.0.2/16}), or ""
   */
  public record Endpoint(
      String name, String endpointId, String macAddress, String ipv4Address, String ipv6Address) {}
}
