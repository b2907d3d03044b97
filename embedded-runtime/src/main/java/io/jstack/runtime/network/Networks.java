package io.jstack.runtime.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.EngineException;
import io.jstack.engine.Names;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The embedded engine's bridge networks, one file each below {@code <data root>/networks} (with a
 * format version), each with its bridge and firewall rules on the host. A network outlives the
 * engine process; {@link #restore} puts back what a reboot took away.
 */
public final class Networks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;

  private final Path dir;
  private final Map<String, Network> byId = new ConcurrentHashMap<>();

  public Networks(DataRoot root) {
    this.dir = root.path().resolve("networks");
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*.json")) {
        for (Path p : all) {
          Network n = read(p);
          byId.put(n.id(), n);
        }
      } catch (IOException e) {
        throw new EngineException("cannot read the networks in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Every network. */
  public List<Network> list() {
    List<Network> out = new ArrayList<>(byId.values());
    out.sort(java.util.Comparator.comparing(Network::created));
    return out;
  }

  /** A network by name, id or id prefix (of at least 4 digits). */
  public Optional<Network> find(String idOrName) {
    Network exact = byId.get(idOrName);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (Network n : byId.values()) {
      if (n.name().equals(idOrName)) {
        return Optional.of(n);
      }
    }
    if (idOrName.length() >= 4) {
      for (Network n : byId.values()) {
        if (n.id().startsWith(idOrName)) {
          return Optional.of(n);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A network by name or id.
   *
   * @throws EngineException.NotFound when there is none
   */
  public Network require(String idOrName) {
    return find(idOrName)
        .orElseThrow(() -> new EngineException.NotFound("network " + idOrName + " not found"));
  }

  /**
   * Creates a network: its subnet (given, or the first free default one), bridge and rules.
   *
   * @throws EngineException.Conflict when the name is taken
   * @throws EngineException.InvalidArgument when the name is not one a network may have
   * @throws IllegalArgumentException when the addresses asked for cannot be used
   */
  public synchronized Network create(NetworkRequest request) {
    String name = Names.network(request.name());
    if (find(name).filter(n -> n.name().equals(name)).isPresent()) {
      throw new EngineException.Conflict("network with name " + name + " already exists");
    }
    List<Subnet> inUse = new ArrayList<>();
    try {
      inUse.addAll(HostNetwork.subnetsInUse());
    } catch (IOException e) {
      throw new EngineException("cannot read this host's routes: " + e.getMessage(), e);
    }
    byId.values().forEach(n -> inUse.add(n.subnet()));
    // The host's routes include our own bridges' subnets, which the other networks cover already.
    Subnet chosen = Ipam.allocate(request.subnet(), inUse);
    long gw = Ipam.gateway(chosen, request.gateway());
    Optional<Subnet> ipRange = request.ipRange();
    if (ipRange.isPresent() && !chosen.covers(ipRange.get())) {
      throw new IllegalArgumentException(
          "ip_range " + ipRange.get() + " does not lie within subnet " + chosen);
    }
    String id = HexFormat.of().formatHex(random32());
    Network n =
        new Network(
            id,
            name,
            chosen,
            gw,
            ipRange,
            request.internal(),
            request.mtu(),
            request.labels(),
            Instant.now(),
            Firewall.BRIDGE_PREFIX + id.substring(0, 11));
    // The record first: an engine killed before the bridge is up leaves a listed network, which
    // the next engine's restore() completes, never a bridge that no network owns.
    write(n);
    try {
      up(n);
    } catch (RuntimeException e) {
      try {
        down(n);
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      try {
        forget(n);
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    byId.put(id, n);
    return n;
  }

  /** Removes a network's bridge, rules and file. The caller checks that no container uses it. */
  public synchronized void remove(Network n) {
    down(n);
    forget(n);
    byId.remove(n.id());
  }

  private void forget(Network n) {
    try {
      Files.deleteIfExists(dir.resolve(n.id() + ".json"));
    } catch (IOException e) {
      throw new EngineException("cannot remove network " + n.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Puts back the bridge and rules of every network (a reboot takes them away). One that cannot be
   * put back is said on standard error and left for its removal or the next start: the engine still
   * starts, with its other networks.
   */
  public void restore() {
    for (Network n : byId.values()) {
      try {
        up(n);
      } catch (RuntimeException e) {
        System.err.println(
            "jstack engine: cannot put back network " + n.name() + ": " + e.getMessage());
      }
    }
  }

  private static void up(Network n) {
    Plumbing.createBridge(n.bridge(), n.subnet(), n.gateway(), n.mtu());
    Firewall.addNetwork(n.bridge(), n.subnet(), n.internal());
  }

  private static void down(Network n) {
    Firewall.removeNetwork(n.bridge(), n.subnet(), n.internal());
    Plumbing.deleteLink(n.bridge());
  }

  /** A network's record ({@code networks/<id>.json}), as the engine writes it. */
  private record Stored(
      int format,
      String id,
      String name,
      String subnet,
      String gateway,
      @Nullable String ipRange,
      boolean internal,
      @Nullable Integer mtu,
      @Nullable Map<String, String> labels,
      String created,
      String bridge) {}

  private void write(Network n) {
    Stored o =
        new Stored(
            FORMAT,
            n.id(),
            n.name(),
            n.subnet().toString(),
            Subnet.address(n.gateway()),
            n.ipRange().map(Subnet::toString).orElse(null),
            n.internal(),
            n.mtu(),
            n.labels(),
            n.created().toString(),
            n.bridge());
    try {
      Files.createDirectories(dir);
      Path temp = dir.resolve(n.id() + ".json.tmp");
      Files.write(temp, JSON.writeValueAsBytes(o));
      Files.move(
          temp,
          dir.resolve(n.id() + ".json"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new EngineException("cannot record network " + n.name() + ": " + e.getMessage(), e);
    }
  }

  private static Network read(Path file) throws IOException {
    Stored o = JSON.readValue(file.toFile(), Stored.class);
    if (o.format() != FORMAT) {
      throw new EngineException(
          "network record " + file + " has format " + o.format() + "; this jstack reads " + FORMAT);
    }
    return new Network(
        o.id(),
        o.name(),
        Subnet.parse(o.subnet()),
        Subnet.parseAddress(o.gateway()),
        o.ipRange() != null ? Optional.of(Subnet.parse(o.ipRange())) : Optional.empty(),
        o.internal(),
        o.mtu() != null ? o.mtu() : 1500,
        new java.util.TreeMap<>(o.labels() != null ? o.labels() : Map.of()),
        Instant.parse(o.created()),
        o.bridge());
  }

  private static byte[] random32() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
