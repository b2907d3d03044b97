package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.network.Ipam;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Networks;
import io.jstack.runtime.network.Plumbing;
import io.jstack.runtime.network.ResolvConf;
import io.jstack.runtime.network.Subnet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How containers are attached to bridge networks: the endpoints a create asks for (each with a free
 * address, held as pending until the record keeps it), connect and disconnect, the network
 * namespace and veth pairs of a run ({@code /run/netns/jstack-<short id>}), the {@code /etc/hosts}
 * and {@code resolv.conf} entries of a container.
 */
final class NetworkAttachments {
  private final Networks networks;
  private final ContainerStore store;
  private final Events events;
  private final Object addressLock = new Object();

  /** Addresses handed out to creates not yet recorded, as {@code <network id>/<address>}. */
  private final java.util.Set<String> pendingAddresses =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final ContainerDns dns;

  /**
   * One empty file per spare namespace not yet taken by a container, named by the container id it
   * was made for: what a crashed engine left is removed at the next start ({@link
   * #removeStaleSpares}). In the run-time directory, which a reboot clears with the namespaces.
   */
  private final Path spares;

  /** The ids of spares whose namespace is plugged and whose container has not started yet. */
  private final java.util.Set<String> plugged = java.util.concurrent.ConcurrentHashMap.newKeySet();

  NetworkAttachments(
      Networks networks, ContainerStore store, Events events, ContainerDns dns, Path spares) {
    this.networks = networks;
    this.store = store;
    this.events = events;
    this.dns = dns;
    this.spares = spares;
  }

  /** Removes the network namespace of a container on bridge networks (it is removed). */
  void unplug(ContainerRecord r) {
    if (r.settings().bridged()) {
      plugged.remove(r.id());
      Plumbing.deleteNamespace(namespace(r.id()));
    }
  }

  /**
   * A network namespace plugged into Docker's default network for a container not created yet (see
   * {@link SpareNetwork}); its address is held until {@link #settle} (by the create that takes it)
   * or {@link #discard}.
   */
  SpareNetwork prepareSpare() {
    String id = Ids.random();
    Network n = defaultNetwork();
    Endpoint e = endpoint(Map.of(), n, ContainerSettings.EndpointRequest.NONE, id.substring(0, 12));
    Map<String, Endpoint> endpoints = Map.of(n.id(), e);
    try {
      Files.createDirectories(spares);
      Files.createFile(spares.resolve(id));
      Plumbing.plug(namespace(id), true, List.of(link(id, n, e, true)));
    } catch (java.io.IOException | RuntimeException failed) {
      SpareNetwork half = new SpareNetwork(id, endpoints);
      try {
        discard(half);
      } catch (RuntimeException also) {
        failed.addSuppressed(also);
      }
      if (failed instanceof RuntimeException r) {
        throw r;
      }
      throw new EngineException(
          "cannot prepare a network namespace for a build step: " + failed.getMessage(), failed);
    }
    plugged.add(id);
    return new SpareNetwork(id, endpoints);
  }

  /**
   * Whether a container with settings {@code s} can take {@code spare}: it asks for Docker's
   * default network alone, which is still the one the spare is plugged into.
   */
  boolean fits(SpareNetwork spare, ContainerSettings s) {
    String mode = s.host().networkMode();
    if (!s.bridged()
        || !(mode.isEmpty() || mode.equals("default") || mode.equals("bridge"))
        || !s.networks().isEmpty()
        || !plugged.contains(spare.id())) {
      return false;
    }
    for (String network : spare.endpoints().keySet()) {
      Optional<Network> n = networks.find(network);
      if (n.isEmpty() || !n.get().name().equals("bridge")) {
        return false;
      }
    }
    return true;
  }

  /** The container of {@code spare} is recorded: its namespace is the container's from now on. */
  void taken(SpareNetwork spare) {
    try {
      Files.deleteIfExists(spares.resolve(spare.id()));
    } catch (java.io.IOException e) {
      // A start after a crash would delete the namespace of a container that has its record; its
      // next start plugs it again.
    }
  }

  /** Deletes a spare no container took, and gives its address back. */
  void discard(SpareNetwork spare) {
    plugged.remove(spare.id());
    try {
      Plumbing.deleteNamespace(namespace(spare.id()));
    } finally {
      settle(spare.endpoints());
      try {
        Files.deleteIfExists(spares.resolve(spare.id()));
      } catch (java.io.IOException e) {
        // Left for the next start, which deletes a namespace that is gone already.
      }
    }
  }

  /** Deletes the spare namespaces an engine that ended without discarding them left. */
  void removeStaleSpares() {
    if (!Files.isDirectory(spares)) {
      return;
    }
    try (java.nio.file.DirectoryStream<Path> left = Files.newDirectoryStream(spares)) {
      for (Path p : left) {
        Plumbing.deleteNamespace(namespace(p.getFileName().toString()));
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("jstack engine: cannot remove spare network namespaces: " + e);
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
   * The endpoints a container asks for, by network id, each with a free address (pending until
   * {@link #settle}): its network mode's network (Docker's default network, {@code bridge}, for
   * {@code default}) and those it names.
   */
  Map<String, Endpoint> endpoints(String id, ContainerSettings s) {
    String mode = s.host().networkMode();
    Map<String, Endpoint> out = new LinkedHashMap<>();
    if (!s.bridged()) {
      return out;
    }
    Map<String, ContainerSettings.EndpointRequest> configs = s.networks();
    Map<String, ContainerSettings.EndpointRequest> wanted = new LinkedHashMap<>();
    // "default" is Docker's name for its default network, "bridge".
    String first = mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
    wanted.put(
        first,
        configs.getOrDefault(
            mode.isEmpty() ? first : mode, ContainerSettings.EndpointRequest.NONE));
    configs.forEach((k, v) -> wanted.putIfAbsent(k.equals("default") ? "bridge" : k, v));
    try {
      wanted.forEach(
          (net, config) -> {
            Network n = net.equals("bridge") ? defaultNetwork() : networks.require(net);
            out.put(n.id(), endpoint(out, n, config, id.substring(0, 12)));
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

  /**
   * A new endpoint on {@code n} beside {@code endpoints}, with a free address (pending until {@link
   * #settle}).
   */
  private Endpoint endpoint(
      Map<String, Endpoint> endpoints,
      Network n,
      ContainerSettings.EndpointRequest config,
      String shortId) {
    if (endpoints.containsKey(n.id())) {
      throw new EngineException.Conflict(
          "endpoint with name " + n.name() + " already exists in network " + n.name());
    }
    String requested = config.ipv4Address() == null ? "" : config.ipv4Address();
    long address;
    synchronized (addressLock) {
      java.util.Set<Long> taken = new java.util.HashSet<>();
      taken.add(n.gateway());
      for (ContainerRecord r : store.records()) {
        Endpoint e = r.endpoints().get(n.id());
        if (e != null) {
          taken.add(Subnet.parseAddress(e.address()));
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
    for (Endpoint e : endpoints.values()) {
      device = Math.max(device, e.device() + 1);
    }
    List<String> aliases = new ArrayList<>(config.aliases());
    // Docker adds the short id on user-defined networks; docker-compose 1.x looks for it.
    if (!n.name().equals("bridge")) {
      aliases.add(shortId);
    }
    return new Endpoint(
        n.name(), Subnet.address(address), device, Ids.random(), aliases, config.links());
  }

  /**
   * Forgets the addresses of {@code endpoints}, by network id, as pending (recorded now, or given
   * up).
   */
  void settle(Map<String, Endpoint> endpoints) {
    endpoints.forEach(
        (network, e) -> pendingAddresses.remove(network + "/" + Subnet.parseAddress(e.address())));
  }

  /** The network mode for the runtime: {@code netns:<path>} for bridge networks. */
  String networkMode(ContainerRecord r) {
    String mode = r.settings().host().networkMode();
    if (mode.equals("host") || mode.equals("none")) {
      return mode;
    }
    if (mode.startsWith("container:")) {
      Container other = store.require(mode.substring("container:".length()));
      if (other.record().settings().host().networkMode().equals("host")) {
        return "host";
      }
      if (other.record().endpoints().isEmpty()) {
        throw new IllegalArgumentException(
            "container "
                + r.name()
                + " wants the network of "
                + other.record().name()
                + ", which has none to share; give that one a network");
      }
      return "netns:/run/netns/" + namespace(other.record().id());
    }
    return "netns:/run/netns/" + namespace(r.id());
  }

  /** {@code /etc/hosts} lines: the container's own address and its {@code extra_hosts}. */
  static List<String> hostsEntries(ContainerRecord r) {
    List<String> lines = new ArrayList<>();
    String hostname = r.settings().hostname();
    String name = hostname == null ? r.id().substring(0, 12) : hostname;
    String domain = r.settings().domainname();
    // As dockerd writes it: the full name first when the container has a domain name.
    String names = domain == null ? name : name + "." + domain + " " + name;
    r.firstEndpoint().ifPresent(first -> lines.add(first.address() + "\t" + names));
    for (String extra : r.settings().host().extraHosts()) {
      int colon = extra.lastIndexOf(':');
      if (colon > 0) {
        lines.add(extra.substring(colon + 1) + "\t" + extra.substring(0, colon));
      }
    }
    return lines;
  }

  /**
   * The {@code /etc/resolv.conf} of a container, as dockerd writes it: on a user-defined network
   * the engine's DNS at 127.0.0.11 (see {@link ResolvConf#embedded}); on Docker's default network
   * (or none) the host's, its loopback nameservers left out, or what the container asks for, the
   * gateway standing in when no nameserver is left; with {@code network_mode: container:<x>} that
   * of x; null for the host's as it is ({@code network_mode: host}).
   */
  @Nullable String resolvConf(ContainerRecord r) {
    String mode = r.settings().host().networkMode();
    if (mode.startsWith("container:")) {
      ContainerRecord other = store.require(mode.substring("container:".length())).record();
      return other.settings().host().networkMode().startsWith("container:")
          ? null
          : resolvConf(other);
    }
    if (mode.equals("host")) {
      return null;
    }
    ResolvConf.Asked asked = r.settings().host().dns();
    if (ContainerDns.embedded(r)) {
      return ResolvConf.embedded(ResolvConf.host(), asked);
    }
    String gateway =
        r.firstEndpoint()
            .map(first -> Subnet.address(networks.require(first.network()).gateway()))
            .orElse(null);
    return ResolvConf.copied(ResolvConf.host(), asked, gateway);
  }

  /**
   * Sets up a container's network namespace before its process starts: the namespace, and a veth
   * pair on each network's bridge. What is there already (an earlier run's) stays.
   */
  void plug(ContainerRecord r) {
    if (!r.settings().bridged() || plugged.remove(r.id())) {
      // A spare's namespace was plugged before its container was created.
      return;
    }
    String ns = namespace(r.id());
    boolean create = !Files.exists(Path.of("/run/netns", ns));
    // A namespace kept from an earlier run keeps its links: only those missing are made.
    java.util.Set<String> existing = create ? java.util.Set.of() : Plumbing.links();
    List<Plumbing.Link> links = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, Endpoint> e : r.endpoints().entrySet()) {
      Network n =
          networks
              .find(e.getKey())
              .orElseThrow(
                  () ->
                      new EngineException.NotFound(
                          "network "
                              + e.getValue().network()
                              + " of container "
                              + r.name()
                              + " not found: it was removed; recreate the container (up"
                              + " --force-recreate) or connect it to another network"));
      Plumbing.Link l = link(r.id(), n, e.getValue(), first);
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

  private static Plumbing.Link link(String id, Network n, Endpoint endpoint, boolean defaultRoute) {
    int device = endpoint.device();
    return new Plumbing.Link(
        n.bridge(),
        hostEnd(id, device),
        "eth" + device,
        n.subnet(),
        Subnet.parseAddress(endpoint.address()),
        n.gateway(),
        n.mtu(),
        defaultRoute);
  }

  /**
   * Connects a container to a network (Compose does so for every network after the first, before
   * start); a running one gets its new interface at once.
   */
  void connect(String network, String container, ContainerSettings.EndpointRequest config) {
    Network n = networks.require(network);
    Container c = store.require(container);
    ContainerRecord r = c.record();
    if (!r.settings().bridged()) {
      throw new IllegalArgumentException(
          "container "
              + r.name()
              + " has no bridge network to add "
              + n.name()
              + " to (its network mode is "
              + r.settings().host().networkMode()
              + ")");
    }
    Map<String, Endpoint> endpoints = new LinkedHashMap<>(r.endpoints());
    Endpoint added = endpoint(endpoints, n, config, r.id().substring(0, 12));
    endpoints.put(n.id(), added);
    try {
      store.write(r.withEndpoints(endpoints));
    } finally {
      settle(Map.of(n.id(), added));
    }
    if (c.alive()) {
      Plumbing.plug(namespace(r.id()), false, List.of(link(r.id(), n, added, false)));
    }
    events.emit(r, "connect", Map.of("network", n.name()));
  }

  /** Takes a container off a network. */
  void disconnect(String network, String container) {
    Network n = networks.require(network);
    ContainerRecord r = store.require(container).record();
    Endpoint endpoint = r.endpoints().get(n.id());
    if (endpoint == null) {
      throw new EngineException.NotFound(
          "container " + r.name() + " is not connected to network " + n.name());
    }
    Map<String, Endpoint> endpoints = new LinkedHashMap<>(r.endpoints());
    endpoints.remove(n.id());
    store.write(r.withEndpoints(endpoints));
    Plumbing.deleteLink(hostEnd(r.id(), endpoint.device()));
    events.emit(r, "disconnect", Map.of("network", n.name()));
  }

  /**
   * The running (or paused) containers with an endpoint on {@code n}: a stopped one keeps its
   * endpoint in its record, but holds none on the network, as with Docker.
   */
  List<ContainerRecord> attachedTo(Network n) {
    return store.records().stream()
        .filter(r -> r.endpoints().containsKey(n.id()))
        .filter(r -> store.withState(r).alive())
        .toList();
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
