package io.jstack.runtime.network;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A bridge network of the embedded engine: its Linux bridge, its subnet and gateway, and what
 * Compose asked of it.
 *
 * @param bridge the bridge's link name ({@code jst-} and 11 hex digits of the id)
 * @param ipRange where containers' addresses come from, if narrower than the subnet
 */
public record Network(
    String id,
    String name,
    Subnet subnet,
    long gateway,
    Optional<Subnet> ipRange,
    boolean internal,
    int mtu,
    Map<String, String> labels,
    Instant created,
    String bridge) {
  public Network {
    labels = Map.copyOf(labels);
  }
}
