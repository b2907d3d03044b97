package io.jstack.runtime.engine;

import java.util.List;

/**
 * A container's endpoint on a bridge network, as the engine chose it at create or connect.
 *
 * @param network the network's name (its id is the key the record keeps it under)
 * @param address the container's IPv4 address there
 * @param device the number of its interface in the container ({@code eth<device>})
 * @param aliases the names it answers to there, besides its own and its service's
 * @param links links to other containers, {@code <container>:<alias>}
 */
public record Endpoint(
    String network,
    String address,
    int device,
    String endpointId,
    List<String> aliases,
    List<String> links) {

  public Endpoint {
    aliases = List.copyOf(aliases);
    links = List.copyOf(links);
  }
}
