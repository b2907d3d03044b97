package io.jstack.planner.swarm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.compose.Deploy;
import io.jstack.compose.FileReference;
import io.jstack.compose.Healthcheck;
import io.jstack.compose.Network;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.ServiceNetwork;
import io.jstack.compose.Ulimit;
import io.jstack.compose.VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A Compose service as a Swarm {@code ServiceSpec}, field by field as {@code docker stack deploy}
 * converts it, so that a stack jstack deploys and one {@code docker stack} deploys are the same
 * services: the stack's labels ({@code com.docker.stack.namespace}, {@code
 * com.docker.stack.image}), the entrypoint as the task's {@code Command} and the command as its
 * {@code Args}, the project's networks and volumes by their full names, durations in nanoseconds,
 * and lists in a stable order (environment, ports, networks, ulimits, configs, secrets) so that an
 * unchanged service converts to the same spec.
 */
public final class SwarmSpecs {
  /** The label that names a stack's namespace (its project) on everything it made. */
  public static final String NAMESPACE = "com.docker.stack.namespace";

  /** The label that keeps the image as the Compose file names it. */
  public static final String IMAGE = "com.docker.stack.image";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SwarmSpecs() {}

  /** A config or secret object of the swarm that a service refers to. */
  public record Stored(String name, String id) {}

  /**
   * The spec of {@code s} in {@code project}; {@code configs} and {@code secrets} are the swarm's
   * objects for the project's configs and secrets, by their keys in the Compose file.
   *
   * @throws IllegalArgumentException naming the service and what Swarm cannot take
   */
  public static ObjectNode service(
      Project project, Service s, Map<String, Stored> configs, Map<String, Stored> secrets) {
    String ns = project.name();
    ObjectNode spec = JSON.objectNode();
    spec.put("Name", ns + "_" + s.name());
    Map<String, String> labels = new TreeMap<>();
    if (s.deploy() != null) {
      labels.putAll(s.deploy().labels());
    }
    labels.put(NAMESPACE, ns);
    labels.put(IMAGE, require(s, s.image(), "image"));
    spec.set("Labels", map(labels));

    ObjectNode task = spec.putObject("TaskTemplate");
    ObjectNode c = task.putObject("ContainerSpec");
    c.put("Image", s.image());
    putStrings(c, "Command", s.entrypoint());
    putStrings(c, "Args", s.command());
    putText(c, "Hostname", s.hostname());
    List<String> hosts = new ArrayList<>();
    for (String h : s.extraHosts()) {
      int eq = h.indexOf('=');
      if (eq > 0) {
        hosts.add(h.substring(eq + 1) + " " + h.substring(0, eq));
      }
    }
    putStrings(c, "Hosts", hosts.isEmpty() ? null : hosts);
    if (!s.dns().isEmpty() || !s.dnsSearch().isEmpty() || !s.dnsOpt().isEmpty()) {
      ObjectNode dns = c.putObject("DNSConfig");
      putStrings(dns, "Nameservers", s.dns().isEmpty() ? null : s.dns());
      putStrings(dns, "Search", s.dnsSearch().isEmpty() ? null : s.dnsSearch());
      putStrings(dns, "Options", s.dnsOpt().isEmpty() ? null : s.dnsOpt());
    }
    if (s.healthcheck() != null) {
      c.set("Healthcheck", healthcheck(s.healthcheck()));
    }
    List<String> env = new ArrayList<>();
    s.environment().forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
    env.sort(null);
    putStrings(c, "Env", env.isEmpty() ? null : env);
    Map<String, String> containerLabels = new TreeMap<>(s.labels());
    containerLabels.put(NAMESPACE, ns);
    c.set("Labels", map(containerLabels));
    putText(c, "Dir", s.workingDir());
    putText(c, "User", s.user());
    putStrings(c, "Groups", s.groupAdd().isEmpty() ? null : s.groupAdd());
    // docker stack sends its (empty) privileges; the manager keeps them as sent.
    ObjectNode privileges = c.putObject("Privileges");
    privileges.putNull("CredentialSpec");
    privileges.putNull("SELinuxContext");
    ArrayNode mounts = mounts(project, s);
    if (!mounts.isEmpty()) {
      c.set("Mounts", mounts);
    }
    if (s.stopGracePeriod() != null) {
      c.put("StopGracePeriod", nanos(s.stopGracePeriod()));
    }
    putText(c, "StopSignal", s.stopSignal());
    if (s.tty()) {
      c.put("TTY", true);
    }
    if (s.stdinOpen()) {
      c.put("OpenStdin", true);
    }
    if (s.readOnly()) {
      c.put("ReadOnly", true);
    }
    if (s.init() != null) {
      c.put("Init", s.init());
    }
    ArrayNode configRefs = references(s, s.configs(), configs, "config", "ConfigID", "ConfigName");
    if (!configRefs.isEmpty()) {
      c.set("Configs", configRefs);
    }
    ArrayNode secretRefs = references(s, s.secrets(), secrets, "secret", "SecretID", "SecretName");
    if (!secretRefs.isEmpty()) {
      c.set("Secrets", secretRefs);
    }
    if (!s.sysctls().isEmpty()) {
      c.set("Sysctls", map(new TreeMap<>(s.sysctls())));
    }
    putText(c, "Isolation", s.isolation());
    putStrings(c, "CapabilityAdd", s.capAdd().isEmpty() ? null : s.capAdd());
    putStrings(c, "CapabilityDrop", s.capDrop().isEmpty() ? null : s.capDrop());
    if (!s.ulimits().isEmpty()) {
      ArrayNode u = c.putArray("Ulimits");
      new TreeMap<>(s.ulimits()).forEach((name, limit) -> u.add(ulimit(name, limit)));
    }

    Deploy d = s.deploy();
    if (s.logging() != null && s.logging().driver() != null) {
      ObjectNode log = task.putObject("LogDriver");
      log.put("Name", s.logging().driver());
      log.set("Options", map(new TreeMap<>(s.logging().options())));
    }
    if (d != null && d.resources() != null) {
      task.set("Resources", resources(d.resources()));
    }
    ObjectNode restart = restartPolicy(s, d == null ? null : d.restartPolicy());
    if (restart != null) {
      task.set("RestartPolicy", restart);
    }
    if (d != null && d.placement() != null) {
      ObjectNode placement = task.putObject("Placement");
      putStrings(
          placement,
          "Constraints",
          d.placement().constraints().isEmpty() ? null : d.placement().constraints());
      if (!d.placement().preferences().isEmpty()) {
        ArrayNode prefs = placement.putArray("Preferences");
        for (Deploy.Preference p : d.placement().preferences()) {
          prefs.addObject().putObject("Spread").put("SpreadDescriptor", p.spread());
        }
      }
      if (d.placement().maxReplicasPerNode() != null) {
        placement.put("MaxReplicas", d.placement().maxReplicasPerNode());
      }
    }
    task.set("Networks", networks(project, s));

    spec.set("Mode", mode(s, d));
    if (d != null && d.updateConfig() != null) {
      spec.set("UpdateConfig", updateConfig(d.updateConfig()));
    }
    if (d != null && d.rollbackConfig() != null) {
      spec.set("RollbackConfig", updateConfig(d.rollbackConfig()));
    }
    spec.set("EndpointSpec", endpoint(s, d));
    return spec;
  }

  /**
   * {@code spec} as the manager keeps it, with its networks named again ({@code networkIds}: name
   * to id) where the manager put their ids, for comparing with a spec made here. Changes {@code
   * spec} and returns it.
   */
  public static ObjectNode namedNetworks(ObjectNode spec, Map<String, String> networkIds) {
    for (com.fasterxml.jackson.databind.JsonNode n : spec.path("TaskTemplate").path("Networks")) {
      String target = n.path("Target").asText();
      networkIds.forEach(
          (name, id) -> {
            if (id.equals(target)) {
              ((ObjectNode) n).put("Target", name);
            }
          });
    }
    return spec;
  }

  private static ObjectNode healthcheck(Healthcheck h) {
    ObjectNode o = JSON.objectNode();
    if (h.disable()) {
      o.putArray("Test").add("NONE");
      return o;
    }
    putStrings(o, "Test", h.test());
    putNanos(o, "Interval", h.interval());
    putNanos(o, "Timeout", h.timeout());
    putNanos(o, "StartPeriod", h.startPeriod());
    putNanos(o, "StartInterval", h.startInterval());
    if (h.retries() != null) {
      o.put("Retries", h.retries());
    }
    return o;
  }

  private static ArrayNode mounts(Project project, Service s) {
    ArrayNode out = JSON.arrayNode();
    for (VolumeMount v : s.volumes()) {
      ObjectNode m = out.addObject();
      switch (v.type()) {
        case "volume" -> {
          m.put("Type", "volume");
          // As docker/cli's convert: an anonymous volume has no options; an external one no
          // labels or driver, which only matter to a volume the node makes.
          if (v.source() != null && !v.source().isEmpty()) {
            io.jstack.compose.Volume named = project.volumes().get(v.source());
            m.put("Source", named != null ? named.name() : project.name() + "_" + v.source());
            ObjectNode options = m.putObject("VolumeOptions");
            if (v.volume() != null && v.volume().nocopy()) {
              options.put("NoCopy", true);
            }
            if (named == null || !named.external()) {
              Map<String, String> labels = new TreeMap<>(named == null ? Map.of() : named.labels());
              labels.put(NAMESPACE, project.name());
              options.set("Labels", map(labels));
              if (named != null && (named.driver() != null || !named.driverOpts().isEmpty())) {
                ObjectNode driver = options.putObject("DriverConfig");
                putText(driver, "Name", named.driver());
                if (!named.driverOpts().isEmpty()) {
                  driver.set("Options", map(new TreeMap<>(named.driverOpts())));
                }
              }
            }
          }
        }
        case "bind" -> {
          m.put("Type", "bind");
          m.put("Source", v.source());
          if (v.bind() != null && v.bind().propagation() != null) {
            m.putObject("BindOptions").put("Propagation", v.bind().propagation());
          }
        }
        case "tmpfs" -> {
          m.put("Type", "tmpfs");
          if (v.tmpfs() != null && (v.tmpfs().size() != null || v.tmpfs().mode() != null)) {
            ObjectNode t = m.putObject("TmpfsOptions");
            if (v.tmpfs().size() != null) {
              t.put("SizeBytes", v.tmpfs().size().bytes());
            }
            if (v.tmpfs().mode() != null) {
              t.put("Mode", v.tmpfs().mode().bits());
            }
          }
        }
        default -> throw new IllegalArgumentException(SwarmFeatures.unconvertedMount(s.name(), v));
      }
      m.put("Target", v.target());
      if (v.readOnly()) {
        m.put("ReadOnly", true);
      }
    }
    return out;
  }

  private static ArrayNode references(
      Service s,
      List<FileReference> refs,
      Map<String, Stored> stored,
      String kind,
      String idField,
      String nameField) {
    List<ObjectNode> out = new ArrayList<>();
    for (FileReference r : refs) {
      Stored st = stored.get(r.source());
      if (st == null) {
        throw new IllegalArgumentException(
            "service "
                + s.name()
                + ": "
                + kind
                + " "
                + r.source()
                + " is not defined in the project");
      }
      ObjectNode ref = JSON.objectNode();
      ObjectNode file = ref.putObject("File");
      String target = r.target() != null && !r.target().isEmpty() ? r.target() : r.source();
      if (kind.equals("secret") && target.startsWith("/run/secrets/")) {
        // Swarm names a secret's file below /run/secrets, as Compose's default target is.
        target = target.substring("/run/secrets/".length());
      }
      file.put("Name", target);
      file.put("UID", r.uid() != null ? r.uid() : "0");
      file.put("GID", r.gid() != null ? r.gid() : "0");
      file.put("Mode", r.mode() != null ? r.mode().bits() : 0444);
      ref.put(idField, st.id());
      ref.put(nameField, st.name());
      out.add(ref);
    }
    out.sort(Comparator.comparing(o -> o.path(nameField).asText()));
    ArrayNode a = JSON.arrayNode();
    out.forEach(a::add);
    return a;
  }

  private static ObjectNode ulimit(String name, Ulimit u) {
    long soft = u.single() != null ? u.single() : u.soft() == null ? 0 : u.soft();
    long hard = u.single() != null ? u.single() : u.hard() == null ? 0 : u.hard();
    ObjectNode o = JSON.objectNode();
    o.put("Name", name);
    o.put("Soft", soft);
    o.put("Hard", hard);
    return o;
  }

  private static ObjectNode resources(Deploy.Resources r) {
    ObjectNode o = JSON.objectNode();
    if (r.limits() != null) {
      ObjectNode l = o.putObject("Limits");
      if (r.limits().cpus() != null) {
        l.put("NanoCPUs", Math.round(r.limits().cpus() * 1e9));
      }
      if (r.limits().memory() != null) {
        l.put("MemoryBytes", r.limits().memory().bytes());
      }
      if (r.limits().pids() != null) {
        l.put("Pids", r.limits().pids());
      }
    }
    if (r.reservations() != null) {
      ObjectNode l = o.putObject("Reservations");
      if (r.reservations().cpus() != null) {
        l.put("NanoCPUs", Math.round(r.reservations().cpus() * 1e9));
      }
      if (r.reservations().memory() != null) {
        l.put("MemoryBytes", r.reservations().memory().bytes());
      }
      if (!r.reservations().genericResources().isEmpty()) {
        ArrayNode generic = l.putArray("GenericResources");
        for (Deploy.GenericResource g : r.reservations().genericResources()) {
          ObjectNode one = generic.addObject();
          Deploy.DiscreteResourceSpec d = g.discreteResourceSpec();
          if (d != null) {
            ObjectNode spec = one.putObject("DiscreteResourceSpec");
            putText(spec, "Kind", d.kind());
            if (d.value() != null) {
              spec.put("Value", d.value());
            }
          }
        }
      }
    }
    return o;
  }

  /** {@code deploy.restart_policy}, else the Compose {@code restart} as Swarm reads it. */
  private static @Nullable ObjectNode restartPolicy(
      Service s, Deploy.@Nullable RestartPolicy policy) {
    if (policy != null) {
      ObjectNode o = JSON.objectNode();
      putText(o, "Condition", policy.condition());
      putNanos(o, "Delay", policy.delay());
      if (policy.maxAttempts() != null) {
        o.put("MaxAttempts", policy.maxAttempts());
      }
      putNanos(o, "Window", policy.window());
      return o;
    }
    String restart = s.restart();
    if (restart == null || restart.isEmpty() || restart.equals("no")) {
      return null;
    }
    String[] parts = restart.split(":", 2);
    ObjectNode o = JSON.objectNode();
    switch (parts[0]) {
      case "always", "unless-stopped" -> o.put("Condition", "any");
      case "on-failure" -> o.put("Condition", "on-failure");
      default ->
          throw new IllegalArgumentException(
              "service " + s.name() + ": restart: " + restart + " is not a restart policy");
    }
    if (parts.length == 2 && Long.parseLong(parts[1]) > 0) {
      o.put("MaxAttempts", Long.parseLong(parts[1]));
    }
    return o;
  }

  /**
   * The body that creates the project's network {@code n} (its key {@code key}; null for the
   * default network) on a swarm, as docker/cli's convert makes it: an overlay network with the
   * stack's label and the file's driver options, internal flag and address pools; jstack's are
   * always attachable, so that {@code docker run --network} can join a stack's network.
   *
   * @throws IllegalArgumentException when the file names a driver Swarm cannot scope to the swarm
   */
  public static ObjectNode network(Project project, String key, @Nullable Network n) {
    ObjectNode o = JSON.objectNode();
    o.put("Name", n != null ? n.name() : project.name() + "_default");
    o.put("CheckDuplicate", true);
    String driver = n == null || n.driver() == null ? "overlay" : n.driver();
    if (!driver.equals("overlay")) {
      throw new IllegalArgumentException(
          "network " + key + ": driver " + driver + " is not a swarm's; use overlay");
    }
    o.put("Driver", driver);
    o.put("Attachable", true);
    Map<String, String> labels = new TreeMap<>(n == null ? Map.of() : n.labels());
    labels.put(NAMESPACE, project.name());
    o.set("Labels", map(labels));
    if (n == null) {
      return o;
    }
    if (n.internal()) {
      o.put("Internal", true);
    }
    if (Boolean.TRUE.equals(n.enableIpv6())) {
      o.put("EnableIPv6", true);
    }
    if (!n.driverOpts().isEmpty()) {
      o.set("Options", map(new TreeMap<>(n.driverOpts())));
    }
    Network.Ipam ipam = n.ipam();
    if (ipam != null && (ipam.driver() != null || !ipam.config().isEmpty())) {
      ObjectNode i = o.putObject("IPAM");
      putText(i, "Driver", ipam.driver());
      ArrayNode pools = i.putArray("Config");
      for (Network.IpamPool pool : ipam.config()) {
        ObjectNode c = pools.addObject();
        putText(c, "Subnet", pool.subnet());
        putText(c, "IPRange", pool.ipRange());
        putText(c, "Gateway", pool.gateway());
        if (!pool.auxAddresses().isEmpty()) {
          c.set("AuxiliaryAddresses", map(new TreeMap<>(pool.auxAddresses())));
        }
      }
      if (!ipam.options().isEmpty()) {
        i.set("Options", map(new TreeMap<>(ipam.options())));
      }
    }
    return o;
  }

  private static ArrayNode networks(Project project, Service s) {
    Map<String, ServiceNetwork> asked =
        s.networks().isEmpty() ? java.util.Collections.singletonMap("default", null) : s.networks();
    List<ObjectNode> out = new ArrayList<>();
    asked.forEach(
        (key, sn) -> {
          Network n = project.networks().get(key);
          if (n == null && !key.equals("default")) {
            throw new IllegalArgumentException(
                "service " + s.name() + ": network " + key + " is not defined in the project");
          }
          ObjectNode a = JSON.objectNode();
          a.put("Target", n != null ? n.name() : project.name() + "_default");
          List<String> aliases = new ArrayList<>(sn == null ? List.of() : sn.aliases());
          aliases.add(s.name());
          putStrings(a, "Aliases", aliases);
          if (sn != null && !sn.driverOpts().isEmpty()) {
            a.set("DriverOpts", map(new TreeMap<>(sn.driverOpts())));
          }
          out.add(a);
        });
    out.sort(Comparator.comparing(o -> o.path("Target").asText()));
    ArrayNode a = JSON.arrayNode();
    out.forEach(a::add);
    return a;
  }

  private static ObjectNode mode(Service s, @Nullable Deploy d) {
    String mode = d == null || d.mode() == null ? "replicated" : d.mode();
    Integer replicas = d != null && d.replicas() != null ? d.replicas() : s.scale();
    ObjectNode o = JSON.objectNode();
    switch (mode) {
      case "replicated" -> {
        ObjectNode r = o.putObject("Replicated");
        if (replicas != null) {
          r.put("Replicas", replicas);
        }
      }
      case "global", "global-job" -> {
        if (replicas != null) {
          throw new IllegalArgumentException(
              "service "
                  + s.name()
                  + ": replicas go with replicated and replicated-job modes only, not "
                  + mode);
        }
        o.putObject(mode.equals("global") ? "Global" : "GlobalJob");
      }
      case "replicated-job" -> {
        ObjectNode r = o.putObject("ReplicatedJob");
        if (replicas != null) {
          r.put("MaxConcurrent", replicas);
          r.put("TotalCompletions", replicas);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "service "
                  + s.name()
                  + ": deploy.mode "
                  + mode
                  + " is not a Swarm mode; use replicated, global, replicated-job or global-job");
    }
    return o;
  }

  private static ObjectNode updateConfig(Deploy.UpdateConfig u) {
    ObjectNode o = JSON.objectNode();
    o.put("Parallelism", u.parallelism() == null ? 1 : u.parallelism());
    putNanos(o, "Delay", u.delay());
    putText(o, "FailureAction", u.failureAction());
    putNanos(o, "Monitor", u.monitor());
    if (u.maxFailureRatio() != null) {
      o.put("MaxFailureRatio", u.maxFailureRatio());
    }
    putText(o, "Order", u.order());
    return o;
  }

  private static ObjectNode endpoint(Service s, @Nullable Deploy d) {
    ObjectNode o = JSON.objectNode();
    if (d != null && d.endpointMode() != null) {
      o.put("Mode", d.endpointMode().toLowerCase(java.util.Locale.ROOT));
    }
    List<ObjectNode> ports = new ArrayList<>();
    for (PortConfig p : s.ports()) {
      ObjectNode port = JSON.objectNode();
      port.put("Protocol", p.protocol());
      port.put("TargetPort", p.target());
      if (p.published() != null && !p.published().isEmpty()) {
        if (!p.published().matches("\\d+")) {
          throw new IllegalArgumentException(
              "service "
                  + s.name()
                  + ": published port "
                  + p.published()
                  + " is a range; Swarm publishes one port per entry");
        }
        port.put("PublishedPort", Integer.parseInt(p.published()));
      }
      port.put("PublishMode", p.mode());
      ports.add(port);
    }
    // docker stack's order: by published port (none first), then target port and protocol.
    ports.sort(
        Comparator.<ObjectNode>comparingInt(p -> p.path("PublishedPort").asInt())
            .thenComparingInt(p -> p.path("TargetPort").asInt())
            .thenComparing(p -> p.path("Protocol").asText()));
    if (!ports.isEmpty()) {
      ArrayNode a = o.putArray("Ports");
      ports.forEach(a::add);
    }
    return o;
  }

  private static String require(Service s, @Nullable String value, String key) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "service "
              + s.name()
              + ": Swarm runs images only; give it an image (build it with up --build --push)");
    }
    return value;
  }

  private static ObjectNode map(Map<String, String> m) {
    ObjectNode o = JSON.objectNode();
    m.forEach(o::put);
    return o;
  }

  private static void putStrings(ObjectNode o, String field, @Nullable List<String> values) {
    if (values != null) {
      ArrayNode a = o.putArray(field);
      values.forEach(a::add);
    }
  }

  private static void putText(ObjectNode o, String field, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      o.put(field, value);
    }
  }

  private static void putNanos(ObjectNode o, String field, @Nullable Duration d) {
    if (d != null) {
      o.put(field, nanos(d));
    }
  }

  private static long nanos(Duration d) {
    return d.toNanos();
  }
}
