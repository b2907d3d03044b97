package io.jstack.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * @param stdinOnce the container's input closes when the first caller attached to it lets go
 *     (one-off containers of {@code run})
 */
public record ContainerSpec(
    String name,
    String image,
    Map<String, String> labels,
    List<String> env,
    List<String> command,
    List<String> entrypoint,
    String workingDir,
    String user,
    String hostname,
    String domainname,
    List<PortBinding> ports,
    List<String> exposedPorts,
    List<Mount> mounts,
    List<String> volumesFrom,
    String networkMode,
    Map<String, NetworkAttachment> networks,
    HealthSpec healthcheck,
    RestartPolicy restartPolicy,
    String stopSignal,
    Duration stopTimeout,
    Boolean init,
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
    Resources resources,
    String ipcMode,
    String pidMode,
    String utsMode,
    String usernsMode,
    String cgroupParent,
    List<String> groupAdd,
    List<Device> devices,
    LogConfig logging,
    String platform,
    String runtime,
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
  public record FileContent(String path, byte[] content, int mode, String uid, String gid) {
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
  public static Builder builder(String name, String image) {
    return new Builder().name(name).image(image);
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link ContainerSpec}. Each setter is named after the component it sets; what is not
   * set keeps the image's defaults: empty lists and maps, null values, false flags.
   */
  public static final class Builder {
    private String name;
    private String image;
    private Map<String, String> labels = Map.of();
    private List<String> env = List.of();
    private List<String> command;
    private List<String> entrypoint;
    private String workingDir;
    private String user;
    private String hostname;
    private String domainname;
    private List<PortBinding> ports = List.of();
    private List<String> exposedPorts = List.of();
    private List<Mount> mounts = List.of();
    private List<String> volumesFrom = List.of();
    private String networkMode;
    private Map<String, NetworkAttachment> networks = Map.of();
    private HealthSpec healthcheck;
    private RestartPolicy restartPolicy;
    private String stopSignal;
    private Duration stopTimeout;
    private Boolean init;
    private boolean privileged;
    private boolean readOnly;
    private boolean tty;
    private boolean stdinOpen;
    private boolean stdinOnce;
    private List<String> capAdd = List.of();
    private List<String> capDrop = List.of();
    private List<String> securityOpt = List.of();
    private List<String> extraHosts = List.of();
    private List<String> dns = List.of();
    private List<String> dnsSearch = List.of();
    private List<String> dnsOptions = List.of();
    private Map<String, String> tmpfs = Map.of();
    private Map<String, String> sysctls = Map.of();
    private List<Ulimit> ulimits = List.of();
    private Resources resources;
    private String ipcMode;
    private String pidMode;
    private String utsMode;
    private String usernsMode;
    private String cgroupParent;
    private List<String> groupAdd = List.of();
    private List<Device> devices = List.of();
    private LogConfig logging;
    private String platform;
    private String runtime;
    private Map<String, String> storageOpt = Map.of();
    private List<FileContent> files = List.of();

    private Builder() {}

    private Builder(ContainerSpec s) {
      name = s.name;
      image = s.image;
      labels = s.labels;
      env = s.env;
      command = s.command;
      entrypoint = s.entrypoint;
      workingDir = s.workingDir;
      user = s.user;
      hostname = s.hostname;
      domainname = s.domainname;
      ports = s.ports;
      exposedPorts = s.exposedPorts;
      mounts = s.mounts;
      volumesFrom = s.volumesFrom;
      networkMode = s.networkMode;
      networks = s.networks;
      healthcheck = s.healthcheck;
      restartPolicy = s.restartPolicy;
      stopSignal = s.stopSignal;
      stopTimeout = s.stopTimeout;
      init = s.init;
      privileged = s.privileged;
      readOnly = s.readOnly;
      tty = s.tty;
      stdinOpen = s.stdinOpen;
      stdinOnce = s.stdinOnce;
      capAdd = s.capAdd;
      capDrop = s.capDrop;
      securityOpt = s.securityOpt;
      extraHosts = s.extraHosts;
      dns = s.dns;
      dnsSearch = s.dnsSearch;
      dnsOptions = s.dnsOptions;
      tmpfs = s.tmpfs;
      sysctls = s.sysctls;
      ulimits = s.ulimits;
      resources = s.resources;
      ipcMode = s.ipcMode;
      pidMode = s.pidMode;
      utsMode = s.utsMode;
      usernsMode = s.usernsMode;
      cgroupParent = s.cgroupParent;
      groupAdd = s.groupAdd;
      devices = s.devices;
      logging = s.logging;
      platform = s.platform;
      runtime = s.runtime;
      storageOpt = s.storageOpt;
      files = s.files;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder env(List<String> env) {
      this.env = env;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = entrypoint;
      return this;
    }

    public Builder workingDir(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    public Builder domainname(String domainname) {
      this.domainname = domainname;
      return this;
    }

    public Builder ports(List<PortBinding> ports) {
      this.ports = ports;
      return this;
    }

    public Builder exposedPorts(List<String> exposedPorts) {
      this.exposedPorts = exposedPorts;
      return this;
    }

    public Builder mounts(List<Mount> mounts) {
      this.mounts = mounts;
      return this;
    }

    public Builder volumesFrom(List<String> volumesFrom) {
      this.volumesFrom = volumesFrom;
      return this;
    }

    public Builder networkMode(String networkMode) {
      this.networkMode = networkMode;
      return this;
    }

    public Builder networks(Map<String, NetworkAttachment> networks) {
      this.networks = networks;
      return this;
    }

    public Builder healthcheck(HealthSpec healthcheck) {
      this.healthcheck = healthcheck;
      return this;
    }

    public Builder restartPolicy(RestartPolicy restartPolicy) {
      this.restartPolicy = restartPolicy;
      return this;
    }

    public Builder stopSignal(String stopSignal) {
      this.stopSignal = stopSignal;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    public Builder init(Boolean init) {
      this.init = init;
      return this;
    }

    public Builder privileged(boolean privileged) {
      this.privileged = privileged;
      return this;
    }

    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    public Builder stdinOpen(boolean stdinOpen) {
      this.stdinOpen = stdinOpen;
      return this;
    }

    public Builder stdinOnce(boolean stdinOnce) {
      this.stdinOnce = stdinOnce;
      return this;
    }

    public Builder capAdd(List<String> capAdd) {
      this.capAdd = capAdd;
      return this;
    }

    public Builder capDrop(List<String> capDrop) {
      this.capDrop = capDrop;
      return this;
    }

    public Builder securityOpt(List<String> securityOpt) {
      this.securityOpt = securityOpt;
      return this;
    }

    public Builder extraHosts(List<String> extraHosts) {
      this.extraHosts = extraHosts;
      return this;
    }

    public Builder dns(List<String> dns) {
      this.dns = dns;
      return this;
    }

    public Builder dnsSearch(List<String> dnsSearch) {
      this.dnsSearch = dnsSearch;
      return this;
    }

    public Builder dnsOptions(List<String> dnsOptions) {
      this.dnsOptions = dnsOptions;
      return this;
    }

    public Builder tmpfs(Map<String, String> tmpfs) {
      this.tmpfs = tmpfs;
      return this;
    }

    public Builder sysctls(Map<String, String> sysctls) {
      this.sysctls = sysctls;
      return this;
    }

    public Builder ulimits(List<Ulimit> ulimits) {
      this.ulimits = ulimits;
      return this;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder ipcMode(String ipcMode) {
      this.ipcMode = ipcMode;
      return this;
    }

    public Builder pidMode(String pidMode) {
      this.pidMode = pidMode;
      return this;
    }

    public Builder utsMode(String utsMode) {
      this.utsMode = utsMode;
      return this;
    }

    public Builder usernsMode(String usernsMode) {
      this.usernsMode = usernsMode;
      return this;
    }

    public Builder cgroupParent(String cgroupParent) {
      this.cgroupParent = cgroupParent;
      return this;
    }

    public Builder groupAdd(List<String> groupAdd) {
      this.groupAdd = groupAdd;
      return this;
    }

    public Builder devices(List<Device> devices) {
      this.devices = devices;
      return this;
    }

    public Builder logging(LogConfig logging) {
      this.logging = logging;
      return this;
    }

    public Builder platform(String platform) {
      this.platform = platform;
      return this;
    }

    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder storageOpt(Map<String, String> storageOpt) {
      this.storageOpt = storageOpt;
      return this;
    }

    public Builder files(List<FileContent> files) {
      this.files = files;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(
          name,
          image,
          labels,
          env,
          command,
          entrypoint,
          workingDir,
          user,
          hostname,
          domainname,
          ports,
          exposedPorts,
          mounts,
          volumesFrom,
          networkMode,
          networks,
          healthcheck,
          restartPolicy,
          stopSignal,
          stopTimeout,
          init,
          privileged,
          readOnly,
          tty,
          stdinOpen,
          stdinOnce,
          capAdd,
          capDrop,
          securityOpt,
          extraHosts,
          dns,
          dnsSearch,
          dnsOptions,
          tmpfs,
          sysctls,
          ulimits,
          resources,
          ipcMode,
          pidMode,
          utsMode,
          usernsMode,
          cgroupParent,
          groupAdd,
          devices,
          logging,
          platform,
          runtime,
          storageOpt,
          files);
    }
  }

  /** A port published on the host; {@code hostPort} null or empty means any free port. */
  public record PortBinding(String hostIp, String hostPort, int containerPort, String protocol) {}

  /**
   * A mount: {@code bind} (host path), {@code volume} (named, or anonymous when {@code source} is
   * null), {@code tmpfs}, or {@code image}.
   */
  public record Mount(
      String type,
      String source,
      String target,
      boolean readOnly,
      String propagation,
      boolean createHostPath,
      boolean noCopy,
      String subpath,
      Long tmpfsSize,
      Integer tmpfsMode) {}

  /** How a container joins one network. */
  public record NetworkAttachment(
      List<String> aliases,
      String ipv4Address,
      String ipv6Address,
      String macAddress,
      Integer priority,
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
      Duration interval,
      Duration timeout,
      Integer retries,
      Duration startPeriod,
      Duration startInterval) {
    public HealthSpec {
      test = List.copyOf(test);
    }
  }

  /** {@code no}, {@code always}, {@code on-failure} (with a maximum), {@code unless-stopped}. */
  public record RestartPolicy(String name, int maximumRetryCount) {}

  public record Ulimit(String name, long soft, long hard) {}

  /** Limits; null means unlimited. */
  public record Resources(
      Long memoryBytes,
      Long memoryReservationBytes,
      Long memorySwapBytes,
      Long memorySwappiness,
      Long nanoCpus,
      Long cpuShares,
      Long cpuPeriod,
      Long cpuQuota,
      String cpusetCpus,
      Long pidsLimit,
      Long shmSizeBytes,
      Boolean oomKillDisable,
      Long oomScoreAdj) {}

  public record Device(String hostPath, String containerPath, String permissions) {}

  public record LogConfig(String driver, Map<String, String> options) {
    public LogConfig {
      options = Map.copyOf(options);
    }
  }
}
