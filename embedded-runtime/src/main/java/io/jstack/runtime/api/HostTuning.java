package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.ContainerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of a create body's {@code HostConfig} that shares namespaces, gives devices and groups,
 * and tunes cgroups ({@link ContainerSettings.Tuning}), both ways; and the refusal, at create, of
 * every {@code HostConfig} field the embedded engine cannot honour, so that none is silently
 * ignored. A field at its zero, empty or null value asks nothing and passes.
 */
final class HostTuning {
  private HostTuning() {}

  private static final Set<String> IPC_MODES = Set.of("", "private", "shareable", "host", "none");

  /**
   * The tuning {@code h} asks for.
   *
   * @throws EngineException.InvalidArgument in one line naming the field it cannot honour, or a
   *     value that is not valid, and what to do
   */
  static ContainerSettings.Tuning of(JsonNode h) {
    refuseUnsupported(h);
    String ipc = h.path("IpcMode").asText("");
    if (!IPC_MODES.contains(ipc) && !reference(ipc)) {
      throw invalid(
          "HostConfig.IpcMode: "
              + ipc
              + " is not an IPC mode; use private, shareable, host, none or container:<name>");
    }
    String pid = h.path("PidMode").asText("");
    if (pid.equals("private")) {
      pid = "";
    }
    if (!pid.isEmpty() && !pid.equals("host") && !reference(pid)) {
      throw invalid(
          "HostConfig.PidMode: " + pid + " is not a PID mode; use host or container:<name>");
    }
    String uts = h.path("UTSMode").asText("");
    if (!uts.isEmpty() && !uts.equals("host")) {
      throw invalid("HostConfig.UTSMode: " + uts + " is not a UTS mode; use host or leave it out");
    }
    long memory = Math.max(0, h.path("Memory").asLong());
    long nanoCpus = Math.max(0, h.path("NanoCpus").asLong());
    long cpuPeriod = h.path("CpuPeriod").asLong();
    long cpuQuota = h.path("CpuQuota").asLong();
    if (nanoCpus > 0 && (cpuPeriod > 0 || cpuQuota > 0)) {
      // dockerd refuses the pair too: both set the CFS quota.
      throw invalid(
          "HostConfig.NanoCpus and CpuQuota/CpuPeriod cannot both be set; use cpus or"
              + " cpu_quota/cpu_period, not both");
    }
    if (cpuPeriod != 0 && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) {
      throw invalid(
          "HostConfig.CpuPeriod: " + cpuPeriod + " is out of range; use 1000 to 1000000 (µs)");
    }
    if (cpuQuota != 0 && cpuQuota != -1 && cpuQuota < 1000) {
      throw invalid("HostConfig.CpuQuota: " + cpuQuota + " is below 1000 (µs); use 1000 or more");
    }
    long reservation = Math.max(0, h.path("MemoryReservation").asLong());
    if (memory > 0 && reservation > memory) {
      throw invalid(
          "HostConfig.MemoryReservation: "
              + reservation
              + " is above the memory limit "
              + memory
              + "; make mem_reservation at most mem_limit");
    }
    long swap = h.path("MemorySwap").asLong();
    if (swap > 0 && memory == 0) {
      throw invalid("HostConfig.MemorySwap: a swap limit needs a memory limit; set mem_limit too");
    }
    if (swap > 0 && swap < memory) {
      throw invalid(
          "HostConfig.MemorySwap: "
              + swap
              + " is below the memory limit "
              + memory
              + "; memswap_limit counts memory plus swap, so make it at least mem_limit");
    }
    Long swappiness = null;
    if (h.path("MemorySwappiness").isNumber() && h.path("MemorySwappiness").asLong() != -1) {
      swappiness = h.path("MemorySwappiness").asLong();
      if (swappiness < 0 || swappiness > 100) {
        throw invalid(
            "HostConfig.MemorySwappiness: " + swappiness + " is out of range; use 0 to 100");
      }
    }
    int oomScoreAdj = h.path("OomScoreAdj").asInt();
    if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
      throw invalid(
          "HostConfig.OomScoreAdj: " + oomScoreAdj + " is out of range; use -1000 to 1000");
    }
    List<ContainerSettings.Device> devices = new ArrayList<>();
    for (JsonNode d : h.path("Devices")) {
      String onHost = d.path("PathOnHost").asText("");
      if (onHost.isEmpty()) {
        throw invalid("HostConfig.Devices: a device has no PathOnHost; name the host's device");
      }
      devices.add(
          new ContainerSettings.Device(
              onHost,
              d.path("PathInContainer").asText(""),
              d.path("CgroupPermissions").asText("")));
    }
    return new ContainerSettings.Tuning(
        ipc,
        pid,
        uts,
        devices,
        CreateBody.strings(h.path("DeviceCgroupRules")),
        CreateBody.strings(h.path("GroupAdd")),
        Math.max(0, h.path("CpuShares").asLong()),
        Math.max(0, cpuPeriod),
        cpuQuota > 0 ? cpuQuota : 0,
        h.path("CpusetCpus").asText(""),
        h.path("CpusetMems").asText(""),
        reservation,
        swap < -1 ? 0 : swap,
        swappiness,
        h.path("OomKillDisable").asBoolean(),
        oomScoreAdj,
        volumesFrom(h.path("VolumesFrom")),
        runtime(h));
  }

  /**
   * The OCI runtime {@code h} names ({@code runc}, {@code crun}), or empty for the engine's own.
   *
   * @throws EngineException.InvalidArgument naming the runtimes there are
   */
  private static String runtime(JsonNode h) {
    String runtime = h.path("Runtime").asText("");
    if (!runtime.isEmpty() && !io.jstack.runtime.container.RuntimeChoice.KNOWN.contains(runtime)) {
      throw invalid(
          "HostConfig.Runtime (runtime: "
              + runtime
              + "): unknown or invalid runtime name; the jstack engine runs "
              + String.join(" or ", io.jstack.runtime.container.RuntimeChoice.KNOWN));
    }
    return runtime;
  }

  /** Adds {@code t} to inspect's {@code HostConfig}, as dockerd shows it. */
  static void json(ObjectNode o, ContainerSettings.Tuning t) {
    // dockerd fills in its default IPC mode at create.
    o.put("IpcMode", t.ipcMode().isEmpty() ? "private" : t.ipcMode());
    o.put("PidMode", t.pidMode());
    o.put("UTSMode", t.utsMode());
    o.set("GroupAdd", t.groupAdd().isEmpty() ? null : CreateBody.strings(t.groupAdd()));
    o.put("OomScoreAdj", t.oomScoreAdj());
    o.put("CpuShares", t.cpuShares());
    o.put("CpuPeriod", t.cpuPeriod());
    o.put("CpuQuota", t.cpuQuota());
    o.put("CpusetCpus", t.cpusetCpus());
    o.put("CpusetMems", t.cpusetMems());
    ArrayNode devices = o.putArray("Devices");
    for (ContainerSettings.Device d : t.devices()) {
      devices
          .addObject()
          .put("PathOnHost", d.pathOnHost())
          .put(
              "PathInContainer",
              d.pathInContainer().isEmpty() ? d.pathOnHost() : d.pathInContainer())
          .put(
              "CgroupPermissions", d.cgroupPermissions().isEmpty() ? "rwm" : d.cgroupPermissions());
    }
    o.set(
        "DeviceCgroupRules",
        t.deviceCgroupRules().isEmpty() ? null : CreateBody.strings(t.deviceCgroupRules()));
    o.put("MemoryReservation", t.memoryReservation());
    o.put("MemorySwap", t.memorySwap());
    if (t.memorySwappiness() != null) {
      o.put("MemorySwappiness", t.memorySwappiness());
    } else {
      o.putNull("MemorySwappiness");
    }
    o.put("OomKillDisable", t.oomKillDisable());
    o.set("VolumesFrom", t.volumesFrom().isEmpty() ? null : CreateBody.strings(t.volumesFrom()));
    if (!t.runtime().isEmpty()) {
      o.put("Runtime", t.runtime());
    }
  }

  /**
   * Refuses, in one line, a field the engine cannot honour here: user namespaces, cgroup parents,
   * storage options, block I/O and realtime limits, GPUs and Windows-only limits.
   */
  private static void refuseUnsupported(JsonNode h) {
    refuseText(h, "UsernsMode", "userns_mode", "user namespaces");
    refuseText(h, "CgroupParent", "cgroup_parent", "cgroup parents");
    String cgroupns = h.path("CgroupnsMode").asText("");
    if (!cgroupns.isEmpty() && !cgroupns.equals("host")) {
      throw unsupported("CgroupnsMode", "cgroup: " + cgroupns, "cgroup namespaces");
    }
    for (String field :
        List.of(
            "StorageOpt",
            "DeviceRequests",
            "BlkioWeightDevice",
            "BlkioDeviceReadBps",
            "BlkioDeviceWriteBps",
            "BlkioDeviceReadIOps",
            "BlkioDeviceWriteIOps")) {
      if (h.path(field).size() > 0) {
        throw unsupported(field, field, "HostConfig." + field);
      }
    }
    for (String field :
        List.of(
            "BlkioWeight",
            "CpuRealtimePeriod",
            "CpuRealtimeRuntime",
            "CpuCount",
            "CpuPercent",
            "KernelMemory",
            "KernelMemoryTCP",
            "IOMaximumIOps",
            "IOMaximumBandwidth")) {
      if (h.path(field).asLong() > 0) {
        throw unsupported(field, field, "HostConfig." + field);
      }
    }
  }

  private static void refuseText(JsonNode h, String field, String key, String what) {
    String value = h.path(field).asText("");
    if (!value.isEmpty()) {
      throw unsupported(field, key + ": " + value, what);
    }
  }

  private static EngineException unsupported(String field, String asked, String what) {
    return invalid(
        "HostConfig."
            + field
            + " ("
            + asked
            + "): "
            + what
            + " are not supported by jstack's embedded engine; remove it or use --engine docker");
  }

  /**
   * {@code VolumesFrom}: {@code <container>[:ro|:rw]}.
   *
   * @throws EngineException.InvalidArgument naming one with another mode
   */
  private static List<String> volumesFrom(JsonNode n) {
    List<String> out = CreateBody.strings(n);
    for (String v : out) {
      String[] p = v.split(":");
      if (v.isEmpty()
          || p.length > 2
          || p.length == 2 && !p[1].equals("ro") && !p[1].equals("rw")) {
        throw invalid(
            "HostConfig.VolumesFrom: "
                + v
                + " is not a container with a mode; write NAME, NAME:ro or NAME:rw");
      }
    }
    return out;
  }

  private static boolean reference(String mode) {
    return mode.startsWith("container:") && mode.length() > "container:".length();
  }

  private static EngineException invalid(String message) {
    return new EngineException.InvalidArgument(message);
  }
}
