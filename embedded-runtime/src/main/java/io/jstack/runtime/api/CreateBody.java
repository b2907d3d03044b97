package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.ExecRequest;
import io.jstack.runtime.image.Healthcheck;
import io.jstack.runtime.network.ResolvConf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Docker's container JSON and the engine's {@link ContainerSettings}, both ways: the one decoder of
 * a create body ({@code POST /containers/create}), of a connect's endpoint and of an exec body, and
 * the {@code Config} and {@code HostConfig} that inspect shows for it.
 */
final class CreateBody {
  private CreateBody() {}

  /** An endpoint's settings, in a create body's {@code NetworkingConfig} and in a connect. */
  static final JsonShape ENDPOINT =
      JsonShape.object(
          Map.of(
              "Aliases", JsonShape.strings(),
              "Links", JsonShape.strings(),
              "IPAMConfig", JsonShape.object(Map.of("IPv4Address", JsonShape.string()))));

  /** What the fields of a create body decoded here must be (the types of moby's API types). */
  static final JsonShape CREATE = createShape();

  /** What the fields of an exec body decoded here must be. */
  static final JsonShape EXEC =
      JsonShape.object(
          Map.of(
              "Cmd", JsonShape.stringOrStrings(),
              "Env", JsonShape.strings(),
              "User", JsonShape.string(),
              "WorkingDir", JsonShape.string(),
              "Tty", JsonShape.bool(),
              "Privileged", JsonShape.bool(),
              "AttachStdin", JsonShape.bool(),
              "AttachStdout", JsonShape.bool(),
              "AttachStderr", JsonShape.bool()));

  private static JsonShape createShape() {
    JsonShape string = JsonShape.string();
    JsonShape bool = JsonShape.bool();
    JsonShape integer = JsonShape.integer();
    JsonShape strings = JsonShape.strings();
    Map<String, JsonShape> host = new java.util.HashMap<>();
    for (String f :
        List.of(
            "NetworkMode",
            "IpcMode",
            "PidMode",
            "UTSMode",
            "CgroupnsMode",
            "Runtime",
            "CpusetCpus",
            "CpusetMems")) {
      host.put(f, string);
    }
    for (String f :
        List.of(
            "Binds",
            "CapAdd",
            "CapDrop",
            "SecurityOpt",
            "ExtraHosts",
            "Dns",
            "DnsSearch",
            "DnsOptions",
            "DeviceCgroupRules",
            "GroupAdd",
            "VolumesFrom")) {
      host.put(f, strings);
    }
    for (String f :
        List.of(
            "Memory",
            "NanoCpus",
            "PidsLimit",
            "ShmSize",
            "CpuPeriod",
            "CpuQuota",
            "CpuShares",
            "MemoryReservation",
            "MemorySwap",
            "MemorySwappiness")) {
      host.put(f, integer);
    }
    host.put("OomScoreAdj", JsonShape.int32());
    for (String f :
        List.of(
            "PublishAllPorts",
            "AutoRemove",
            "Privileged",
            "ReadonlyRootfs",
            "Init",
            "OomKillDisable")) {
      host.put(f, bool);
    }
    host.put(
        "Mounts",
        JsonShape.arrayOf(
            JsonShape.object(
                Map.of(
                    "Type", string,
                    "Source", string,
                    "Target", string,
                    "ReadOnly", bool,
                    "VolumeOptions", JsonShape.object(Map.of("NoCopy", bool)),
                    "TmpfsOptions",
                        JsonShape.object(
                            Map.of("SizeBytes", integer, "Mode", JsonShape.int32()))))));
    host.put("Tmpfs", JsonShape.stringMap());
    host.put("Sysctls", JsonShape.stringMap());
    host.put(
        "PortBindings",
        JsonShape.mapOf(
            JsonShape.arrayOf(JsonShape.object(Map.of("HostIp", string, "HostPort", string)))));
    host.put(
        "Ulimits",
        JsonShape.arrayOf(
            JsonShape.object(Map.of("Name", string, "Soft", integer, "Hard", integer))));
    host.put(
        "RestartPolicy",
        JsonShape.object(Map.of("Name", string, "MaximumRetryCount", JsonShape.int32())));
    host.put(
        "Devices",
        JsonShape.arrayOf(
            JsonShape.object(
                Map.of(
                    "PathOnHost", string,
                    "PathInContainer", string,
                    "CgroupPermissions", string))));
    Map<String, JsonShape> body = new java.util.HashMap<>();
    for (String f :
        List.of("Image", "WorkingDir", "User", "Hostname", "Domainname", "StopSignal")) {
      body.put(f, string);
    }
    body.put("Entrypoint", JsonShape.stringOrStrings());
    body.put("Cmd", JsonShape.stringOrStrings());
    body.put("Env", strings);
    body.put("Labels", JsonShape.stringMap());
    body.put("StopTimeout", JsonShape.int32());
    for (String f : List.of("Tty", "OpenStdin", "StdinOnce")) {
      body.put(f, bool);
    }
    body.put("ExposedPorts", JsonShape.mapOf(JsonShape.object(Map.of())));
    body.put("Volumes", JsonShape.mapOf(JsonShape.object(Map.of())));
    body.put(
        "Healthcheck",
        JsonShape.object(
            Map.of(
                "Test", strings,
                "Interval", integer,
                "Timeout", integer,
                "StartPeriod", integer,
                "StartInterval", integer,
                "Retries", JsonShape.int32())));
    body.put("HostConfig", JsonShape.object(host));
    body.put(
        "NetworkingConfig", JsonShape.object(Map.of("EndpointsConfig", JsonShape.mapOf(ENDPOINT))));
    return JsonShape.object(body);
  }

  /**
   * The settings a create body asks for.
   *
   * @throws io.jstack.engine.EngineException.InvalidArgument naming a field of the wrong type
   */
  static ContainerSettings settings(JsonNode body) {
    CREATE.check(body);
    JsonNode h = body.path("HostConfig");
    List<ContainerSettings.Mount> mounts = new ArrayList<>();
    for (JsonNode m : h.path("Mounts")) {
      JsonNode tmpfs = m.path("TmpfsOptions");
      mounts.add(
          new ContainerSettings.Mount(
              m.path("Type").asText(),
              m.path("Source").asText(""),
              m.path("Target").asText(),
              m.path("ReadOnly").asBoolean(),
              m.path("VolumeOptions").path("NoCopy").asBoolean(false),
              tmpfs.path("SizeBytes").isNumber() ? tmpfs.path("SizeBytes").asLong() : null,
              tmpfs.path("Mode").isNumber() ? tmpfs.path("Mode").asInt() : null));
    }
    // The --tmpfs / compose tmpfs form: mount point to options.
    Map<String, String> tmpfs = new LinkedHashMap<>();
    h.path("Tmpfs").properties().forEach(e -> tmpfs.put(e.getKey(), e.getValue().asText("")));
    List<ContainerSettings.PortBinding> ports = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : h.path("PortBindings").properties()) {
      String[] portAndProtocol = e.getKey().split("/", 2);
      int containerPort;
      try {
        containerPort = Integer.parseInt(portAndProtocol[0]);
      } catch (NumberFormatException bad) {
        throw new IllegalArgumentException(
            "HostConfig.PortBindings: " + e.getKey() + " is not a port (8080 or 8080/tcp)");
      }
      String protocol = portAndProtocol.length > 1 ? portAndProtocol[1] : "tcp";
      for (JsonNode b : e.getValue()) {
        ports.add(
            new ContainerSettings.PortBinding(
                containerPort,
                protocol,
                b.path("HostIp").asText(""),
                b.path("HostPort").asText("")));
      }
    }
    Map<String, String> sysctls = new LinkedHashMap<>();
    h.path("Sysctls").properties().forEach(e -> sysctls.put(e.getKey(), e.getValue().asText()));
    List<ContainerConfig.Ulimit> ulimits = new ArrayList<>();
    for (JsonNode u : h.path("Ulimits")) {
      ulimits.add(
          new ContainerConfig.Ulimit(
              u.path("Name").asText(), u.path("Soft").asLong(), u.path("Hard").asLong()));
    }
    String restart = h.path("RestartPolicy").path("Name").asText("");
    ContainerSettings.Host host =
        new ContainerSettings.Host(
            h.path("NetworkMode").asText(""),
            strings(h.path("Binds")),
            mounts,
            ports,
            h.path("PublishAllPorts").asBoolean(),
            restart.isEmpty() ? "no" : restart,
            h.path("RestartPolicy").path("MaximumRetryCount").asInt(),
            h.path("AutoRemove").asBoolean(),
            strings(h.path("CapAdd")),
            strings(h.path("CapDrop")),
            h.path("Privileged").asBoolean(),
            h.path("ReadonlyRootfs").asBoolean(),
            strings(h.path("SecurityOpt")),
            Math.max(0, h.path("Memory").asLong()),
            Math.max(0, h.path("NanoCpus").asLong()),
            Math.max(0, h.path("PidsLimit").asLong()),
            Math.max(0, h.path("ShmSize").asLong()),
            h.path("Init").isBoolean() ? h.path("Init").asBoolean() : null,
            sysctls,
            ulimits,
            strings(h.path("ExtraHosts")),
            new ResolvConf.Asked(
                dnsServers(h.path("Dns")),
                strings(h.path("DnsSearch")),
                strings(h.path("DnsOptions"))),
            tmpfs,
            HostTuning.of(h));
    if (host.tuning().utsMode().equals("host") && text(body.path("Hostname")) != null) {
      // As dockerd: the host's UTS namespace has the host's name.
      throw new io.jstack.engine.EngineException.InvalidArgument(
          "Hostname: a container with uts: host has the host's name; drop hostname or uts: host");
    }
    Map<String, ContainerSettings.EndpointRequest> networks = new LinkedHashMap<>();
    body.path("NetworkingConfig")
        .path("EndpointsConfig")
        .properties()
        .forEach(e -> networks.put(e.getKey(), endpoint(e.getValue())));
    Map<String, String> labels = new TreeMap<>();
    body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> exposed = new ArrayList<>();
    body.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
    List<String> volumes = new ArrayList<>();
    body.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    return new ContainerSettings(
        body.path("Image").asText(),
        body.path("Entrypoint").isArray() ? strings(body.path("Entrypoint")) : null,
        body.path("Cmd").isArray() ? strings(body.path("Cmd")) : null,
        strings(body.path("Env")),
        text(body.path("WorkingDir")),
        text(body.path("User")),
        text(body.path("Hostname")),
        text(body.path("Domainname")),
        labels,
        text(body.path("StopSignal")),
        body.path("StopTimeout").isNumber() ? body.path("StopTimeout").asLong() : null,
        body.path("Healthcheck").isObject() ? Healthcheck.of(body.path("Healthcheck")) : null,
        exposed,
        volumes,
        new ContainerConfig.Console(
            body.path("Tty").asBoolean(),
            body.path("OpenStdin").asBoolean(),
            body.path("StdinOnce").asBoolean()),
        host,
        networks);
  }

  /** An endpoint's settings ({@code EndpointConfig} of a connect, or of a create body). */
  static ContainerSettings.EndpointRequest endpoint(JsonNode e) {
    return new ContainerSettings.EndpointRequest(
        strings(e.path("Aliases")),
        strings(e.path("Links")),
        text(e.path("IPAMConfig").path("IPv4Address")));
  }

  /** An exec body ({@code POST /containers/{id}/exec}). */
  static ExecRequest exec(JsonNode body) {
    EXEC.check(body);
    return new ExecRequest(
        new ExecConfig(
            strings(body.path("Cmd")),
            strings(body.path("Env")),
            text(body.path("User")),
            text(body.path("WorkingDir")),
            body.path("Tty").asBoolean()),
        body.path("Privileged").asBoolean(),
        body.path("AttachStdin").asBoolean(),
        body.path("AttachStdout").asBoolean(true),
        body.path("AttachStderr").asBoolean(true));
  }

  /**
   * Inspect's {@code Config} of container {@code id}, its fields in Docker's order, with {@code
   * Image} (the name the client gave) after {@code Healthcheck}; without a hostname of its own, the
   * one it runs with, its short id.
   */
  static ObjectNode config(
      String id,
      ContainerSettings s,
      String image,
      io.jstack.runtime.image.@Nullable ImageConfig defaults) {
    // What dockerd's create stores (daemon/create.go merge): the container's own settings, the
    // image's where it has none; the environment and ports merged by key.
    io.jstack.runtime.image.ImageConfig d =
        defaults != null
            ? defaults
            : new io.jstack.runtime.image.ImageConfig(
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                java.util.Map.of(),
                List.of(),
                null,
                null,
                List.of(),
                List.of(),
                List.of());
    ObjectNode c = Exchange.JSON.createObjectNode();
    put(
        c,
        "Hostname",
        s.hostname() != null ? s.hostname() : id.substring(0, Math.min(12, id.length())));
    put(c, "Domainname", s.domainname());
    put(c, "User", s.user() != null && !s.user().isEmpty() ? s.user() : d.user());
    ObjectNode exposed = c.putObject("ExposedPorts");
    java.util.Set<String> ports = new java.util.TreeSet<>(s.exposedPorts());
    ports.addAll(d.exposedPorts());
    ports.forEach(exposed::putObject);
    c.put("Tty", s.console().tty());
    c.put("OpenStdin", s.console().stdin());
    c.put("StdinOnce", s.console().stdinOnce());
    List<String> env = new java.util.ArrayList<>(s.env());
    java.util.Set<String> own = new java.util.HashSet<>();
    s.env().forEach(e -> own.add(e.split("=", 2)[0]));
    d.env().stream().filter(e -> !own.contains(e.split("=", 2)[0])).forEach(env::add);
    c.set("Env", strings(env));
    boolean ownEntrypoint = s.entrypoint() != null && !s.entrypoint().isEmpty();
    boolean ownCmd = s.cmd() != null && !s.cmd().isEmpty();
    List<String> cmd = ownCmd || ownEntrypoint ? s.cmd() : d.cmd();
    if (cmd != null && !cmd.isEmpty()) {
      c.set("Cmd", strings(cmd));
    }
    if (s.healthcheck() != null) {
      c.set("Healthcheck", s.healthcheck().json());
    } else if (d.healthcheck() != null) {
      c.set("Healthcheck", d.healthcheck().json());
    }
    c.put("Image", image);
    java.util.Set<String> volumes = new java.util.TreeSet<>(s.volumes());
    volumes.addAll(d.volumes());
    if (!volumes.isEmpty()) {
      ObjectNode v = c.putObject("Volumes");
      volumes.forEach(v::putObject);
    }
    String workdir = s.workingDir();
    put(c, "WorkingDir", workdir != null && !workdir.isEmpty() ? workdir : d.workingDir());
    List<String> entrypoint = s.entrypoint() != null ? s.entrypoint() : d.entrypoint();
    if (!entrypoint.isEmpty()) {
      c.set("Entrypoint", strings(entrypoint));
    }
    // The container's own labels only: the list and its label filters read those (dockerd's
    // create merges the image's in too).
    ObjectNode labels = c.putObject("Labels");
    s.labels().forEach(labels::put);
    put(c, "StopSignal", s.stopSignal() != null ? s.stopSignal() : d.stopSignal());
    if (s.stopTimeout() != null) {
      c.put("StopTimeout", s.stopTimeout());
    }
    return c;
  }

  /** Its {@code NetworkMode} as dockerd shows it: {@code default} when the client gave none. */
  static String networkMode(ContainerSettings.Host h) {
    return h.networkMode().isEmpty() ? "default" : h.networkMode();
  }

  /** Inspect's {@code HostConfig}. */
  static ObjectNode hostConfig(ContainerSettings.Host h) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.set("Binds", strings(h.binds()));
    ArrayNode mounts = o.putArray("Mounts");
    for (ContainerSettings.Mount m : h.mounts()) {
      ObjectNode mount = mounts.addObject().put("Type", m.type());
      if (!m.source().isEmpty()) {
        mount.put("Source", m.source());
      }
      mount.put("Target", m.target()).put("ReadOnly", m.readOnly());
      if (m.noCopy()) {
        mount.putObject("VolumeOptions").put("NoCopy", true);
      }
      if (m.tmpfsSize() != null || m.tmpfsMode() != null) {
        ObjectNode options = mount.putObject("TmpfsOptions");
        if (m.tmpfsSize() != null) {
          options.put("SizeBytes", m.tmpfsSize());
        }
        if (m.tmpfsMode() != null) {
          options.put("Mode", m.tmpfsMode());
        }
      }
    }
    ObjectNode ports = o.putObject("PortBindings");
    for (ContainerSettings.PortBinding p : h.portBindings()) {
      ports
          .withArray("/" + p.containerPort() + "~1" + p.protocol())
          .addObject()
          .put("HostIp", p.hostIp())
          .put("HostPort", p.hostPort());
    }
    o.put("PublishAllPorts", h.publishAllPorts());
    o.putObject("RestartPolicy")
        .put("Name", h.restartPolicy())
        .put("MaximumRetryCount", h.maximumRetryCount());
    o.put("AutoRemove", h.autoRemove());
    o.put("NetworkMode", networkMode(h));
    if (h.init() != null) {
      o.put("Init", h.init());
    }
    o.put("Privileged", h.privileged());
    o.put("ReadonlyRootfs", h.readonlyRootfs());
    o.set("CapAdd", strings(h.capAdd()));
    o.set("CapDrop", strings(h.capDrop()));
    o.set("SecurityOpt", strings(h.securityOpt()));
    o.put("Memory", h.memory());
    o.put("NanoCpus", h.nanoCpus());
    o.put("PidsLimit", h.pidsLimit());
    // As dockerd fills it in at create: the size /dev/shm gets (64 MiB unless it asked).
    o.put("ShmSize", h.shmSize() > 0 ? h.shmSize() : 64L << 20);
    ObjectNode sysctls = o.putObject("Sysctls");
    h.sysctls().forEach(sysctls::put);
    ArrayNode ulimits = o.putArray("Ulimits");
    for (ContainerConfig.Ulimit u : h.ulimits()) {
      ulimits.addObject().put("Name", u.name()).put("Soft", u.soft()).put("Hard", u.hard());
    }
    o.set("ExtraHosts", strings(h.extraHosts()));
    o.set("Dns", strings(h.dns().servers()));
    o.set("DnsOptions", strings(h.dns().options()));
    o.set("DnsSearch", strings(h.dns().search()));
    if (!h.tmpfs().isEmpty()) {
      ObjectNode tmpfs = o.putObject("Tmpfs");
      h.tmpfs().forEach(tmpfs::put);
    }
    HostTuning.json(o, h.tuning());
    return o;
  }

  /**
   * {@code HostConfig.Dns}: IP addresses.
   *
   * @throws IllegalArgumentException naming one that is not
   */
  private static List<String> dnsServers(JsonNode n) {
    List<String> out = strings(n);
    out.forEach(ResolvConf::server);
    return out;
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  static ArrayNode strings(List<String> list) {
    ArrayNode a = Exchange.JSON.createArrayNode();
    list.forEach(a::add);
    return a;
  }

  private static @Nullable String text(JsonNode n) {
    String s = n.asText("");
    return s.isEmpty() ? null : s;
  }

  private static void put(ObjectNode o, String field, @Nullable String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
