package io.jstack.runtime.engine;

import io.jstack.runtime.network.DnsServer;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.Networks;
import io.jstack.runtime.network.ResolvConf;
import io.jstack.runtime.network.Subnet;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The DNS of bridge networks once the engine supervises: at 127.0.0.11 inside the namespace of
 * every running container on a user-defined network (as Docker's DNS), and on each network's
 * gateway (where containers started by an older jstack, and those on the default network whose host
 * names no usable resolver, still ask). It answers the names of the running containers that share a
 * network with the asker (their name, service, alias, hostname or short id, and the asker's links),
 * and asks upstream servers for the rest: the container's {@code dns} servers, else the engine's.
 */
final class ContainerDns implements AutoCloseable {
  private final Networks networks;
  private final ContainerStore store;

  /** The server, once the engine supervises; else null. */
  private volatile @Nullable DnsServer server;

  /** What answers inside each container's namespace, by container id. */
  private final Map<String, DnsServer.Inside> inside = new ConcurrentHashMap<>();

  ContainerDns(Networks networks, ContainerStore store) {
    this.networks = networks;
    this.store = store;
  }

  /**
   * Whether the engine's DNS answers inside {@code r} at 127.0.0.11: it has a namespace of its own
   * and an endpoint on a user-defined network (Docker's default network has no DNS of its own).
   */
  static boolean embedded(ContainerRecord r) {
    return r.settings().bridged()
        && r.endpoints().values().stream().anyMatch(e -> !e.network().equals("bridge"));
  }

  /**
   * Answers on the gateway of every bridge network, from now on also of those created later, asking
   * {@code upstreams} what it does not know.
   */
  void serve(List<InetSocketAddress> upstreams) {
    DnsServer s = DnsServer.start(this::lookup, upstreams);
    server = s;
    for (Network n : networks.list()) {
      s.listen(n.gateway(), 53);
    }
  }

  /**
   * Answers at 127.0.0.11 inside the namespace of {@code r} (about to start, or running when the
   * engine takes over), if it is on a user-defined network and the engine supervises; what answered
   * there before is closed first.
   *
   * @throws EngineException when it cannot
   */
  void attach(ContainerRecord r) {
    DnsServer s = server;
    if (s == null || !embedded(r)) {
      return;
    }
    detach(r.id());
    String id = r.id();
    List<InetSocketAddress> own = new ArrayList<>();
    for (String d : r.settings().host().dns().servers()) {
      own.add(ResolvConf.server(d));
    }
    DnsServer.Inside answering =
        s.listenIn(
            Path.of("/run/netns", NetworkAttachments.namespace(id)),
            ResolvConf.EMBEDDED,
            new DnsServer.Asker() {
              @Override
              public List<Long> lookup(String name) {
                return store.records().stream()
                    .filter(x -> x.id().equals(id))
                    .findFirst()
                    .map(asker -> ContainerDns.this.lookup(asker, name))
                    .orElse(List.of());
              }

              @Override
              public List<InetSocketAddress> upstreams() {
                return own;
              }
            });
    DnsServer.Inside before = inside.put(id, answering);
    if (before != null) {
      before.close();
    }
  }

  /**
   * Stops answering inside the namespace of container {@code id} (its run ended); its sockets go.
   */
  void detach(String id) {
    DnsServer.Inside i = inside.remove(id);
    if (i != null) {
      i.close();
    }
  }

  /** Answers on the gateway of a new network, if it serves. */
  void listen(Network n) {
    DnsServer s = server;
    if (s != null) {
      s.listen(n.gateway(), 53);
    }
  }

  /** Stops answering on the gateway of a network being removed. */
  void unlisten(Network n) {
    DnsServer s = server;
    if (s != null) {
      s.unlisten(n.gateway());
    }
  }

  /** Stops answering, on the gateways and in every container. */
  @Override
  public void close() {
    inside.keySet().forEach(this::detach);
    DnsServer s = server;
    if (s != null) {
      s.close();
    }
  }

  /**
   * What a name means to the container at {@code client} (asking the DNS of the network whose
   * gateway is {@code server}), or, when no container has that address, on that network.
   */
  private List<Long> lookup(long client, long server, String name) {
    for (ContainerRecord r : store.records()) {
      for (Endpoint e : r.endpoints().values()) {
        if (Subnet.parseAddress(e.address()) == client) {
          return lookup(r, name);
        }
      }
    }
    java.util.Set<String> scope = new java.util.HashSet<>();
    networks.list().stream().filter(n -> n.gateway() == server).forEach(n -> scope.add(n.id()));
    return addresses(scope, name);
  }

  /**
   * What a name means to container {@code asker}: the addresses of the running containers on the
   * networks it is on whose name, service, alias or short id it is, or which its link names so.
   */
  private List<Long> lookup(ContainerRecord asker, String name) {
    // A link of the asker ("<container>:<alias>") makes the alias name that container.
    String linked = null;
    for (Endpoint e : asker.endpoints().values()) {
      for (String l : e.links()) {
        int colon = l.lastIndexOf(':');
        if (colon > 0 && l.substring(colon + 1).equalsIgnoreCase(name)) {
          linked = l.substring(0, colon).replaceFirst("^/", "");
        }
      }
    }
    String wanted = linked == null ? name : linked.toLowerCase(java.util.Locale.ROOT);
    return addresses(asker.endpoints().keySet(), wanted);
  }

  /**
   * The addresses on networks {@code scope} (by id) of the running containers {@code name} names.
   */
  private List<Long> addresses(java.util.Set<String> scope, String name) {
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
        if ((named || aliased) && store.hasProcess(r)) {
          out.add(Subnet.parseAddress(e.getValue().address()));
        }
      }
    }
    out.sort(null);
    return out;
  }
}
