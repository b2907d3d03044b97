package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.Names;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.image.ImageReference;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.internal.Daemons;
import io.jstack.runtime.internal.SeqPacket;
import io.jstack.runtime.network.DnsServer;
import io.jstack.runtime.network.Ipam;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Networks;
import io.jstack.runtime.network.Plumbing;
import io.jstack.runtime.network.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * jstack's own engine: containers from the image store, run by {@link Containers}, remembered on
 * disk so that a new engine process re-adopts what an earlier one started (conmon holds each
 * container, so they outlive the engine). Networking so far: {@code host} and {@code none}.
 */
public final class EmbeddedEngine {
  private final DataRoot root;
  private final ImageStore images;
  private final Containers containers;
  private final Volumes volumes;
  private final Networks networks;
  private final Supervisor supervisor = new Supervisor(this);

  /** Where a container's record lists the anonymous volumes made for it. */
  static final String ANONYMOUS_VOLUMES = "JstackAnonymousVolumes";

  private final ContainerStore store;
  private final Events events;
  private final PublishedPorts ports = new PublishedPorts();

  public EmbeddedEngine(DataRoot root, RuntimeTools tools) {
    this.root = root;
    this.images = ImageStore.open(root);
    this.containers = new Containers(root, tools);
    this.volumes = new Volumes(root);
    this.networks = new Networks(root);
    this.store = new ContainerStore(root, containers);
    this.events = new Events(store, containers, supervisor);
  }

  /** Calls {@code listener} with every event from now on, until the returned handle runs. */
  public Runnable subscribe(java.util.function.Consumer<Event> listener) {
    return events.subscribe(listener);
  }

  /**
   * Looks for containers that exited since the last look and announces each once ({@code die}, with
   * its exit code): conmon records exits, this turns them into events.
   */
  public void announceExits() {
    events.announceExits();
  }

  Events events() {
    return events;
  }

  PublishedPorts ports() {
    return ports;
  }

  /**
   * Starts looking after the containers on its own, every {@code period}: exits become events,
   * restart policies start containers again (also those that ended while no engine ran), and
   * healthchecks run; bridge networks get their DNS (asking {@code dnsUpstreams} what it does not
   * know) and running containers their published ports back. For the engine process; without it the
   * engine only does what it is asked.
   */
  public void supervise(Duration period, List<java.net.InetSocketAddress> dnsUpstreams) {
    networks.restore();
    dns = DnsServer.start(this::lookup, dnsUpstreams);
    for (Network n : networks.list()) {
      dns.listen(n.gateway(), 53);
    }
    for (Container c : list()) {
      if (c.alive()) {
        try {
          ports.publish(c.record());
        } catch (EngineException e) {
          // Its port is someone else's now; the container runs on, unpublished.
          System.err.println("jstack engine: " + e.getMessage());
        }
      }
    }
    supervisor.watch(period);
  }

  /** Stops looking after the containers (they keep running). */
  public void stopSupervising() {
    supervisor.close();
    ports.close();
    if (dns != null) {
      dns.close();
    }
  }

  /** Its health ({@code State.Health}), if it has a healthcheck and runs. */
  public Optional<JsonNode> health(String id) {
    return Optional.ofNullable(supervisor.health(id)).map(Health::json);
  }

  /** Whether its restart policy is about to start it again. */
  public boolean restarting(String id) {
    return supervisor.restarting(id);
  }

  public ImageStore images() {
    return images;
  }

  /** The runc and conmon layer that runs the containers' processes. */
  public Containers containers() {
    return containers;
  }

  public Volumes volumes() {
    return volumes;
  }

  /**
   * Removes an image name, or with an ID every name of that image, as {@code docker rmi} does: an
   * image a container uses keeps its last name unless {@code force}, and is then kept unnamed.
   * Returns Docker's answer: what was untagged and deleted.
   *
   * @throws EngineException.NotFound when there is no such image
   * @throws EngineException.Conflict when a container uses it and {@code force} is not set
   */
  public ArrayNode removeImage(String reference, boolean force) {
    String manifest =
        images
            .find(reference)
            .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
    String configDigest = images.image(manifest).configDigest();
    // Docker counts the names of the image (its config), whichever manifest they came with.
    List<String> names = new ArrayList<>();
    images
        .tags()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("@") && images.image(v).configDigest().equals(configDigest)) {
                names.add(k);
              }
            });
    boolean byId = ImageStore.isId(reference);
    Optional<ContainerRecord> user =
        store.records().stream().filter(r -> r.imageId().equals(configDigest)).findFirst();
    if (user.isPresent() && !force && (byId || names.size() <= 1)) {
      throw new EngineException.Conflict(
          "conflict: unable to remove repository reference \""
              + reference
              + "\" (must force) - container "
              + user.get().id().substring(0, 12)
              + " is using its referenced image "
              + configDigest.substring("sha256:".length(), "sha256:".length() + 12));
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (byId) {
      images.forget(manifest).forEach(k -> out.addObject().put("Untagged", k));
    } else {
      ImageReference ref = ImageReference.parse(reference);
      images.untag(ref);
      out.addObject().put("Untagged", ref.familiar());
    }
    boolean named = images.tags().values().stream().anyMatch(manifest::equals);
    if (!named && user.isPresent()) {
      images.keep(manifest); // its layers are under a container's root file system
    } else if (!named) {
      out.addObject().put("Deleted", configDigest);
    }
    images.collectGarbage();
    return out;
  }

  // ------------------------------------------------------------------ networks

  /**
   * Where a container's record keeps its endpoints: by network id, the network's name, the
   * container's address there, its aliases and its device in the container ({@code ethN}).
   */
  static final String ENDPOINTS = "JstackEndpoints";

  private final Object addressLock = new Object();

  /** Addresses handed out to creates not yet recorded, as {@code <network id>/<address>}. */
  private final java.util.Set<String> pendingAddresses =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Networks networks() {
    return networks;
  }

  /** The DNS server of bridge networks, once the engine supervises; else null. */
  private volatile DnsServer dns;

  /**
   * Creates a bridge network (see {@link Networks#create}); its DNS answers at once when the engine
   * supervises.
   */
  public Network createNetwork(NetworkRequest request) {
    Network n = networks.create(request);
    if (dns != null) {
      try {
        dns.listen(n.gateway(), 53);
      } catch (EngineException e) {
        networks.remove(n);
        throw e;
      }
    }
    return n;
  }

  /**
   * What a name means to the container at {@code client} (asking the DNS of the network whose
   * gateway is {@code server}): the addresses of the running containers on the networks it shares
   * with them whose name, service, alias or short id it is.
   */
  List<Long> lookup(long client, long server, String name) {
    java.util.Set<String> scope = new java.util.HashSet<>();
    // A link of the asker ("<container>:<alias>") makes the alias name that container.
    String linked = null;
    for (ContainerRecord r : store.records()) {
      for (JsonNode e : r.request().path(ENDPOINTS)) {
        if (Subnet.parseAddress(e.path("IPAddress").asText()) == client) {
          r.request().path(ENDPOINTS).fieldNames().forEachRemaining(scope::add);
          for (JsonNode link : e.path("Links")) {
            String l = link.asText();
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
      String service = r.request().path("Labels").path("com.docker.compose.service").asText("");
      boolean named =
          r.name().equalsIgnoreCase(name)
              || service.equalsIgnoreCase(name)
              || r.id().startsWith(name) && name.length() >= 12
              || r.request().path("Hostname").asText("").equalsIgnoreCase(name);
      for (Map.Entry<String, JsonNode> e : r.request().path(ENDPOINTS).properties()) {
        if (!scope.contains(e.getKey())) {
          continue;
        }
        boolean aliased = false;
        for (JsonNode a : e.getValue().path("Aliases")) {
          aliased |= a.asText().equalsIgnoreCase(name);
        }
        if ((named || aliased) && store.withState(r).alive()) {
          out.add(Subnet.parseAddress(e.getValue().path("IPAddress").asText()));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The network namespace of a container on bridge networks ({@code /run/netns/<this>}). */
  static String namespace(String id) {
    return "jstack-" + id.substring(0, 12);
  }

  /**
   * The endpoints a create request asks for: its network mode's network (Docker's default network,
   * {@code bridge}, for {@code default}) and those of {@code NetworkingConfig}.
   */
  private ObjectNode endpoints(String id, String name, JsonNode body) {
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
  private void settle(JsonNode endpoints) {
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
  private String networkMode(String id, String name, JsonNode request) {
    String mode = request.path("HostConfig").path("NetworkMode").asText("");
    if (mode.equals("host") || mode.equals("none")) {
      return mode;
    }
    if (mode.startsWith("container:")) {
      Container other = require(mode.substring("container:".length()));
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
  private static List<String> hostsEntries(String id, JsonNode request) {
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
  private String resolvConf(JsonNode request) {
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
  private void plug(ContainerRecord r) {
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
  public void connect(String network, String container, JsonNode endpointConfig) {
    Network n = networks.require(network);
    Container c = require(container);
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
  public void disconnect(String network, String container) {
    Network n = networks.require(network);
    ContainerRecord r = require(container).record();
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
  public List<ContainerRecord> attachedTo(Network n) {
    return store.records().stream().filter(r -> r.request().path(ENDPOINTS).has(n.id())).toList();
  }

  /**
   * Removes a network, unless a container is attached to it.
   *
   * @throws EngineException.Conflict naming a container that uses it
   */
  public void removeNetwork(String idOrName) {
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
    if (dns != null) {
      dns.unlisten(n.gateway());
    }
    networks.remove(n);
  }

  /** Removes a volume, unless a container uses it. */
  public void removeVolume(String name) {
    for (ContainerRecord r : store.records()) {
      boolean named = false;
      for (JsonNode m : r.request().path("HostConfig").path("Mounts")) {
        named |= m.path("Source").asText().equals(name);
      }
      for (JsonNode v : r.request().path(ANONYMOUS_VOLUMES)) {
        named |= v.asText().equals(name);
      }
      for (String b : Json.strings(r.request().path("HostConfig").path("Binds"))) {
        named |= b.startsWith(name + ":");
      }
      if (named) {
        throw new EngineException.Conflict(
            "volume is in use by container "
                + r.id()
                + " ("
                + r.name()
                + "): remove the container first");
      }
    }
    volumes.remove(name);
  }

  public DataRoot dataRoot() {
    return root;
  }

  /**
   * Creates a container from a Docker API create body; returns its id.
   *
   * @throws EngineException.Conflict when the name is taken
   */
  public String create(String requestedName, JsonNode body) {
    String name =
        requestedName != null
            ? Names.container(requestedName)
            : "jstack_" + Json.randomId().substring(0, 12);
    String imageRef = body.path("Image").asText();
    ImageReference ref = ImageReference.parse(imageRef);
    String manifest =
        images
            .resolve(ref)
            .orElseThrow(() -> new EngineException.NotFound("no such image: " + imageRef));
    ImageStore.Image image = images.image(manifest);
    store.reserve(name);
    ObjectNode request = body.deepCopy();
    try {
      String id = Json.randomId();
      List<String> anonymous = new ArrayList<>();
      request.set(ENDPOINTS, endpoints(id, name, body));
      ContainerConfig config = config(id, name, request, image, anonymous);
      containers.create(config);
      Health.inherit(request, image.config().path("config").path("Healthcheck"));
      ArrayNode line = request.putArray(COMMAND_LINE);
      commandLine(body, image.config().path("config")).forEach(line::add);
      ArrayNode anon = request.putArray(ANONYMOUS_VOLUMES);
      anonymous.forEach(anon::add);
      ContainerRecord record =
          new ContainerRecord(
              id, name, imageRef, image.configDigest(), Instant.now(), request, null, 0, false);
      store.write(record);
      events.emit(record, "create", Map.of());
      return id;
    } finally {
      settle(request.path(ENDPOINTS));
      store.release(name);
    }
  }

  /**
   * The process a create request runs: its entrypoint and command, each from the image unless the
   * request sets it (a request's entrypoint also drops the image's command).
   */
  private static List<String> commandLine(JsonNode body, JsonNode imageConfig) {
    List<String> entrypoint =
        body.path("Entrypoint").isArray()
            ? Json.strings(body.path("Entrypoint"))
            : Json.strings(imageConfig.path("Entrypoint"));
    List<String> cmd =
        body.path("Cmd").isArray()
            ? Json.strings(body.path("Cmd"))
            : body.path("Entrypoint").isArray() ? List.of() : Json.strings(imageConfig.path("Cmd"));
    List<String> args = new ArrayList<>(entrypoint);
    args.addAll(cmd);
    return args;
  }

  /** Where a container's record keeps the command line it runs. */
  static final String COMMAND_LINE = "JstackCommandLine";

  /** The command line a container runs (entrypoint and command). */
  public List<String> command(ContainerRecord r) {
    JsonNode line = r.request().path(COMMAND_LINE);
    return line.isArray() ? Json.strings(line) : Json.strings(r.request().path("Cmd"));
  }

  private ContainerConfig config(
      String id, String name, JsonNode body, ImageStore.Image image, List<String> anonymous) {
    JsonNode host = body.path("HostConfig");
    JsonNode ic = image.config().path("config");
    List<String> args = commandLine(body, ic);
    if (args.isEmpty()) {
      throw new EngineException(
          "container " + name + " has no command: the image sets none and the service gives none");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : Json.strings(ic.path("Env"))) {
      env.put(e.split("=", 2)[0], e);
    }
    for (String e : Json.strings(body.path("Env"))) {
      env.put(e.split("=", 2)[0], e);
    }
    List<Path> layers = new ArrayList<>();
    for (String d : image.diffIds()) {
      layers.add(
          images
              .layer(d)
              .orElseThrow(
                  () ->
                      new EngineException(
                          "layer "
                              + d
                              + " of image "
                              + body.path("Image").asText()
                              + " is missing: pull the image again")));
    }
    List<ContainerConfig.BindMount> mounts = new ArrayList<>();
    for (String b : Json.strings(host.path("Binds"))) {
      String[] p = b.split(":");
      boolean ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
      if (p[0].startsWith("/")) {
        Path source = Path.of(p[0]);
        try {
          Files.createDirectories(source); // -v semantics: a missing host directory is created
        } catch (IOException e) {
          throw new EngineException(
              "cannot create the bind source " + source + " of " + name + ": " + e.getMessage(), e);
        }
        mounts.add(new ContainerConfig.BindMount("bind", source, p[1], ro, false));
      } else {
        mounts.add(
            new ContainerConfig.BindMount(
                "volume", volumes.create(p[0], Map.of()).data(), p[1], ro, true));
      }
    }
    for (JsonNode m : host.path("Mounts")) {
      String type = m.path("Type").asText();
      String target = m.path("Target").asText();
      boolean ro = m.path("ReadOnly").asBoolean();
      switch (type) {
        case "bind" -> {
          Path source = Path.of(m.path("Source").asText());
          if (!Files.exists(source)) {
            throw new EngineException(
                "bind source "
                    + source
                    + " of container "
                    + name
                    + " does not exist: create it, or let the service's volume create it (create_host_path)");
          }
          mounts.add(new ContainerConfig.BindMount("bind", source, target, ro, false));
        }
        case "tmpfs" ->
            mounts.add(new ContainerConfig.BindMount("tmpfs", null, target, false, false));
        case "volume" -> {
          String named = m.path("Source").asText("");
          Volumes.Volume volume;
          if (named.isEmpty()) {
            volume = volumes.create(Json.randomId(), Map.of("com.docker.volume.anonymous", ""));
            anonymous.add(volume.name());
          } else {
            volume = volumes.create(named, Map.of());
          }
          boolean noCopy = m.path("VolumeOptions").path("NoCopy").asBoolean(false);
          mounts.add(new ContainerConfig.BindMount("volume", volume.data(), target, ro, !noCopy));
        }
        default ->
            throw new EngineException(
                "container "
                    + name
                    + " mounts a "
                    + type
                    + ", which the embedded engine does not support yet; use --engine docker for it");
      }
    }
    Map<String, String> sysctls = new LinkedHashMap<>();
    host.path("Sysctls").properties().forEach(e -> sysctls.put(e.getKey(), e.getValue().asText()));
    boolean nnp =
        Json.strings(host.path("SecurityOpt")).stream()
            .anyMatch(
                s -> s.replace('=', ':').startsWith("no-new-privileges") && !s.endsWith("false"));
    return new ContainerConfig(
        id,
        name,
        layers,
        args,
        List.copyOf(env.values()),
        Json.emptyToNull(body.path("WorkingDir").asText(ic.path("WorkingDir").asText(""))),
        Json.emptyToNull(body.path("User").asText(ic.path("User").asText(""))),
        Json.emptyToNull(body.path("Hostname").asText("")),
        networkMode(id, name, body),
        Json.strings(host.path("CapAdd")),
        Json.strings(host.path("CapDrop")),
        host.path("Privileged").asBoolean(),
        host.path("ReadonlyRootfs").asBoolean(),
        nnp,
        host.path("Memory").asLong(0) > 0 ? host.path("Memory").asLong() : null,
        host.path("NanoCpus").asLong(0) > 0 ? host.path("NanoCpus").asLong() / 1e9 : null,
        host.path("PidsLimit").asLong(0) > 0 ? host.path("PidsLimit").asLong() : null,
        host.path("ShmSize").asLong(0) > 0 ? host.path("ShmSize").asLong() : null,
        host.path("Init").asBoolean(false),
        mounts,
        sysctls,
        ulimits(host.path("Ulimits")),
        new ContainerConfig.Console(
            body.path("Tty").asBoolean(),
            body.path("OpenStdin").asBoolean(),
            body.path("StdinOnce").asBoolean()),
        hostsEntries(id, body),
        resolvConf(body));
  }

  private static List<ContainerConfig.Ulimit> ulimits(JsonNode list) {
    List<ContainerConfig.Ulimit> out = new ArrayList<>();
    for (JsonNode u : list) {
      out.add(
          new ContainerConfig.Ulimit(
              u.path("Name").asText(), u.path("Soft").asLong(), u.path("Hard").asLong()));
    }
    return out;
  }

  /** Starts a created or exited container (an exited one gets a fresh run of its process). */
  public void start(String idOrName) {
    Container c = require(idOrName);
    if (c.status() == Container.Status.paused) {
      throw new EngineException.Conflict("cannot start a paused container, try unpause instead");
    }
    if (c.status() == Container.Status.running) {
      return;
    }
    supervisor.cancelRestart(c.record().id());
    run(c.record(), false);
  }

  /** Starts a new run of a container; {@code byPolicy} when its restart policy asks for it. */
  void run(ContainerRecord r, boolean byPolicy) {
    plug(r);
    JsonNode published = ports.publish(r);
    try {
      containers.start(r.id(), socket -> connectWaiting(r.id(), socket));
    } catch (RuntimeException e) {
      ports.unpublish(r.id());
      throw e;
    }
    ContainerRecord started =
        r.withRequest(
                ((ObjectNode) r.request().deepCopy()).set(PublishedPorts.RECORD_KEY, published))
            .started(Instant.now(), byPolicy);
    store.write(started);
    events.emit(started, "start", Map.of());
    supervisor.started(started);
  }

  /** Stops a running container: its stop signal, then SIGKILL after {@code timeout}. */
  public void stop(String idOrName, String signal, Duration timeout) {
    Container c = require(idOrName);
    if (!c.alive()) {
      if (supervisor.restarting(c.record().id())) {
        supervisor.cancelRestart(c.record().id());
        store.write(c.record().stopped());
      }
      return;
    }
    String sig = signal != null ? signal : c.record().request().path("StopSignal").asText("TERM");
    store.write(c.record().stopped());
    ports.unpublish(c.record().id());
    containers.stop(c.record().id(), sig.replaceFirst("^SIG", ""), timeout);
    announceExits();
    events.emit(c.record(), "stop", Map.of());
  }

  /**
   * Where {@code path} of a container is on the host (resolved inside its root filesystem, never
   * out of it).
   *
   * @throws EngineException.NotFound when nothing is there
   */
  public Path pathIn(String idOrName, String path) {
    Container c = require(idOrName);
    try {
      Path p =
          io.jstack.runtime.container.internal.RootPaths.resolve(
              containers.dir(c.record().id()).resolve("rootfs"), path);
      if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new EngineException.NotFound(
            "Could not find the file " + path + " in container " + c.record().name());
      }
      return p;
    } catch (IOException e) {
      throw new EngineException(
          "cannot resolve " + path + " in container " + c.record().name() + ": " + e.getMessage(),
          e);
    }
  }

  /** Unpacks the tar stream {@code archive} into directory {@code dir} of a container. */
  public void copyTo(String idOrName, String dir, java.io.InputStream archive) {
    Path target = pathIn(idOrName, dir);
    if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "the destination " + dir + " is not a directory in the container");
    }
    try {
      io.jstack.runtime.image.internal.LayerUnpacker.extract(
          archive, target, io.jstack.runtime.image.internal.LayerUnpacker.Limits.DEFAULT);
    } catch (io.jstack.runtime.image.internal.LayerUnpacker.UnsafeLayerException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IOException e) {
      throw new EngineException("cannot copy into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Freezes ({@code pause}) or thaws a running container. */
  public void pause(String idOrName, boolean pause) {
    Container c = require(idOrName);
    if (pause && c.status() != Container.Status.running) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    if (!pause && c.status() != Container.Status.paused) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not paused");
    }
    if (pause) {
      containers.pause(c.record().id());
      events.emit(c.record(), "pause", Map.of());
    } else {
      containers.resume(c.record().id());
      events.emit(c.record(), "unpause", Map.of());
    }
  }

  public void kill(String idOrName, String signal) {
    Container c = require(idOrName);
    if (c.status() != Container.Status.running) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    String sig = (signal == null ? "KILL" : signal).replaceFirst("^SIG", "");
    store.write(c.record().stopped());
    containers.kill(c.record().id(), sig);
    events.emit(c.record(), "kill", Map.of("signal", sig));
  }

  /**
   * Removes a container (a running one only with {@code force}), and with {@code removeVolumes} the
   * anonymous volumes made for it.
   */
  public void remove(String idOrName, boolean force, boolean removeVolumes) {
    Container c = require(idOrName);
    if (c.alive() && !force) {
      throw new EngineException.Conflict(
          "cannot remove container "
              + c.record().name()
              + ": it is running; stop it first or force the removal");
    }
    supervisor.forget(c.record().id());
    ports.unpublish(c.record().id());
    // A wait for its removal may not have seen it exit: its exit code stays known a while.
    OptionalInt ended = containers.exitCode(c.record().id());
    if (ended.isPresent()) {
      synchronized (removedExitCodes) {
        removedExitCodes.put(c.record().id(), ended.getAsInt());
      }
    }
    containers.remove(c.record().id());
    if (bridged(c.record().request())) {
      Plumbing.deleteNamespace(namespace(c.record().id()));
    }
    announceExits();
    events.emit(c.record(), "destroy", Map.of());
    store.forget(c.record().id());
    execs.values().removeIf(e -> e.containerId.equals(c.record().id()));
    if (removeVolumes) {
      for (JsonNode v : c.record().request().path(ANONYMOUS_VOLUMES)) {
        volumes.find(v.asText()).ifPresent(x -> volumes.remove(x.name()));
      }
    }
  }

  private final Map<String, java.util.concurrent.atomic.AtomicInteger> readers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Somebody streams a container's output (an attached client): its auto-removal waits until the
   * returned handle runs, so that the client reads its log to the end.
   */
  public Runnable reading(String id) {
    readers
        .computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger())
        .incrementAndGet();
    return () -> readers.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Whether somebody streams its output now. */
  boolean beingRead(String id) {
    return readers.containsKey(id);
  }

  /** The exit codes of the last containers removed, for waits that see them only gone. */
  private final Map<String, Integer> removedExitCodes =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > 256;
        }
      };

  /** What {@link #await} waits for, as Docker's wait conditions name it. */
  public enum WaitFor {
    /** Returns at once unless it runs, else when it exits. */
    NOT_RUNNING,
    /** The end of its next (or current) run. */
    NEXT_EXIT,
    /** Its removal (after it exits). */
    REMOVED;

    /** The condition named {@code not-running}, {@code next-exit} or {@code removed}. */
    public static WaitFor of(String name) {
      return switch (name) {
        case "not-running" -> NOT_RUNNING;
        case "next-exit" -> NEXT_EXIT;
        case "removed" -> REMOVED;
        default ->
            throw new IllegalArgumentException(
                "wait condition must be not-running, next-exit or removed, not " + name);
      };
    }
  }

  /** Blocks until {@code condition} holds; the exit code of its last run (0 if it never ran). */
  public int await(String idOrName, WaitFor condition) {
    Container c = require(idOrName);
    String id = c.record().id();
    boolean wasRunning = c.alive();
    Instant run = c.record().startedAt();
    int code = c.exitCode();
    while (true) {
      Optional<Container> now = find(id);
      if (now.isEmpty()) {
        synchronized (removedExitCodes) {
          return removedExitCodes.getOrDefault(id, code);
        }
      }
      Container x = now.get();
      boolean thisRunEnded =
          x.status() == Container.Status.exited
              && (wasRunning || !java.util.Objects.equals(x.record().startedAt(), run));
      if (x.status() == Container.Status.exited) {
        code = x.exitCode();
      }
      switch (condition) {
        case NOT_RUNNING -> {
          if (!x.alive() && (!wasRunning || thisRunEnded)) {
            return x.exitCode();
          }
        }
        case NEXT_EXIT -> {
          if (thisRunEnded) {
            return x.exitCode();
          }
        }
        case REMOVED -> {
          // Only its absence ends this wait.
        }
      }
      if (x.alive()) {
        containers.waitExit(id, Duration.ofMillis(200));
      } else {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return code;
        }
      }
    }
  }

  /**
   * A process started in a container by {@code exec}, as Docker's API knows it: made by one call,
   * started by another, inspected for its exit code afterwards.
   */
  public static final class Exec {
    private final String id;
    private final String containerId;
    private final ExecConfig config;
    private final JsonNode request;
    private ExecProcess process;
    private Integer exitCode;

    Exec(String id, String containerId, ExecConfig config, JsonNode request) {
      this.id = id;
      this.containerId = containerId;
      this.config = config;
      this.request = request;
    }

    public String id() {
      return id;
    }

    public String containerId() {
      return containerId;
    }

    public ExecConfig config() {
      return config;
    }

    /** The create request as the client sent it. */
    public JsonNode request() {
      return request;
    }

    /** Its process once started, else null. */
    public synchronized ExecProcess process() {
      return process;
    }

    public synchronized boolean running() {
      return process != null && exitCode == null;
    }

    /** Its exit code once it ended, else null. */
    public synchronized Integer exitCode() {
      return exitCode;
    }

    /** Waits for its process to end and records its exit code; the exit code. */
    public int finish() {
      ExecProcess p = process();
      try {
        int code = p.waitFor(java.time.Duration.ofDays(3650)).orElse(-1);
        synchronized (this) {
          if (exitCode == null) {
            exitCode = code;
          }
          return exitCode;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  private final Map<String, Exec> execs = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Makes an exec instance in a running container from a Docker API exec body; returns its id.
   *
   * @throws EngineException.Conflict when the container is not running
   */
  public String createExec(String idOrName, JsonNode body) {
    Container c = require(idOrName);
    if (c.status() == Container.Status.paused) {
      throw new EngineException.Conflict(
          "container " + c.record().id() + " is paused, unpause the container before exec");
    }
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    if (body.path("Privileged").asBoolean()) {
      throw new UnsupportedOperationException(
          "privileged exec is not supported by the jstack engine; use --engine docker for it");
    }
    ExecConfig config =
        new ExecConfig(
            Json.strings(body.path("Cmd")),
            Json.strings(body.path("Env")),
            Json.emptyToNull(body.path("User").asText("")),
            Json.emptyToNull(body.path("WorkingDir").asText("")),
            body.path("Tty").asBoolean());
    String id = Json.randomId();
    execs.put(id, new Exec(id, c.record().id(), config, body));
    events.emit(
        c.record(), "exec_create: " + String.join(" ", config.command()), Map.of("execID", id));
    return id;
  }

  /**
   * An exec instance by id.
   *
   * @throws EngineException.NotFound when there is none
   */
  public Exec exec(String id) {
    Exec e = execs.get(id);
    if (e == null) {
      throw new EngineException.NotFound("No such exec instance: " + id);
    }
    return e;
  }

  /**
   * Starts an exec instance with a terminal of {@code rows} × {@code columns} (if it has one). When
   * {@code detach}, its output is dropped and its end recorded in the background; otherwise the
   * caller reads its output to the end, then calls {@link Exec#finish} and {@link
   * ExecProcess#release}.
   */
  public ExecProcess startExec(String id, boolean detach, int rows, int columns) {
    Exec e = exec(id);
    ExecProcess p;
    synchronized (e) {
      if (e.process != null) {
        throw new EngineException.Conflict("exec instance " + id + " has already started");
      }
      p = containers.exec(e.containerId, e.config, rows, columns);
      e.process = p;
    }
    store
        .record(e.containerId)
        .ifPresent(
            r ->
                events.emit(
                    r,
                    "exec_start: " + String.join(" ", e.config.command()),
                    Map.of("execID", id)));
    Daemons.start(
        "jstack-exec-" + id.substring(0, 12),
        () -> {
          if (detach) {
            Thread errors = Daemons.start("jstack-exec-errors", () -> discard(p.errors()));
            discard(p.output());
            try {
              errors.join();
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
            }
          }
          int code = e.finish();
          if (detach) {
            p.release();
          }
          store
              .record(e.containerId)
              .ifPresent(
                  r ->
                      events.emit(
                          r, "exec_die", Map.of("execID", id, "exitCode", String.valueOf(code))));
        });
    return p;
  }

  /** Reads {@code in} to its end, dropping what comes. */
  private static void discard(java.io.InputStream in) {
    try (in) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException ended) {
      // Nothing more to read.
    }
  }

  private final Map<String, List<java.util.concurrent.CompletableFuture<SeqPacket>>> attaching =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Attaches to the console of a container with a terminal or an open input: at once if it runs,
   * else as it next starts, before its process prints anything. The caller closes the socket.
   */
  public java.util.concurrent.CompletableFuture<SeqPacket> attach(String idOrName) {
    Container c = require(idOrName);
    String id = c.record().id();
    java.util.concurrent.CompletableFuture<SeqPacket> f =
        new java.util.concurrent.CompletableFuture<>();
    if (c.alive()) {
      try {
        f.complete(SeqPacket.connect(containers.attachSocket(id)));
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
      return f;
    }
    attaching.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(f);
    return f;
  }

  private void connectWaiting(String id, Path socket) {
    List<java.util.concurrent.CompletableFuture<SeqPacket>> waiting = attaching.remove(id);
    for (java.util.concurrent.CompletableFuture<SeqPacket> f :
        waiting == null ? List.<java.util.concurrent.CompletableFuture<SeqPacket>>of() : waiting) {
      try {
        SeqPacket s = SeqPacket.connect(socket);
        if (!f.complete(s)) {
          s.close(); // the client went away meanwhile
        }
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    }
  }

  /** Every container, newest first, with its state read anew from conmon's records. */
  public List<Container> list() {
    return store.list();
  }

  /** A container by id, name (with or without its leading slash) or id prefix of 4 or more. */
  public Optional<Container> find(String idOrName) {
    return store.find(idOrName);
  }

  /**
   * A container by id, name or id prefix.
   *
   * @throws EngineException.NotFound when there is none
   */
  public Container require(String idOrName) {
    return store.require(idOrName);
  }
}
