package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A container's {@link ContainerSettings.Tuning} for the runtime: its devices looked up on the host
 * (type, major and minor as the host's node has them, as dockerd does), its device cgroup rules
 * parsed, its namespace modes; and, at each start, the namespaces of the containers it shares them
 * with ({@code ipc}/{@code pid}: {@code container:<x>}), which must be running then, as on dockerd.
 */
final class Tunings {
  private static final Pattern RULE = Pattern.compile("([abc]) (\\*|\\d+):(\\*|\\d+) ([rwm]{1,3})");

  private final ContainerStore store;
  private final Containers containers;

  Tunings(ContainerStore store, Containers containers) {
    this.store = store;
    this.containers = containers;
  }

  /**
   * The runtime's tuning of {@code t}.
   *
   * @throws EngineException.InvalidArgument naming a device that is missing or not a device, or a
   *     device cgroup rule that does not parse
   */
  static ContainerConfig.Tuning of(ContainerSettings.Tuning t, @Nullable String domainname) {
    List<ContainerConfig.Device> devices = new ArrayList<>();
    for (ContainerSettings.Device d : t.devices()) {
      devices.add(device(d));
    }
    List<ContainerConfig.DeviceRule> rules = new ArrayList<>();
    for (String r : t.deviceCgroupRules()) {
      Matcher m = RULE.matcher(r.strip());
      if (!m.matches()) {
        throw new EngineException.InvalidArgument(
            "device_cgroup_rules: "
                + r
                + " is not a rule; write it as TYPE MAJOR:MINOR ACCESS, e.g. 'c 10:229 rwm'");
      }
      rules.add(
          new ContainerConfig.DeviceRule(
              m.group(1), number(m.group(2)), number(m.group(3)), m.group(4)));
    }
    return new ContainerConfig.Tuning(
        sharing(t.ipcMode()),
        t.ipcMode().equals("none"),
        sharing(t.pidMode()),
        sharing(t.utsMode()),
        devices,
        rules,
        t.groupAdd(),
        t.cpuShares() > 0 ? t.cpuShares() : null,
        t.cpuPeriod() > 0 ? t.cpuPeriod() : null,
        t.cpuQuota() > 0 ? t.cpuQuota() : null,
        t.cpusetCpus().isEmpty() ? null : t.cpusetCpus(),
        t.cpusetMems().isEmpty() ? null : t.cpusetMems(),
        t.memoryReservation() > 0 ? t.memoryReservation() : null,
        t.memorySwap() != 0 ? t.memorySwap() : null,
        t.memorySwappiness(),
        t.oomKillDisable(),
        t.oomScoreAdj() != 0 ? t.oomScoreAdj() : null,
        domainname);
  }

  /**
   * {@code s} with the containers whose namespaces it joins named by id, as dockerd keeps them (a
   * rename then changes nothing).
   *
   * @throws EngineException.NotFound naming one that is not here
   */
  ContainerSettings byId(ContainerSettings s) {
    ContainerSettings.Tuning t = s.host().tuning();
    String ipc = t.ipcContainer();
    String pid = t.pidContainer();
    if (ipc == null && pid == null) {
      return s;
    }
    return s.withHost(
        s.host()
            .withTuning(
                t.withModes(
                    ipc == null ? t.ipcMode() : "container:" + store.require(ipc).record().id(),
                    pid == null ? t.pidMode() : "container:" + store.require(pid).record().id())));
  }

  /**
   * Points the namespaces {@code r} shares with other containers at theirs, before it starts.
   *
   * @throws EngineException.Conflict naming the container that is not running, or whose IPC
   *     namespace is not shareable
   */
  void join(ContainerRecord r) {
    ContainerSettings.Tuning t = r.settings().host().tuning();
    String ipc = t.ipcContainer();
    if (ipc != null) {
      Container other = store.require(ipc);
      String mode = other.record().settings().host().tuning().ipcMode();
      if (!mode.equals("shareable") && !mode.equals("host")) {
        throw new EngineException.Conflict(
            "container "
                + r.name()
                + " cannot join the IPC namespace of "
                + other.record().name()
                + ": it is not shareable; give that one ipc: shareable");
      }
      containers.joinNamespace(
          r.id(),
          "ipc",
          running(r, other, "IPC"),
          mode.equals("host") ? null : other.record().id());
    }
    String pid = t.pidContainer();
    if (pid != null) {
      containers.joinNamespace(r.id(), "pid", running(r, store.require(pid), "PID"), null);
    }
  }

  private long running(ContainerRecord r, Container other, String what) {
    if (other.status() != Container.Status.running) {
      throw new EngineException.Conflict(
          "container "
              + r.name()
              + " cannot join the "
              + what
              + " namespace of "
              + other.record().name()
              + ": it is not running; start it first");
    }
    return containers.mainPid(other.record().id(), other.record().name());
  }

  private static ContainerConfig.Sharing sharing(String mode) {
    if (mode.equals("host")) {
      return ContainerConfig.Sharing.HOST;
    }
    if (mode.equals("shareable")) {
      return ContainerConfig.Sharing.SHAREABLE;
    }
    return mode.startsWith("container:")
        ? ContainerConfig.Sharing.CONTAINER
        : ContainerConfig.Sharing.PRIVATE;
  }

  private static long number(String s) {
    return s.equals("*") ? -1 : Long.parseLong(s);
  }

  private static ContainerConfig.Device device(ContainerSettings.Device d) {
    Path host = Path.of(d.pathOnHost());
    Map<String, Object> a;
    try {
      a = Files.readAttributes(host, "unix:mode,rdev,uid,gid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new EngineException.InvalidArgument(
          "devices: "
              + d.pathOnHost()
              + " is not on this host ("
              + e.getMessage()
              + "); name a device node that exists, e.g. /dev/fuse");
    }
    int mode = (int) attribute(a, "mode");
    String type =
        switch (mode & 0170000) {
          case 0020000 -> "c";
          case 0060000 -> "b";
          default -> "";
        };
    if (type.isEmpty()) {
      throw new EngineException.InvalidArgument(
          "devices: "
              + d.pathOnHost()
              + " is not a device node; name a character or block device such as /dev/fuse");
    }
    String permissions = d.cgroupPermissions().isEmpty() ? "rwm" : d.cgroupPermissions();
    if (!permissions.matches("[rwm]{1,3}")) {
      throw new EngineException.InvalidArgument(
          "devices: "
              + d.pathOnHost()
              + " has permissions "
              + permissions
              + "; use r, w and m (e.g. rwm)");
    }
    String target = d.pathInContainer().isEmpty() ? d.pathOnHost() : d.pathInContainer();
    if (!target.startsWith("/")) {
      throw new EngineException.InvalidArgument(
          "devices: "
              + target
              + " is not an absolute path; give the device a path such as /dev/fuse");
    }
    long rdev = attribute(a, "rdev");
    // glibc's gnu_dev_major and gnu_dev_minor.
    long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
    long minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
    return new ContainerConfig.Device(
        target,
        type,
        major,
        minor,
        permissions,
        mode & 07777,
        attribute(a, "uid"),
        attribute(a, "gid"));
  }

  private static long attribute(Map<String, Object> attributes, String name) {
    return ((Number) java.util.Objects.requireNonNull(attributes.get(name), name)).longValue();
  }
}
