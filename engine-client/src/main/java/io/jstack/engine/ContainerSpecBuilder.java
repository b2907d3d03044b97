package io.jstack.engine;

import io.jstack.engine.ContainerSpec.Device;
import io.jstack.engine.ContainerSpec.FileContent;
import io.jstack.engine.ContainerSpec.HealthSpec;
import io.jstack.engine.ContainerSpec.LogConfig;
import io.jstack.engine.ContainerSpec.Mount;
import io.jstack.engine.ContainerSpec.NetworkAttachment;
import io.jstack.engine.ContainerSpec.PortBinding;
import io.jstack.engine.ContainerSpec.Resources;
import io.jstack.engine.ContainerSpec.RestartPolicy;
import io.jstack.engine.ContainerSpec.Ulimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ContainerSpec}, from nothing ({@link ContainerSpec#builder}) or from another spec
 * ({@link ContainerSpec#toBuilder}). Each setter is named after the component it sets; what is not
 * set keeps the image's defaults: empty lists and maps, null values, false flags.
 */
public final class ContainerSpecBuilder {
  private String name;
  private String image;
  private Map<String, String> labels = Map.of();
  private List<String> env = List.of();
  private @Nullable List<String> command;
  private @Nullable List<String> entrypoint;
  private @Nullable String workingDir;
  private @Nullable String user;
  private @Nullable String hostname;
  private @Nullable String domainname;
  private List<PortBinding> ports = List.of();
  private List<String> exposedPorts = List.of();
  private List<Mount> mounts = List.of();
  private List<String> volumesFrom = List.of();
  private @Nullable String networkMode;
  private Map<String, NetworkAttachment> networks = Map.of();
  private @Nullable HealthSpec healthcheck;
  private @Nullable RestartPolicy restartPolicy;
  private @Nullable String stopSignal;
  private @Nullable Duration stopTimeout;
  private @Nullable Boolean init;
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
  private @Nullable Resources resources;
  private @Nullable String ipcMode;
  private @Nullable String pidMode;
  private @Nullable String utsMode;
  private @Nullable String usernsMode;
  private @Nullable String cgroupParent;
  private List<String> groupAdd = List.of();
  private List<Device> devices = List.of();
  private List<String> deviceCgroupRules = List.of();
  private @Nullable LogConfig logging;
  private @Nullable String platform;
  private @Nullable String runtime;
  private Map<String, String> storageOpt = Map.of();
  private List<FileContent> files = List.of();

  ContainerSpecBuilder(String name, String image) {
    this.name = name;
    this.image = image;
  }

  ContainerSpecBuilder(ContainerSpec s) {
    name = s.name();
    image = s.image();
    labels = s.labels();
    env = s.env();
    command = s.command();
    entrypoint = s.entrypoint();
    workingDir = s.workingDir();
    user = s.user();
    hostname = s.hostname();
    domainname = s.domainname();
    ports = s.ports();
    exposedPorts = s.exposedPorts();
    mounts = s.mounts();
    volumesFrom = s.volumesFrom();
    networkMode = s.networkMode();
    networks = s.networks();
    healthcheck = s.healthcheck();
    restartPolicy = s.restartPolicy();
    stopSignal = s.stopSignal();
    stopTimeout = s.stopTimeout();
    init = s.init();
    privileged = s.privileged();
    readOnly = s.readOnly();
    tty = s.tty();
    stdinOpen = s.stdinOpen();
    stdinOnce = s.stdinOnce();
    capAdd = s.capAdd();
    capDrop = s.capDrop();
    securityOpt = s.securityOpt();
    extraHosts = s.extraHosts();
    dns = s.dns();
    dnsSearch = s.dnsSearch();
    dnsOptions = s.dnsOptions();
    tmpfs = s.tmpfs();
    sysctls = s.sysctls();
    ulimits = s.ulimits();
    resources = s.resources();
    ipcMode = s.ipcMode();
    pidMode = s.pidMode();
    utsMode = s.utsMode();
    usernsMode = s.usernsMode();
    cgroupParent = s.cgroupParent();
    groupAdd = s.groupAdd();
    devices = s.devices();
    deviceCgroupRules = s.deviceCgroupRules();
    logging = s.logging();
    platform = s.platform();
    runtime = s.runtime();
    storageOpt = s.storageOpt();
    files = s.files();
  }

  public ContainerSpecBuilder name(String name) {
    this.name = name;
    return this;
  }

  public ContainerSpecBuilder image(String image) {
    this.image = image;
    return this;
  }

  public ContainerSpecBuilder labels(Map<String, String> labels) {
    this.labels = labels;
    return this;
  }

  public ContainerSpecBuilder env(List<String> env) {
    this.env = env;
    return this;
  }

  public ContainerSpecBuilder command(@Nullable List<String> command) {
    this.command = command;
    return this;
  }

  public ContainerSpecBuilder entrypoint(@Nullable List<String> entrypoint) {
    this.entrypoint = entrypoint;
    return this;
  }

  public ContainerSpecBuilder workingDir(@Nullable String workingDir) {
    this.workingDir = workingDir;
    return this;
  }

  public ContainerSpecBuilder user(@Nullable String user) {
    this.user = user;
    return this;
  }

  public ContainerSpecBuilder hostname(@Nullable String hostname) {
    this.hostname = hostname;
    return this;
  }

  public ContainerSpecBuilder domainname(@Nullable String domainname) {
    this.domainname = domainname;
    return this;
  }

  public ContainerSpecBuilder ports(List<PortBinding> ports) {
    this.ports = ports;
    return this;
  }

  public ContainerSpecBuilder exposedPorts(List<String> exposedPorts) {
    this.exposedPorts = exposedPorts;
    return this;
  }

  public ContainerSpecBuilder mounts(List<Mount> mounts) {
    this.mounts = mounts;
    return this;
  }

  public ContainerSpecBuilder volumesFrom(List<String> volumesFrom) {
    this.volumesFrom = volumesFrom;
    return this;
  }

  public ContainerSpecBuilder networkMode(@Nullable String networkMode) {
    this.networkMode = networkMode;
    return this;
  }

  public ContainerSpecBuilder networks(Map<String, NetworkAttachment> networks) {
    this.networks = networks;
    return this;
  }

  public ContainerSpecBuilder healthcheck(@Nullable HealthSpec healthcheck) {
    this.healthcheck = healthcheck;
    return this;
  }

  public ContainerSpecBuilder restartPolicy(@Nullable RestartPolicy restartPolicy) {
    this.restartPolicy = restartPolicy;
    return this;
  }

  public ContainerSpecBuilder stopSignal(@Nullable String stopSignal) {
    this.stopSignal = stopSignal;
    return this;
  }

  public ContainerSpecBuilder stopTimeout(@Nullable Duration stopTimeout) {
    this.stopTimeout = stopTimeout;
    return this;
  }

  public ContainerSpecBuilder init(@Nullable Boolean init) {
    this.init = init;
    return this;
  }

  public ContainerSpecBuilder privileged(boolean privileged) {
    this.privileged = privileged;
    return this;
  }

  public ContainerSpecBuilder readOnly(boolean readOnly) {
    this.readOnly = readOnly;
    return this;
  }

  public ContainerSpecBuilder tty(boolean tty) {
    this.tty = tty;
    return this;
  }

  public ContainerSpecBuilder stdinOpen(boolean stdinOpen) {
    this.stdinOpen = stdinOpen;
    return this;
  }

  public ContainerSpecBuilder stdinOnce(boolean stdinOnce) {
    this.stdinOnce = stdinOnce;
    return this;
  }

  public ContainerSpecBuilder capAdd(List<String> capAdd) {
    this.capAdd = capAdd;
    return this;
  }

  public ContainerSpecBuilder capDrop(List<String> capDrop) {
    this.capDrop = capDrop;
    return this;
  }

  public ContainerSpecBuilder securityOpt(List<String> securityOpt) {
    this.securityOpt = securityOpt;
    return this;
  }

  public ContainerSpecBuilder extraHosts(List<String> extraHosts) {
    this.extraHosts = extraHosts;
    return this;
  }

  public ContainerSpecBuilder dns(List<String> dns) {
    this.dns = dns;
    return this;
  }

  public ContainerSpecBuilder dnsSearch(List<String> dnsSearch) {
    this.dnsSearch = dnsSearch;
    return this;
  }

  public ContainerSpecBuilder dnsOptions(List<String> dnsOptions) {
    this.dnsOptions = dnsOptions;
    return this;
  }

  public ContainerSpecBuilder tmpfs(Map<String, String> tmpfs) {
    this.tmpfs = tmpfs;
    return this;
  }

  public ContainerSpecBuilder sysctls(Map<String, String> sysctls) {
    this.sysctls = sysctls;
    return this;
  }

  public ContainerSpecBuilder ulimits(List<Ulimit> ulimits) {
    this.ulimits = ulimits;
    return this;
  }

  public ContainerSpecBuilder resources(@Nullable Resources resources) {
    this.resources = resources;
    return this;
  }

  public ContainerSpecBuilder ipcMode(@Nullable String ipcMode) {
    this.ipcMode = ipcMode;
    return this;
  }

  public ContainerSpecBuilder pidMode(@Nullable String pidMode) {
    this.pidMode = pidMode;
    return this;
  }

  public ContainerSpecBuilder utsMode(@Nullable String utsMode) {
    this.utsMode = utsMode;
    return this;
  }

  public ContainerSpecBuilder usernsMode(@Nullable String usernsMode) {
    this.usernsMode = usernsMode;
    return this;
  }

  public ContainerSpecBuilder cgroupParent(@Nullable String cgroupParent) {
    this.cgroupParent = cgroupParent;
    return this;
  }

  public ContainerSpecBuilder groupAdd(List<String> groupAdd) {
    this.groupAdd = groupAdd;
    return this;
  }

  /** Device cgroup rules ({@code device_cgroup_rules}). */
  public ContainerSpecBuilder deviceCgroupRules(List<String> deviceCgroupRules) {
    this.deviceCgroupRules = deviceCgroupRules;
    return this;
  }

  public ContainerSpecBuilder devices(List<Device> devices) {
    this.devices = devices;
    return this;
  }

  public ContainerSpecBuilder logging(@Nullable LogConfig logging) {
    this.logging = logging;
    return this;
  }

  public ContainerSpecBuilder platform(@Nullable String platform) {
    this.platform = platform;
    return this;
  }

  public ContainerSpecBuilder runtime(@Nullable String runtime) {
    this.runtime = runtime;
    return this;
  }

  public ContainerSpecBuilder storageOpt(Map<String, String> storageOpt) {
    this.storageOpt = storageOpt;
    return this;
  }

  public ContainerSpecBuilder files(List<FileContent> files) {
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
        deviceCgroupRules,
        logging,
        platform,
        runtime,
        storageOpt,
        files);
  }
}
