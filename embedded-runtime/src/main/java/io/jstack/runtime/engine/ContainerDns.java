package io.jstack.runtime.engine;

import io.jstack.runtime.network.DnsServer;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.Networks;
import io.jstack.runtime.network.Subnet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The DNS of bridge networks, on each one's gateway once the engine supervises: it answers the
 * names of the running containers that share a network with the asker (their name, service, alias,
 * hostname or short id, and the asker's links), and asks upstream servers for the rest.
 */
final class ContainerDns implements AutoCloseable {
  private final Networks networks;
  private final ContainerStore store;

  /** The server, once the engine supervises; else null. */
  private volatile @Nullable DnsServer server;

  ContainerDns(Networks networks, ContainerStore store) {
    this.networks = networks;
    this.store = store;
  }

  /**
   * Answers on the gateway of every bridge network, from now on also of those created later, asking
   * {@code upstreams} what it does not know.
   */
  void serve(List<InetSocketAddress> upstreams) {
    server = DnsServer.start(this::lookup, upstreams);
    for (Network n : networks.list()) {
      server.listen(n.gateway(), 53);
    }
  }

  /** Answers on the gateway of a new network, if it serves. */
  void listen(Network n) {
    if (server != null) {
      server.listen(n.gateway(), 53);
    }
  }

  /** Stops answering on the gateway of a network being removed. */
  void unlisten(Network n) {
    if (server != null) {
      server.unlisten(n.gateway());
    }
  }

  /** Stops answering. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * What a name means to the container at {@code client} (asking the DNS of the network whose
   * gateway is {@code server}): the addresses of the running containers on the networks it shares
   * with them whose name, service, alias or short id it is.
   */
  private List<Long> lookup(long client, long server, String name) {
    java.util.Set<String> scope = new java.util.HashSet<>();
    // A link of the asker ("<container>:<alias>") makes the alias name that container.
    String linked = null;
    for (ContainerRecord r : store.records()) {
      for (Endpoint e : r.endpoints().values()) {
        if (Subnet.parseAddress(e.address()) == client) {
          scope.addAll(r.endpoints().keySet());
          for (String l : e.links()) {
            int colon = l.lastIndexOf(':');
            if (colon > 0 && l.substring(colon + 1).equalsIgnoreCase(name)) {
              linked = l.substring(0, colon).replaceFirst("^/", "");
            }
          }
        }
      }
    }
    if (linked != null) {
      name = linked.toLowerCase(java.util.Locale.ROOT);
    }
    if (scope.isEmpty()) {
      networks.list().stream().filter(n -> n.gateway() == server).forEach(n -> scope.add(n.id()));
    }
    List<Long> out = new ArrayList<>();
    for (ContainerRecord r : store.records()) {
      String service = r.labels().getOrDefault("com.docker.compose.service", "");
      boolean named =
          r.name().equalsIgnoreCase(name)
              || service.equalsIgnoreCase(name)
              || r.id().startsWith(name) && name.length() >= 12
              || name.equalsIgnoreCase(r.settings().hostname());
      for (Map.Entry<String, Endpoint> e : r.endpoints().entrySet()) {
        if (!scope.contains(e.getKey())) {
          continue;
        }
        boolean aliased = false;
        for (String a : e.getValue().aliases()) {
          aliased |= a.equalsIgnoreCase(name);
        }
        if ((named || aliased) && store.withState(r).alive()) {
          out.add(Subnet.parseAddress(e.getValue().address()));
        }
      }
    }
    out.sort(null);
    return out;
  }
}
