package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.ContainerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /containers/create} for a {@link ContainerSpec}. */
final class CreateRequest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CreateRequest() {}

  /**
   * The create body; {@code firstNetwork} is the one network attached at creation (older APIs take
   * only one), or null.
   */
  static ObjectNode of(ContainerSpec s, @Nullable String firstNetwork) {
    ObjectNode c = F.objectNode();
    put(c, "Hostname", s.hostname());
    put(c, "Domainname", s.domainname());
    put(c, "User", s.user());
    c.set("Env", strings(s.env()));
    if (s.command() != null) {
      c.set("Cmd", strings(s.command()));
    }
    if (s.entrypoint() != null) {
      c.set(
          "Entrypoint", s.entrypoint().isEmpty() ? strings(List.of("")) : strings(s.entrypoint()));
    }
    c.put("Image", s.image());
    put(c, "WorkingDir", s.workingDir());
    c.set("Labels", map(s.labels()));
    ObjectNode exposed = F.objectNode();
    for (String e : s.exposedPorts()) {
      exposed.set(e.contains("/") ? e : e + "/tcp", F.objectNode());
    }
    for (ContainerSpec.PortBinding p : s.ports()) {
      exposed.set(p.containerPort() + "/" + p.protocol(), F.objectNode());
    }
    c.set("ExposedPorts", exposed);
    c.put("Tty", s.tty());
    c.put("OpenStdin", s.stdinOpen());
    c.put("StdinOnce", s.stdinOnce());
    c.put("AttachStdin", s.stdinOnce());
    c.put("AttachStdout", !s.stdinOpen() || s.stdinOnce());
    c.put("AttachStderr", !s.stdinOpen() || s.stdinOnce());
    put(c, "StopSignal", s.stopSignal());
    if (s.stopTimeout() != null) {
      c.put("StopTimeout", s.stopTimeout().toSeconds());
    }
    if (s.healthcheck() != null) {
      ContainerSpec.HealthSpec h = s.healthcheck();
      ObjectNode hc = F.objectNode();
      hc.set("Test", strings(h.test()));
      nanos(hc, "Interval", h.interval());
      nanos(hc, "Timeout", h.timeout());
      if (h.retries() != null) {
        hc.put("Retries", h.retries());
      }
      nanos(hc, "StartPeriod", h.startPeriod());
      nanos(hc, "StartInterval", h.startInterval());
      c.set("Healthcheck", hc);
    }
    c.set("HostConfig", host(s, firstNetwork));
    if (firstNetwork != null) {
      ObjectNode endpoints = F.objectNode();
      endpoints.set(firstNetwork, endpoint(s.networks().get(firstNetwork)));
      c.set("NetworkingConfig", F.objectNode().set("EndpointsConfig", endpoints));
    }
    return c;
  }

  /** The body of {@code POST /networks/{id}/connect} for one more network. */
  static ObjectNode connect(String container, ContainerSpec.@Nullable NetworkAttachment a) {
    ObjectNode n = F.objectNode();
    n.put("Container", container);
    n.set("EndpointConfig", endpoint(a));
    return n;
  }

  private static ObjectNode endpoint(ContainerSpec.@Nullable NetworkAttachment a) {
    ObjectNode e = F.objectNode();
    if (a == null) {
      return e;
    }
    e.set("Aliases", strings(a.aliases()));
    if (a.ipv4Address() != null || a.ipv6Address() != null) {
      ObjectNode ipam = F.objectNode();
      put(ipam, "IPv4Address", a.ipv4Address());
      put(ipam, "IPv6Address", a.ipv6Address());
      e.set("IPAMConfig", ipam);
    }
    put(e, "MacAddress", a.macAddress());
    if (!a.links().isEmpty()) {
      e.set("Links", strings(a.links()));
    }
    return e;
  }

  private static ObjectNode host(ContainerSpec s, @Nullable String firstNetwork) {
    ObjectNode h = F.objectNode();
    ArrayNode binds = F.arrayNode();
    ArrayNode mounts = F.arrayNode();
    for (ContainerSpec.Mount m : s.mounts()) {
      if (m.type().equals("bind") && m.createHostPath()) {
        // -v semantics: the engine creates a missing host directory.
        String opts =
            (m.readOnly() ? "ro" : "rw") + (m.propagation() == null ? "" : "," + m.propagation());
        binds.add(m.source() + ":" + m.target() + ":" + opts);
        continue;
      }
      ObjectNode mount = F.objectNode();
      mount.put("Type", m.type());
      if (m.source() != null) {
        mount.put("Source", m.source());
      }
      mount.put("Target", m.target());
      mount.put("ReadOnly", m.readOnly());
      if (m.type().equals("bind") && m.propagation() != null) {
        mount.set("BindOptions", F.objectNode().put("Propagation", m.propagation()));
      }
      if (m.type().equals("volume") && (m.noCopy() || m.subpath() != null)) {
        ObjectNode vo = F.objectNode().put("NoCopy", m.noCopy());
        put(vo, "Subpath", m.subpath());
        mount.set("VolumeOptions", vo);
      }
      if (m.type().equals("tmpfs") && (m.tmpfsSize() != null || m.tmpfsMode() != null)) {
        ObjectNode to = F.objectNode();
        if (m.tmpfsSize() != null) {
          to.put("SizeBytes", m.tmpfsSize());
        }
        if (m.tmpfsMode() != null) {
          to.put("Mode", m.tmpfsMode());
        }
        mount.set("TmpfsOptions", to);
      }
      mounts.add(mount);
    }
    h.set("Binds", binds);
    h.set("Mounts", mounts);
    ObjectNode ports = F.objectNode();
    for (ContainerSpec.PortBinding p : s.ports()) {
      String key = p.containerPort() + "/" + p.protocol();
      ArrayNode list = ports.has(key) ? (ArrayNode) ports.get(key) : ports.putArray(key);
      ObjectNode b = F.objectNode();
      b.put("HostIp", p.hostIp() == null ? "" : p.hostIp());
      b.put("HostPort", p.hostPort() == null ? "" : p.hostPort());
      list.add(b);
    }
    h.set("PortBindings", ports);
    if (s.restartPolicy() != null) {
      h.set(
          "RestartPolicy",
          F.objectNode()
              .put("Name", s.restartPolicy().name().equals("no") ? "" : s.restartPolicy().name())
              .put("MaximumRetryCount", s.restartPolicy().maximumRetryCount()));
    }
    h.put(
        "NetworkMode",
        s.networkMode() != null
            ? s.networkMode()
            : firstNetwork != null ? firstNetwork : "default");
    if (s.init() != null) {
      h.put("Init", s.init());
    }
    h.put("Privileged", s.privileged());
    h.put("ReadonlyRootfs", s.readOnly());
    h.set("CapAdd", strings(s.capAdd()));
    h.set("CapDrop", strings(s.capDrop()));
    h.set("SecurityOpt", strings(s.securityOpt()));
    h.set(
        "ExtraHosts", strings(s.extraHosts().stream().map(e -> e.replaceFirst("=", ":")).toList()));
    h.set("Dns", strings(s.dns()));
    h.set("DnsSearch", strings(s.dnsSearch()));
    h.set("DnsOptions", strings(s.dnsOptions()));
    h.set("Tmpfs", map(s.tmpfs()));
    h.set("Sysctls", map(s.sysctls()));
    ArrayNode ulimits = F.arrayNode();
    for (ContainerSpec.Ulimit u : s.ulimits()) {
      ulimits.add(F.objectNode().put("Name", u.name()).put("Soft", u.soft()).put("Hard", u.hard()));
    }
    h.set("Ulimits", ulimits);
    ContainerSpec.Resources r = s.resources();
    if (r != null) {
      put(h, "Memory", r.memoryBytes());
      put(h, "MemoryReservation", r.memoryReservationBytes());
      put(h, "MemorySwap", r.memorySwapBytes());
      put(h, "MemorySwappiness", r.memorySwappiness());
      put(h, "NanoCpus", r.nanoCpus());
      put(h, "CpuShares", r.cpuShares());
      put(h, "CpuPeriod", r.cpuPeriod());
      put(h, "CpuQuota", r.cpuQuota());
      put(h, "CpusetCpus", r.cpusetCpus());
      put(h, "PidsLimit", r.pidsLimit());
      put(h, "ShmSize", r.shmSizeBytes());
      if (r.oomKillDisable() != null) {
        h.put("OomKillDisable", r.oomKillDisable());
      }
      put(h, "OomScoreAdj", r.oomScoreAdj());
      put(h, "CpuRealtimePeriod", r.cpuRealtimePeriod());
      put(h, "CpuRealtimeRuntime", r.cpuRealtimeRuntime());
      put(h, "CpuCount", r.cpuCount());
      put(h, "CpuPercent", r.cpuPercent());
      ContainerSpec.Blkio b = r.blkio();
      if (b != null) {
        if (b.weight() != null) {
          h.put("BlkioWeight", b.weight());
        }
        h.set("BlkioWeightDevice", rates(b.weightDevice(), "Weight"));
        h.set("BlkioDeviceReadBps", rates(b.readBps(), "Rate"));
        h.set("BlkioDeviceReadIOps", rates(b.readIops(), "Rate"));
        h.set("BlkioDeviceWriteBps", rates(b.writeBps(), "Rate"));
        h.set("BlkioDeviceWriteIOps", rates(b.writeIops(), "Rate"));
      }
    }
    put(h, "IpcMode", s.ipcMode());
    put(h, "PidMode", s.pidMode());
    put(h, "UTSMode", s.utsMode());
    put(h, "UsernsMode", s.usernsMode());
    put(h, "CgroupParent", s.cgroupParent());
    h.set("GroupAdd", strings(s.groupAdd()));
    ArrayNode devices = F.arrayNode();
    for (ContainerSpec.Device d : s.devices()) {
      devices.add(
          F.objectNode()
              .put("PathOnHost", d.hostPath())
              .put("PathInContainer", d.containerPath())
              .put("CgroupPermissions", d.permissions() == null ? "rwm" : d.permissions()));
    }
    h.set("Devices", devices);
    h.set("DeviceCgroupRules", strings(s.deviceCgroupRules()));
    h.set("VolumesFrom", strings(s.volumesFrom()));
    if (s.logging() != null && s.logging().driver() != null) {
      h.set(
          "LogConfig",
          F.objectNode()
              .put("Type", s.logging().driver())
              .set("Config", map(s.logging().options())));
    }
    put(h, "Runtime", s.runtime());
    if (!s.storageOpt().isEmpty()) {
      h.set("StorageOpt", map(s.storageOpt()));
    }
    return h;
  }

  private static ArrayNode rates(List<ContainerSpec.BlkioRate> rates, String field) {
    ArrayNode a = F.arrayNode();
    rates.forEach(r -> a.add(F.objectNode().put("Path", r.path()).put(field, r.value())));
    return a;
  }

  private static ArrayNode strings(List<String> list) {
    ArrayNode a = F.arrayNode();
    list.forEach(a::add);
    return a;
  }

  private static ObjectNode map(Map<String, String> m) {
    ObjectNode o = F.objectNode();
    new java.util.TreeMap<>(m).forEach(o::put);
    return o;
  }

  private static void put(ObjectNode o, String key, @Nullable String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void put(ObjectNode o, String key, @Nullable Long value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void nanos(ObjectNode o, String key, @Nullable Duration d) {
    if (d != null) {
      o.put(key, d.toNanos());
    }
  }
}
