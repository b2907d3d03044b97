package io.jstack.runtime.engine;

import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.image.Healthcheck;
import io.jstack.runtime.network.ResolvConf;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a container was created with, as the engine keeps it: its process, identity and console, its
 * host settings, and the networks it asked for. The Docker API's create body is decoded into this
 * once, at the API's edge; nothing past it reads Docker's JSON. A null value is one the request
 * left out (the image's, or Docker's default, applies); lists and maps are never null.
 *
 * @param image the image as the client named it
 * @param entrypoint its own entrypoint (empty: none at all), or null for the image's
 * @param cmd its own command, or null for the image's (none when it sets its own entrypoint)
 * @param env its environment ({@code KEY=value}), over the image's
 * @param healthcheck its healthcheck, completed from the image's at create; null for none
 * @param exposedPorts the ports it exposes ({@code 8080/tcp})
 * @param volumes the paths it asks anonymous volumes for (Docker's {@code Config.Volumes}, what
 *     {@code docker run -v /data} sends), besides its image's
 * @param networks the endpoints it asked for, by network name (Docker's {@code EndpointsConfig})
 */
public record ContainerSettings(
    String image,
    @Nullable List<String> entrypoint,
    @Nullable List<String> cmd,
    List<String> env,
    @Nullable String workingDir,
    @Nullable String user,
    @Nullable String hostname,
    @Nullable String domainname,
    Map<String, String> labels,
    @Nullable String stopSignal,
    @Nullable Long stopTimeout,
    @Nullable Healthcheck healthcheck,
    List<String> exposedPorts,
    List<String> volumes,
    ContainerConfig.Console console,
    Host host,
    Map<String, EndpointRequest> networks) {

  public ContainerSettings {
    env = List.copyOf(env);
    labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    exposedPorts = List.copyOf(exposedPorts);
    // Records written before Config.Volumes was kept have none.
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
  }

  /** Whether it has a network namespace of its own, on bridge networks. */
  public boolean bridged() {
    String mode = host.networkMode();
    return !mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:");
  }

  /** This with other host settings. */
  ContainerSettings withHost(Host changed) {
    return new ContainerSettings(
        image,
        entrypoint,
        cmd,
        env,
        workingDir,
        user,
        hostname,
        domainname,
        labels,
        stopSignal,
        stopTimeout,
        healthcheck,
        exposedPorts,
        volumes,
        console,
        changed,
        networks);
  }

  /**
   * This with what its image gives where it gives nothing of its own, as dockerd's create stores
   * it: the image's stop signal, the image's healthcheck under its own, and the image's labels
   * beside its own (its own win), so that a label filter finds a container by its image's labels.
   */
  ContainerSettings withImageDefaults(io.jstack.runtime.image.ImageConfig defaults) {
    Healthcheck fromImage = defaults.healthcheck();
    Map<String, String> merged = new java.util.TreeMap<>(defaults.labels());
    merged.putAll(labels);
    return new ContainerSettings(
        image,
        entrypoint,
        cmd,
        env,
        workingDir,
        user,
        hostname,
        domainname,
        merged,
        stopSignal != null ? stopSignal : defaults.stopSignal(),
        stopTimeout,
        fromImage == null
            ? healthcheck
            : healthcheck == null ? fromImage : healthcheck.over(fromImage),
        exposedPorts,
        volumes,
        console,
        host,
        networks);
  }

  /**
   * Docker's {@code HostConfig}: the parts the engine acts on.
   *
   * @param networkMode {@code host}, {@code none}, {@code container:<id>}, a network's name, or
   *     empty or {@code default} for Docker's default network
   * @param binds {@code -v} style binds, {@code source:target[:options]}
   * @param publishAllPorts Docker's {@code PublishAllPorts} ({@code run -P}): every port it or its
   *     image exposes that {@code portBindings} does not bind goes to a free host port too
   * @param restartPolicy {@code no} (or empty), {@code always}, {@code unless-stopped} or {@code
   *     on-failure}
   * @param init whether an init runs as PID 1, or null for the engine's default (none)
   * @param memory, nanoCpus, pidsLimit, shmSize limits; 0 for none
   * @param dns its {@code Dns}, {@code DnsSearch} and {@code DnsOptions} (none in a record written
   *     before they were kept)
   * @param tmpfs {@code HostConfig.Tmpfs}, mount point to options ({@code size=64m,mode=0755})
   * @param tuning its namespaces shared with others, devices, added groups and cgroup tuning
   */
  public record Host(
      String networkMode,
      List<String> binds,
      List<Mount> mounts,
      List<PortBinding> portBindings,
      boolean publishAllPorts,
      String restartPolicy,
      int maximumRetryCount,
      boolean autoRemove,
      List<String> capAdd,
      List<String> capDrop,
      boolean privileged,
      boolean readonlyRootfs,
      List<String> securityOpt,
      long memory,
      long nanoCpus,
      long pidsLimit,
      long shmSize,
      @Nullable Boolean init,
      Map<String, String> sysctls,
      List<ContainerConfig.Ulimit> ulimits,
      List<String> extraHosts,
      ResolvConf.Asked dns,
      Map<String, String> tmpfs,
      Tuning tuning) {

    /**
     * Docker's defaults (restart {@code no}, no limits, capabilities, ports, DNS settings or
     * tuning) but for the network mode, binds, mounts and tmpfs given.
     */
    public static Host defaults(
        String networkMode, List<String> binds, List<Mount> mounts, Map<String, String> tmpfs) {
      return new Host(
          networkMode,
          binds,
          mounts,
          List.of(),
          false,
          "no",
          0,
          false,
          List.of(),
          List.of(),
          false,
          false,
          List.of(),
          0,
          0,
          0,
          0,
          null,
          Map.of(),
          List.of(),
          List.of(),
          ResolvConf.Asked.NONE,
          tmpfs,
          Tuning.NONE);
    }

    public Host {
      // Absent (null) in a record written before they were kept.
      tuning = java.util.Objects.requireNonNullElse(tuning, Tuning.NONE);
      dns = java.util.Objects.requireNonNullElse(dns, ResolvConf.Asked.NONE);
      binds = List.copyOf(binds);
      mounts = List.copyOf(mounts);
      portBindings = List.copyOf(portBindings);
      capAdd = List.copyOf(capAdd);
      capDrop = List.copyOf(capDrop);
      securityOpt = List.copyOf(securityOpt);
      sysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctls));
      ulimits = List.copyOf(ulimits);
      extraHosts = List.copyOf(extraHosts);
      // Records written before HostConfig.Tmpfs was kept have none (their tmpfs are mounts).
      tmpfs =
          java.util.Collections.unmodifiableMap(
              tmpfs == null ? new java.util.TreeMap<>() : new java.util.TreeMap<>(tmpfs));
    }

    /** These settings with {@code changed} as its mounts. */
    Host withMounts(List<Mount> changed) {
      return copy(changed, tuning);
    }

    /** These settings with {@code changed} as its tuning. */
    Host withTuning(Tuning changed) {
      return copy(mounts, changed);
    }

    private Host copy(List<Mount> changedMounts, Tuning changedTuning) {
      return new Host(
          networkMode,
          binds,
          changedMounts,
          portBindings,
          publishAllPorts,
          restartPolicy,
          maximumRetryCount,
          autoRemove,
          capAdd,
          capDrop,
          privileged,
          readonlyRootfs,
          securityOpt,
          memory,
          nanoCpus,
          pidsLimit,
          shmSize,
          init,
          sysctls,
          ulimits,
          extraHosts,
          dns,
          tmpfs,
          changedTuning);
    }

    /**
     * What it publishes: its port bindings, then with {@link #publishAllPorts} each of the {@code
     * exposed} ports ({@code 8080/tcp} or {@code 8080}: the container's and its image's) that has
     * no binding, on a free host port of every address, in the order of their numbers (as dockerd's
     * {@code run -P}).
     */
    public List<PortBinding> published(java.util.Collection<String> exposed) {
      List<PortBinding> out = new java.util.ArrayList<>(portBindings);
      if (!publishAllPorts) {
        return out;
      }
      java.util.Set<String> bound = new java.util.HashSet<>();
      portBindings.forEach(b -> bound.add(b.containerPort() + "/" + b.protocol()));
      java.util.SortedSet<String> ports =
          new java.util.TreeSet<>(
              java.util.Comparator.comparingInt((String p) -> Integer.parseInt(p.split("/")[0]))
                  .thenComparing(java.util.Comparator.naturalOrder()));
      exposed.forEach(p -> ports.add(p.contains("/") ? p : p + "/tcp"));
      for (String p : ports) {
        if (bound.add(p)) {
          String[] portAndProtocol = p.split("/", 2);
          out.add(
              new PortBinding(Integer.parseInt(portAndProtocol[0]), portAndProtocol[1], "", ""));
        }
      }
      return out;
    }

    /** Whether {@code no-new-privileges} is among its security options. */
    public boolean noNewPrivileges() {
      return securityOpt.stream()
          .anyMatch(
              s -> s.replace('=', ':').startsWith("no-new-privileges") && !s.endsWith("false"));
    }
  }

  /**
   * A mount of Docker's {@code Mounts}: a {@code bind}, {@code volume} or {@code tmpfs} (others are
   * refused at create).
   *
   * @param source the host path of a bind, the name of a volume (empty: an anonymous one)
   * @param noCopy whether a new volume is left empty instead of getting the image's files there
   * @param tmpfsSize a tmpfs's size in bytes ({@code TmpfsOptions.SizeBytes}), or null for the
   *     kernel's default
   * @param tmpfsMode a tmpfs's permission bits ({@code TmpfsOptions.Mode}), or null for 1777
   */
  public record Mount(
      String type,
      String source,
      String target,
      boolean readOnly,
      boolean noCopy,
      @Nullable Long tmpfsSize,
      @Nullable Integer tmpfsMode) {

    /** A mount with no tmpfs options. */
    public Mount(String type, String source, String target, boolean readOnly, boolean noCopy) {
      this(type, source, target, readOnly, noCopy, null, null);
    }
  }

  /**
   * The parts of Docker's {@code HostConfig} that share namespaces with the host or another
   * container, give devices and groups, and tune the container's cgroups. Zero, empty or null is
   * Docker's default.
   *
   * @param ipcMode empty or {@code private}, {@code shareable} (others may join it), {@code host},
   *     {@code none} (no {@code /dev/shm}) or {@code container:<name or id>}
   * @param pidMode empty, {@code host} or {@code container:<name or id>}
   * @param utsMode empty or {@code host}
   * @param deviceCgroupRules rules such as {@code c 10:229 rwm}
   * @param groupAdd groups its process also gets, by name (in the image) or number
   * @param cpuShares, cpuPeriod, cpuQuota the CFS weight, period and quota (microseconds)
   * @param cpusetCpus, cpusetMems the CPUs and memory nodes it may use ({@code 0-1}, {@code 0,2})
   * @param memoryReservation its soft limit in bytes
   * @param memorySwap memory plus swap in bytes; -1 for unlimited swap
   * @param memorySwappiness 0 to 100, or null for the kernel's
   * @param oomKillDisable whether the OOM killer leaves it alone
   * @param oomScoreAdj its processes' {@code oom_score_adj}
   * @param volumesFrom containers whose volumes and binds it mounts too, {@code <name>[:ro|:rw]}
   * @param runtime the OCI runtime it runs with ({@code runc}, {@code crun}), or empty: the
   *     engine's
   */
  public record Tuning(
      String ipcMode,
      String pidMode,
      String utsMode,
      List<Device> devices,
      List<String> deviceCgroupRules,
      List<String> groupAdd,
      long cpuShares,
      long cpuPeriod,
      long cpuQuota,
      String cpusetCpus,
      String cpusetMems,
      long memoryReservation,
      long memorySwap,
      @Nullable Long memorySwappiness,
      boolean oomKillDisable,
      int oomScoreAdj,
      List<String> volumesFrom,
      String runtime) {
    public Tuning {
      // Absent (null) in a record written before it was kept.
      volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
      runtime = runtime == null ? "" : runtime;
      devices = List.copyOf(devices);
      deviceCgroupRules = List.copyOf(deviceCgroupRules);
      groupAdd = List.copyOf(groupAdd);
    }

    /** Docker's defaults throughout. */
    public static final Tuning NONE =
        new Tuning(
            "", "", "", List.of(), List.of(), List.of(), 0, 0, 0, "", "", 0, 0, null, false, 0,
            List.of(), "");

    /** This with other IPC and PID modes. */
    Tuning withModes(String ipc, String pid) {
      return new Tuning(
          ipc,
          pid,
          utsMode,
          devices,
          deviceCgroupRules,
          groupAdd,
          cpuShares,
          cpuPeriod,
          cpuQuota,
          cpusetCpus,
          cpusetMems,
          memoryReservation,
          memorySwap,
          memorySwappiness,
          oomKillDisable,
          oomScoreAdj,
          volumesFrom,
          runtime);
    }

    /** The container whose IPC namespace it joins ({@code container:<x>}), or null. */
    public @Nullable String ipcContainer() {
      return ipcMode.startsWith("container:") ? ipcMode.substring("container:".length()) : null;
    }

    /** The container whose PID namespace it joins ({@code container:<x>}), or null. */
    public @Nullable String pidContainer() {
      return pidMode.startsWith("container:") ? pidMode.substring("container:".length()) : null;
    }
  }

  /**
   * A host device given to the container ({@code devices: ["/dev/fuse:/dev/fuse:rwm"]}).
   *
   * @param cgroupPermissions {@code r}, {@code w} and {@code m} (mknod), some or all
   */
  public record Device(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

  /**
   * A published port: the container's port and protocol, and the host address and port ({@code
   * 8080}, a range {@code 8080-8090}, or empty for any free one).
   */
  public record PortBinding(int containerPort, String protocol, String hostIp, String hostPort) {}

  /**
   * An endpoint a container asks for on a network.
   *
   * @param ipv4Address the address it asks for, or null for any free one
   * @param links links to other containers, {@code <container>:<alias>}
   */
  public record EndpointRequest(
      List<String> aliases, List<String> links, @Nullable String ipv4Address) {
    public EndpointRequest {
      aliases = List.copyOf(aliases);
      links = List.copyOf(links);
    }

    /** An endpoint with nothing asked for. */
    public static final EndpointRequest NONE = new EndpointRequest(List.of(), List.of(), null);
  }
}
