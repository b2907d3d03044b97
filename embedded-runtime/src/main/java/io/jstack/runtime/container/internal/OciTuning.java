package io.jstack.runtime.container.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.container.ContainerConfig;
import java.util.Iterator;

/**
 * The {@link ContainerConfig.Tuning} of a container in its OCI spec: namespaces left to the host
 * (removed from {@code linux.namespaces}) or joined from another container at start ({@code path}
 * {@code /proc/<pid>/ns/<type>}, as Docker's {@code container:<x>} modes), {@code /dev/shm} as
 * Docker gives it for each IPC mode, device nodes with their device cgroup rules, and the cpu and
 * memory cgroup values in {@code linux.resources}.
 *
 * <p>See https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md.
 */
final class OciTuning {
  private OciTuning() {}

  /** Applies {@code t} to {@code spec} as {@link OciSpec#of} made it. */
  static void apply(ObjectNode spec, ContainerConfig.Tuning t) {
    ObjectNode linux = (ObjectNode) spec.path("linux");
    ArrayNode namespaces = (ArrayNode) linux.path("namespaces");
    remove(namespaces, "ipc", t.ipc() == ContainerConfig.Sharing.HOST);
    remove(namespaces, "pid", t.pid() == ContainerConfig.Sharing.HOST);
    remove(namespaces, "uts", t.uts() == ContainerConfig.Sharing.HOST);
    if (t.uts() == ContainerConfig.Sharing.HOST) {
      // runc sets no hostname without a UTS namespace of its own.
      spec.remove("hostname");
    } else if (t.domainname() != null) {
      // As dockerd sets it: a sysctl of the container's UTS namespace (runc 1.1 knows no
      // "domainname" in the spec).
      ObjectNode linux0 = (ObjectNode) spec.path("linux");
      ObjectNode sysctl =
          linux0.has("sysctl") ? (ObjectNode) linux0.get("sysctl") : linux0.putObject("sysctl");
      sysctl.put("kernel.domainname", t.domainname());
    }
    ArrayNode mounts = (ArrayNode) spec.path("mounts");
    if (t.ipc() == ContainerConfig.Sharing.HOST) {
      // Docker binds the host's /dev/shm to go with the host's IPC namespace.
      shm(mounts, "/dev/shm");
    } else if (t.ipcNone()) {
      // Docker's ipc none: neither /dev/shm nor /dev/mqueue.
      for (Iterator<JsonNode> it = mounts.elements(); it.hasNext(); ) {
        String destination = it.next().path("destination").asText();
        if (destination.equals("/dev/shm") || destination.equals("/dev/mqueue")) {
          it.remove();
        }
      }
    }
    ArrayNode devices = linux.putArray("devices");
    ArrayNode rules = (ArrayNode) linux.path("resources").path("devices");
    for (ContainerConfig.Device d : t.devices()) {
      devices
          .addObject()
          .put("path", d.path())
          .put("type", d.type())
          .put("major", d.major())
          .put("minor", d.minor())
          .put("fileMode", d.fileMode())
          .put("uid", d.uid())
          .put("gid", d.gid());
      rules
          .addObject()
          .put("allow", true)
          .put("type", d.type())
          .put("major", d.major())
          .put("minor", d.minor())
          .put("access", d.permissions());
    }
    for (ContainerConfig.DeviceRule r : t.deviceRules()) {
      ObjectNode rule = rules.addObject().put("allow", true).put("type", r.type());
      if (r.major() >= 0) {
        rule.put("major", r.major());
      }
      if (r.minor() >= 0) {
        rule.put("minor", r.minor());
      }
      rule.put("access", r.access());
    }
    if (devices.isEmpty()) {
      linux.remove("devices");
    }
    ObjectNode resources = (ObjectNode) linux.path("resources");
    if (t.cpuShares() != null
        || t.cpuPeriod() != null
        || t.cpuQuota() != null
        || t.cpusetCpus() != null
        || t.cpusetMems() != null) {
      ObjectNode cpu =
          resources.has("cpu") ? (ObjectNode) resources.get("cpu") : resources.putObject("cpu");
      if (t.cpuShares() != null) {
        cpu.put("shares", t.cpuShares());
      }
      if (t.cpuPeriod() != null) {
        cpu.put("period", t.cpuPeriod());
      }
      if (t.cpuQuota() != null) {
        cpu.put("quota", t.cpuQuota());
      }
      if (t.cpusetCpus() != null) {
        cpu.put("cpus", t.cpusetCpus());
      }
      if (t.cpusetMems() != null) {
        cpu.put("mems", t.cpusetMems());
      }
    }
    if (t.memoryReservation() != null
        || t.memorySwap() != null
        || t.memorySwappiness() != null
        || t.oomKillDisable()) {
      ObjectNode memory =
          resources.has("memory")
              ? (ObjectNode) resources.get("memory")
              : resources.putObject("memory");
      if (t.memoryReservation() != null) {
        memory.put("reservation", t.memoryReservation());
      }
      if (t.memorySwap() != null) {
        memory.put("swap", t.memorySwap());
      }
      if (t.memorySwappiness() != null) {
        memory.put("swappiness", t.memorySwappiness());
      }
      if (t.oomKillDisable()) {
        memory.put("disableOOMKiller", true);
      }
    }
    if (t.oomScoreAdj() != null) {
      ((ObjectNode) spec.path("process")).put("oomScoreAdj", t.oomScoreAdj());
    }
  }

  /**
   * Points namespace {@code type} ({@code ipc} or {@code pid}) of {@code spec} at the one of
   * process {@code pid}; joining an IPC namespace also binds {@code shm} (the other container's
   * {@code /dev/shm} on the host) there, as Docker does.
   */
  static void join(ObjectNode spec, String type, long pid, java.nio.file.Path shm) {
    for (JsonNode n : spec.path("linux").path("namespaces")) {
      if (n.path("type").asText().equals(type)) {
        ((ObjectNode) n).put("path", "/proc/" + pid + "/ns/" + type);
      }
    }
    if (type.equals("ipc")) {
      shm((ArrayNode) spec.path("mounts"), shm.toString());
    }
  }

  /** Makes {@code /dev/shm} a bind of {@code source}. */
  static void shm(ArrayNode mounts, String source) {
    for (JsonNode m : mounts) {
      if (m.path("destination").asText().equals("/dev/shm")) {
        ObjectNode o = (ObjectNode) m;
        o.put("type", "bind").put("source", source);
        o.putArray("options").add("rbind").add("rprivate").add("nosuid").add("noexec").add("nodev");
        return;
      }
    }
  }

  private static void remove(ArrayNode namespaces, String type, boolean remove) {
    if (!remove) {
      return;
    }
    for (Iterator<JsonNode> it = namespaces.elements(); it.hasNext(); ) {
      if (it.next().path("type").asText().equals(type)) {
        it.remove();
      }
    }
  }
}
