package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.network.Ipam;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Networks;
import io.jstack.runtime.network.Plumbing;
import io.jstack.runtime.network.Subnet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How containers are attached to bridge networks: the endpoints a create asks for (each with a free
 * address, held as pending until the record keeps it), connect and disconnect, the network
 * namespace and veth pairs of a run ({@code /run/netns/jstack-<short id>}), the {@code /etc/hosts}
 * and {@code resolv.conf} entries of a container.
 */
final class NetworkAttachments {
  /**
   * Where a container's record keeps its endpoints: by network id, the network's name, the
   * container's address there, its aliases and its device in the container ({@code ethN}).
   */
  static final String ENDPOINTS = "JstackEndpoints";

  private final Networks networks;
  private final ContainerStore store;
  private final Events events;
  private final Object addressLock = new Object();

  /** Addresses handed out to creates not yet recorded, as {@code <network id>/<address>}. */
  private final java.util.Set<String> pendingAddresses =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final ContainerDns dns;

  NetworkAttachments(Networks networks, ContainerStore store, Events events, ContainerDns dns) {
    this.networks = networks;
    this.store = store;
    this.events = events;
    this.dns = dns;
  }

  /** Removes the network namespace of a container on bridge networks (it is removed). */
  void unplug(ContainerRecord r) {
    if (bridged(r.request())) {
      Plumbing.deleteNamespace(namespace(r.id()));
    }
  }

  /**
   * Creates a bridge network (see {@link Networks#create}); its DNS answers at once when the engine
   * supervises.
   */
  Network createNetwork(NetworkRequest request) {
    Network n = networks.create(request);
    try {
      dns.listen(n);
    } catch (EngineException e) {
      networks.remove(n);
      throw e;
    }
    return n;
  }

  /** The network namespace of a container on bridge networks ({@code /run/netns/<this>}). */
  static String namespace(String id) {
    return "jstack-" + id.substring(0, 12);
  }

  /**
   * The endpoints a create request asks for: its network mode's network (Docker's default network,
   * {@code bridge}, for {@code default}) and those of {@code NetworkingConfig}.
   */
  ObjectNode endpoints(String id, String name, JsonNode body) {
    String mode = body.path("HostConfig").path("NetworkMode").asText("");
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (mode.equals("host") || mode.equals("none") || mode.startsWith("container:")) {
      return out;
    }
    JsonNode configs = body.path("NetworkingConfig").path("EndpointsConfig");
    Map<String, JsonNode> wanted = new LinkedHashMap<>();
    // "default" is Docker's name for its default network, "bridge".
    String first = mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
    wanted.put(first, configs.path(mode.isEmpty() ? first : mode));
    configs
        .properties()
        .forEach(
            e ->
                wanted.putIfAbsent(
                    e.getKey().equals("default") ? "bridge" : e.getKey(), e.getValue()));
    try {
      wanted.forEach(
          (net, config) -> {
            Network n = net.equals("bridge") ? defaultNetwork() : networks.require(net);
            endpoint(out, n, config, id.substring(0, 12));
          });
    } catch (RuntimeException e) {
      settle(out);
      throw e;
    }
    return out;
  }

  /** Docker's default network, {@code bridge}: made on first use. */
  private Network defaultNetwork() {
    synchronized (addressLock) {
      return networks.find("bridge").orElseGet(() -> createNetwork(NetworkRequest.named("bridge")));
    }
  }

  /** Adds an endpoint on {@code n} to {@code endpoints}, with a free address. */
  private void endpoint(ObjectNode endpoints, Network n, JsonNode config, String shortId) {
    if (endpoints.has(n.id())) {
      throw new EngineException.Conflict(
          "endpoint with name " + n.name() + " already exists in network " + n.name());
    }
    String requested = config.path("IPAMConfig").path("IPv4Address").asText("");
    long address;
    synchronized (addressLock) {
      java.util.Set<Long> taken = new java.util.HashSet<>();
      taken.add(n.gateway());
      for (ContainerRecord r : store.records()) {
        String a = r.request().path(ENDPOINTS).path(n.id()).path("IPAddress").asText("");
        if (!a.isEmpty()) {
          taken.add(Subnet.parseAddress(a));
        }
      }
      for (String p : pendingAddresses) {
        if (p.startsWith(n.id() + "/")) {
          taken.add(Long.parseLong(p.substring(n.id().length() + 1)));
        }
      }
      address =
          Ipam.address(
              n.subnet(),
              n.ipRange(),
              requested.isEmpty() ? Optional.empty() : Optional.of(Subnet.parseAddress(requested)),
              taken);
      pendingAddresses.add(n.id() + "/" + address);
    }
    int device = 0;
    for (JsonNode e : endpoints) {
      device = Math.max(device, e.path("Device").asInt() + 1);
    }
    ObjectNode e = endpoints.putObject(n.id());
    e.put("Name", n.name());
    e.put("IPAddress", Subnet.address(address));
    e.put("Device", device);
    e.put("EndpointID", Json.randomId());
    ArrayNode aliases = e.putArray("Aliases");
    config.path("Aliases").forEach(aliases::add);
    ArrayNode links = e.putArray("Links");
    config.path("Links").forEach(links::add);
    // Docker adds the short id on user-defined networks; docker-compose 1.x looks for it.
    if (!n.name().equals("bridge")) {
      aliases.add(shortId);
    }
  }

  /** Whether a container has a network namespace of its own on bridge networks. */
  private static boolean bridged(JsonNode request) {
    String mode = request.path("HostConfig").path("NetworkMode").asText("");
    return !mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:");
  }

  /** Forgets the addresses of {@code endpoints} as pending (recorded now, or given up). */
  void settle(JsonNode endpoints) {
    endpoints
        .properties()
        .forEach(
            e ->
                pendingAddresses.remove(
                    e.getKey()
                        + "/"
                        + Subnet.parseAddress(e.getValue().path("IPAddress").asText())));
  }

  /** The network mode for the runtime: {@code netns:<path>} for bridge networks. */
  String networkMode(String id, String name, JsonNode request) {
    String mode = request.path("HostConfig").path("NetworkMode").asText("");
    if (mode.equals("host") || mode.equals("none")) {
      return mode;
    }
    if (mode.startsWith("container:")) {
      Container other = store.require(mode.substring("container:".length()));
      String otherMode = other.record().request().path("HostConfig").path("NetworkMode").asText("");
      if (otherMode.equals("host")) {
        return "host";
      }
      if (other.record().request().path(ENDPOINTS).size() == 0) {
        throw new IllegalArgumentException(
            "container "
                + name
                + " wants the network of "
                + other.record().name()
                + ", which has none to share; give that one a network");
      }
      return "netns:/run/netns/" + namespace(other.record().id());
    }
    return "netns:/run/netns/" + namespace(id);
  }

  /** {@code /etc/hosts} lines: the container's own address and its {@code extra_hosts}. */
  static List<String> hostsEntries(String id, JsonNode request) {
    List<String> lines = new ArrayList<>();
    String hostname = request.path("Hostname").asText("");
    JsonNode first = firstEndpoint(request);
    if (first != null) {
      lines.add(
          first.path("IPAddress").asText()
              + "\t"
              + (hostname.isEmpty() ? id.substring(0, 12) : hostname));
    }
    for (String extra : Json.strings(request.path("HostConfig").path("ExtraHosts"))) {
      int colon = extra.lastIndexOf(':');
      if (colon > 0) {
        lines.add(extra.substring(colon + 1) + "\t" + extra.substring(0, colon));
      }
    }
    return lines;
  }

  /** A container on bridge networks asks the engine's DNS, on its first network's gateway. */
  String resolvConf(JsonNode request) {
    JsonNode first = firstEndpoint(request);
    if (first == null) {
      return null;
    }
    Network n = networks.require(first.path("Name").asText());
    return "nameserver " + Subnet.address(n.gateway()) + "\noptions ndots:0\n";
  }

  /** A request's first endpoint (its network mode's network), or null without one. */
  private static JsonNode firstEndpoint(JsonNode request) {
    JsonNode endpoints = request.path(ENDPOINTS);
    return endpoints.size() == 0 ? null : endpoints.elements().next();
  }

  /**
   * Sets up a container's network namespace before its process starts: the namespace, and a veth
   * pair on each network's bridge. What is there already (an earlier run's) stays.
   */
  void plug(ContainerRecord r) {
    JsonNode endpoints = r.request().path(ENDPOINTS);
    if (!bridged(r.request())) {
      return;
    }
    String ns = namespace(r.id());
    boolean create = !Files.exists(Path.of("/run/netns", ns));
    // A namespace kept from an earlier run keeps its links: only those missing are made.
    java.util.Set<String> existing = create ? java.util.Set.of() : Plumbing.links();
    List<Plumbing.Link> links = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : endpoints.properties()) {
      Plumbing.Link l = link(r.id(), networks.require(e.getKey()), e.getValue(), first);
      if (!existing.contains(l.hostEnd())) {
        links.add(l);
      }
      first = false;
    }
    Plumbing.plug(ns, create, links);
  }

  /** The host end of a container's veth pair for its device {@code ethN}. */
  private static String hostEnd(String id, int device) {
    return "jv" + id.substring(0, 9) + device;
  }

  private static Plumbing.Link link(String id, Network n, JsonNode endpoint, boolean defaultRoute) {
    int device = endpoint.path("Device").asInt();
    return new Plumbing.Link(
        n.bridge(),
        hostEnd(id, device),
        "eth" + device,
        n.subnet(),
        Subnet.parseAddress(endpoint.path("IPAddress").asText()),
        n.gateway(),
        n.mtu(),
        defaultRoute);
  }

  /**
   * Connects a container to a network (Compose does so for every network after the first, before
   * start); a running one gets its new interface at once.
   */
  void connect(String network, String container, JsonNode endpointConfig) {
    Network n = networks.require(network);
    Container c = store.require(container);
    ContainerRecord r = c.record();
    if (!bridged(r.request())) {
      throw new IllegalArgumentException(
          "container "
              + r.name()
              + " has no bridge network to add "
              + n.name()
              + " to (its network mode is "
              + r.request().path("HostConfig").path("NetworkMode").asText("none")
              + ")");
    }
    ObjectNode request = r.request().deepCopy();
    ObjectNode endpoints = request.withObject("/" + ENDPOINTS);
    endpoint(endpoints, n, endpointConfig, r.id().substring(0, 12));
    try {
      store.write(r.withRequest(request));
    } finally {
      settle(endpoints);
    }
    if (c.alive()) {
      Plumbing.plug(
          namespace(r.id()), false, List.of(link(r.id(), n, endpoints.get(n.id()), false)));
    }
    events.emit(r, "connect", Map.of("network", n.name()));
  }

  /** Takes a container off a network. */
  void disconnect(String network, String container) {
    Network n = networks.require(network);
    ContainerRecord r = store.require(container).record();
    JsonNode endpoint = r.request().path(ENDPOINTS).path(n.id());
    if (endpoint.isMissingNode()) {
      throw new EngineException.NotFound(
          "container " + r.name() + " is not connected to network " + n.name());
    }
    ObjectNode request = r.request().deepCopy();
    ((ObjectNode) request.get(ENDPOINTS)).remove(n.id());
    store.write(r.withRequest(request));
    Plumbing.deleteLink(hostEnd(r.id(), endpoint.path("Device").asInt()));
    events.emit(r, "disconnect", Map.of("network", n.name()));
  }

  /** The containers with an endpoint on {@code n}. */
  List<ContainerRecord> attachedTo(Network n) {
    return store.records().stream().filter(r -> r.request().path(ENDPOINTS).has(n.id())).toList();
  }

  /**
   * Removes a network, unless a container is attached to it.
   *
   * @throws EngineException.Conflict naming a container that uses it
   */
  void removeNetwork(String idOrName) {
    Network n = networks.require(idOrName);
    List<ContainerRecord> users = attachedTo(n);
    if (!users.isEmpty()) {
      throw new EngineException.Conflict(
          "error while removing network: network "
              + n.name()
              + " id "
              + n.id()
              + " has active endpoints (container "
              + users.get(0).name()
              + ")");
    }
    dns.unlisten(n);
    networks.remove(n);
  }
}
