package io.jstack.runtime.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A container for the embedded engine to run: its image layers, its process, and the isolation and
 * limits around it. Lists and maps are never null; other values are null when not set.
 *
 * @param id unique, [a-z0-9] (used in paths and cgroup names)
 * @param layers the image's unpacked layers, bottom first
 * @param args the process, after entrypoint and command were merged with the image's
 * @param user {@code user[:group]} by name or number, resolved in the image; null for root
 * @param networkMode {@code host} or {@code none}
 * @param memoryBytes {@code mem_limit}
 * @param cpus {@code cpus}, e.g. 0.5
 * @param pidsLimit {@code pids_limit}
 * @param shmBytes the size of {@code /dev/shm} (default 64 MiB)
 * @param init run a static init as PID 1 that reaps zombies and forwards signals
 * @param networkMode {@code host}, {@code none}, or {@code netns:<path>} to join a network
 *     namespace the engine set up
 * @param hostsEntries lines for {@code /etc/hosts} after localhost's: the container's own addresses
 *     and {@code extra_hosts}
 * @param resolvConf the container's {@code /etc/resolv.conf}; null for the host's
 * @param tuning its namespaces shared with the host or another container, devices, added groups and
 *     cgroup tuning
 * @param runtime the OCI runtime it asked for ({@code runc}, {@code crun}); null for the engine's
 */
public record ContainerConfig(
    String id,
    String name,
    List<Path> layers,
    List<String> args,
    List<String> env,
    @Nullable String workingDir,
    @Nullable String user,
    @Nullable String hostname,
    @Nullable String networkMode,
    List<String> capAdd,
    List<String> capDrop,
    boolean privileged,
    boolean readOnly,
    boolean noNewPrivileges,
    @Nullable Long memoryBytes,
    @Nullable Double cpus,
    @Nullable Long pidsLimit,
    @Nullable Long shmBytes,
    boolean init,
    List<BindMount> mounts,
    Map<String, String> sysctls,
    List<Ulimit> ulimits,
    Console console,
    List<String> hostsEntries,
    @Nullable String resolvConf,
    Tuning tuning,
    @Nullable String runtime) {

  public ContainerConfig {
    if (!id.matches("[a-z0-9][a-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException(
          "container id must be lower-case letters and digits: " + id);
    }
    layers = List.copyOf(layers);
    args = List.copyOf(args);
    env = List.copyOf(env);
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    mounts = List.copyOf(mounts);
    sysctls = Map.copyOf(sysctls);
    ulimits = List.copyOf(ulimits);
    hostsEntries = List.copyOf(hostsEntries);
  }

  /** The network namespace to join, for a network mode {@code netns:<path>}; else null. */
  public @Nullable String networkNamespace() {
    return networkMode != null && networkMode.startsWith("netns:")
        ? networkMode.substring(6)
        : null;
  }

  /**
   * How the container's process meets a user: a terminal ({@code tty}), an input kept open for
   * attaching clients ({@code stdin}), closed when the first one leaves ({@code stdinOnce}).
   */
  public record Console(boolean tty, boolean stdin, boolean stdinOnce) {
    /** Neither: output to the log only, no input. */
    public static final Console NONE = new Console(false, false, false);
  }

  /**
   * How a namespace is had: its own, its own that others may join (IPC only: its {@code /dev/shm}
   * then lives on the host, for them to share), the host's, or another container's (joined at
   * start).
   */
  public enum Sharing {
    PRIVATE,
    SHAREABLE,
    HOST,
    CONTAINER
  }

  /**
   * Namespaces shared, devices, groups and cgroup tuning; null or empty for Docker's default.
   *
   * @param ipc its IPC namespace; {@code ipcNone} for one without {@code /dev/shm}
   * @param groups groups its process also gets, by name in the image or number
   * @param memorySwap memory plus swap in bytes, -1 for unlimited
   * @param domainname the NIS domain name of its UTS namespace ({@code domainname}), or null
   */
  public record Tuning(
      Sharing ipc,
      boolean ipcNone,
      Sharing pid,
      Sharing uts,
      List<Device> devices,
      List<DeviceRule> deviceRules,
      List<String> groups,
      @Nullable Long cpuShares,
      @Nullable Long cpuPeriod,
      @Nullable Long cpuQuota,
      @Nullable String cpusetCpus,
      @Nullable String cpusetMems,
      @Nullable Long memoryReservation,
      @Nullable Long memorySwap,
      @Nullable Long memorySwappiness,
      boolean oomKillDisable,
      @Nullable Integer oomScoreAdj,
      @Nullable String domainname) {
    public Tuning {
      devices = List.copyOf(devices);
      deviceRules = List.copyOf(deviceRules);
      groups = List.copyOf(groups);
    }

    /** Docker's defaults. */
    public static final Tuning NONE =
        new Tuning(
            Sharing.PRIVATE,
            false,
            Sharing.PRIVATE,
            Sharing.PRIVATE,
            List.of(),
            List.of(),
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            null,
            null);
  }

  /**
   * A device node made in the container at {@code path}, allowed {@code permissions} ({@code rwm})
   * by its device cgroup.
   *
   * @param type {@code c} or {@code b}
   */
  public record Device(
      String path,
      String type,
      long major,
      long minor,
      String permissions,
      int fileMode,
      long uid,
      long gid) {}

  /**
   * A device cgroup rule: {@code type} {@code c}, {@code b} or {@code a}; {@code major} or {@code
   * minor} -1 for any.
   */
  public record DeviceRule(String type, long major, long minor, String access) {}

  /** A resource limit ({@code nofile}, {@code nproc}, ...) for the container's processes. */
  public record Ulimit(String name, long soft, long hard) {}

  /**
   * A host path ({@code bind}), a volume's data directory ({@code volume}) or a {@code tmpfs}
   * mounted into the container. A volume with {@code populate} that is still empty first gets what
   * the image has at {@code target}, as Docker fills a new volume. A tmpfs is mounted with {@code
   * options} (mount flags and tmpfs data, {@code noexec}, {@code size=64m}, ...), which the engine
   * made and checked.
   */
  public record BindMount(
      String type,
      @Nullable Path source,
      String target,
      boolean readOnly,
      boolean populate,
      List<String> options) {
    public BindMount {
      options = List.copyOf(options);
    }

    /** A bind or volume mount, or a tmpfs with the kernel's defaults. */
    public BindMount(
        String type, @Nullable Path source, String target, boolean readOnly, boolean populate) {
      this(type, source, target, readOnly, populate, List.of());
    }
  }

  /**
   * This container with the OCI runtime {@code name} ({@code runc}, {@code crun}; null: the
   * engine's).
   */
  public ContainerConfig withRuntime(@Nullable String name) {
    return new ContainerConfig(
        id,
        this.name,
        layers,
        args,
        env,
        workingDir,
        user,
        hostname,
        networkMode,
        capAdd,
        capDrop,
        privileged,
        readOnly,
        noNewPrivileges,
        memoryBytes,
        cpus,
        pidsLimit,
        shmBytes,
        init,
        mounts,
        sysctls,
        ulimits,
        console,
        hostsEntries,
        resolvConf,
        tuning,
        name);
  }

  /**
   * A container of {@code layers} running {@code args}, with every other setting Docker's default.
   */
  public static ContainerConfig of(String id, List<Path> layers, List<String> args) {
    return new ContainerConfig(
        id,
        id,
        layers,
        args,
        List.of(),
        null,
        null,
        null,
        "none",
        List.of(),
        List.of(),
        false,
        false,
        false,
        null,
        null,
        null,
        null,
        false,
        List.of(),
        Map.of(),
        List.of(),
        Console.NONE,
        List.of(),
        null,
        ContainerConfig.Tuning.NONE,
        null);
  }
}
