package io.jstack.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A container to create, in engine terms: the planner maps a compose service to this, and each
 * engine maps this to its own API. Lists and maps are never null; other values are null when not
 * set, so that the image's own defaults apply. Made with {@link #builder}, or from another spec
 * with {@link #toBuilder}.
 *
 * @param command {@code null} keeps the image's command; empty clears it
 * @param entrypoint {@code null} keeps the image's entrypoint; empty clears it
 * @param env {@code KEY=VALUE} entries
 * @param networkMode {@code bridge}, {@code host}, {@code none}, {@code container:ID}, or null when
 *     {@code networks} decides
 * @param networks network name to how the container attaches to it, in attachment order
 * @param deviceCgroupRules device cgroup rules ({@code c 10:229 rwm})
 * @param stdinOnce the container's input closes when the first caller attached to it lets go
 *     (one-off containers of {@code run})
 */
public record ContainerSpec(
    String name,
    String image,
    Map<String, String> labels,
    List<String> env,
    @Nullable List<String> command,
    @Nullable List<String> entrypoint,
    @Nullable String workingDir,
    @Nullable String user,
    @Nullable String hostname,
    @Nullable String domainname,
    List<PortBinding> ports,
    List<String> exposedPorts,
    List<Mount> mounts,
    List<String> volumesFrom,
    @Nullable String networkMode,
    Map<String, NetworkAttachment> networks,
    @Nullable HealthSpec healthcheck,
    @Nullable RestartPolicy restartPolicy,
    @Nullable String stopSignal,
    @Nullable Duration stopTimeout,
    @Nullable Boolean init,
    boolean privileged,
    boolean readOnly,
    boolean tty,
    boolean stdinOpen,
    boolean stdinOnce,
    List<String> capAdd,
    List<String> capDrop,
    List<String> securityOpt,
    List<String> extraHosts,
    List<String> dns,
    List<String> dnsSearch,
    List<String> dnsOptions,
    Map<String, String> tmpfs,
    Map<String, String> sysctls,
    List<Ulimit> ulimits,
    @Nullable Resources resources,
    @Nullable String ipcMode,
    @Nullable String pidMode,
    @Nullable String utsMode,
    @Nullable String usernsMode,
    @Nullable String cgroupParent,
    List<String> groupAdd,
    List<Device> devices,
    List<String> deviceCgroupRules,
    @Nullable LogConfig logging,
    @Nullable String platform,
    @Nullable String runtime,
    Map<String, String> storageOpt,
    List<FileContent> files) {

  public ContainerSpec {
    labels = Map.copyOf(labels);
    env = List.copyOf(env);
    command = command == null ? null : List.copyOf(command);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    ports = List.copyOf(ports);
    exposedPorts = List.copyOf(exposedPorts);
    mounts = List.copyOf(mounts);
    volumesFrom = List.copyOf(volumesFrom);
    networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    securityOpt = List.copyOf(securityOpt);
    extraHosts = List.copyOf(extraHosts);
    dns = List.copyOf(dns);
    dnsSearch = List.copyOf(dnsSearch);
    dnsOptions = List.copyOf(dnsOptions);
    tmpfs = Map.copyOf(tmpfs);
    sysctls = Map.copyOf(sysctls);
    ulimits = List.copyOf(ulimits);
    groupAdd = List.copyOf(groupAdd);
    devices = List.copyOf(devices);
    deviceCgroupRules = List.copyOf(deviceCgroupRules);
    storageOpt = Map.copyOf(storageOpt);
    files = List.copyOf(files);
  }

  /**
   * A file written into the container after it is created and before it starts (secrets and configs
   * given inline or by an environment variable).
   *
   * @param path absolute path in the container
   * @param uid owner, or null for root
   * @param gid group, or null for root
   */
  public record FileContent(
      String path, byte[] content, int mode, @Nullable String uid, @Nullable String gid) {
    public FileContent {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FileContent f
          && f.path.equals(path)
          && java.util.Arrays.equals(f.content, content)
          && f.mode == mode
          && java.util.Objects.equals(f.uid, uid)
          && java.util.Objects.equals(f.gid, gid);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(path, java.util.Arrays.hashCode(content), mode, uid, gid);
    }

    @Override
    public String toString() {
      return "FileContent["
          + path
          + ", "
          + content.length
          + " bytes, mode "
          + Integer.toOctalString(mode)
          + "]";
    }
  }

  /** A minimal spec: a name, an image and labels; everything else the image's defaults. */
  public static ContainerSpec of(String name, String image, Map<String, String> labels) {
    return builder(name, image).labels(labels).build();
  }

  /** A builder of a spec named {@code name} that runs {@code image}, with nothing else set. */
  public static ContainerSpecBuilder builder(String name, String image) {
    return new ContainerSpecBuilder(name, image);
  }

  /** A builder that starts from this spec. */
  public ContainerSpecBuilder toBuilder() {
    return new ContainerSpecBuilder(this);
  }

  /** A port published on the host; {@code hostPort} null or empty means any free port. */
  public record PortBinding(
      @Nullable String hostIp, @Nullable String hostPort, int containerPort, String protocol) {}

  /**
   * A mount: {@code bind} (host path), {@code volume} (named, or anonymous when {@code source} is
   * null), {@code tmpfs}, or {@code image}.
   */
  public record Mount(
      String type,
      @Nullable String source,
      String target,
      boolean readOnly,
      @Nullable String propagation,
      boolean createHostPath,
      boolean noCopy,
      @Nullable String subpath,
      @Nullable Long tmpfsSize,
      @Nullable Integer tmpfsMode) {}

  /** How a container joins one network. */
  public record NetworkAttachment(
      List<String> aliases,
      @Nullable String ipv4Address,
      @Nullable String ipv6Address,
      @Nullable String macAddress,
      @Nullable Integer priority,
      List<String> links) {
    public NetworkAttachment {
      aliases = List.copyOf(aliases);
      links = List.copyOf(links);
    }

    /** An attachment with these aliases and nothing else set. */
    public static NetworkAttachment aliased(List<String> aliases) {
      return new NetworkAttachment(aliases, null, null, null, null, List.of());
    }
  }

  /**
   * A healthcheck; {@code test} in Docker's form ({@code ["CMD-SHELL", "..."]}, {@code ["NONE"]}).
   */
  public record HealthSpec(
      List<String> test,
      @Nullable Duration interval,
      @Nullable Duration timeout,
      @Nullable Integer retries,
      @Nullable Duration startPeriod,
      @Nullable Duration startInterval) {
    public HealthSpec {
      test = List.copyOf(test);
    }
  }

  /** {@code no}, {@code always}, {@code on-failure} (with a maximum), {@code unless-stopped}. */
  public record RestartPolicy(String name, int maximumRetryCount) {}

  public record Ulimit(String name, long soft, long hard) {}

  /** Limits; null means unlimited. */
  public record Resources(
      @Nullable Long memoryBytes,
      @Nullable Long memoryReservationBytes,
      @Nullable Long memorySwapBytes,
      @Nullable Long memorySwappiness,
      @Nullable Long nanoCpus,
      @Nullable Long cpuShares,
      @Nullable Long cpuPeriod,
      @Nullable Long cpuQuota,
      @Nullable String cpusetCpus,
      @Nullable Long pidsLimit,
      @Nullable Long shmSizeBytes,
      @Nullable Boolean oomKillDisable,
      @Nullable Long oomScoreAdj,
      @Nullable Long cpuRealtimePeriod,
      @Nullable Long cpuRealtimeRuntime,
      @Nullable Long cpuCount,
      @Nullable Long cpuPercent,
      @Nullable Blkio blkio) {}

  /**
   * Block I/O limits ({@code blkio_config}): a weight, per-device weights, and per-device rates in
   * bytes or operations per second.
   */
  public record Blkio(
      @Nullable Integer weight,
      List<BlkioRate> weightDevice,
      List<BlkioRate> readBps,
      List<BlkioRate> readIops,
      List<BlkioRate> writeBps,
      List<BlkioRate> writeIops) {
    public Blkio {
      weightDevice = List.copyOf(weightDevice);
      readBps = List.copyOf(readBps);
      readIops = List.copyOf(readIops);
      writeBps = List.copyOf(writeBps);
      writeIops = List.copyOf(writeIops);
    }
  }

  /** A device's weight or rate. */
  public record BlkioRate(String path, long value) {}

  public record Device(
      @Nullable String hostPath, @Nullable String containerPath, @Nullable String permissions) {}

  public record LogConfig(@Nullable String driver, Map<String, String> options) {
    public LogConfig {
      options = Map.copyOf(options);
    }
  }
}
