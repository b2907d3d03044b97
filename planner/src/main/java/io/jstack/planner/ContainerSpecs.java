package io.jstack.planner;

import io.jstack.compose.ConfigHash;
import io.jstack.compose.DependsOn;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.ContainerSpecBuilder;
import io.jstack.planner.internal.ServiceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Maps a compose service to the containers an engine creates for it. */
public final class ContainerSpecs {
  private ContainerSpecs() {}

  /**
   * Where a project's containers came from, recorded in their labels, and the environment the
   * project was loaded with (for secrets and configs given by an environment variable).
   */
  public record Origin(
      String workingDir, List<String> configFiles, Map<String, String> environment) {
    public Origin {
      configFiles = List.copyOf(configFiles);
      environment = Map.copyOf(environment);
    }

    public Origin(String workingDir, List<String> configFiles) {
      this(workingDir, configFiles, Map.of());
    }

    /** Where {@code loaded} came from. */
    public static Origin of(io.jstack.compose.LoadedProject loaded) {
      return new Origin(
          loaded.workingDirectory().toString(), loaded.configFiles(), loaded.environment());
    }
  }

  /** The image a service runs: its {@code image}, else the one {@code build} makes. */
  public static String imageOf(Project project, Service s) {
    return s.image() != null ? s.image() : project.name() + "-" + s.name();
  }

  /** The name of the service's {@code number}th container. */
  public static String containerName(Project project, Service s, int number) {
    return s.containerName() != null
        ? s.containerName()
        : ComposeLabels.containerName(project.name(), s.name(), number);
  }

  /**
   * How many containers the service wants: the override, else scale, else deploy.replicas, else 1.
   */
  public static int replicas(Service s, Map<String, Integer> overrides) {
    Integer o = overrides.get(s.name());
    if (o != null) {
      return o;
    }
    if (s.scale() != null) {
      return s.scale();
    }
    if (s.deploy() != null && s.deploy().replicas() != null) {
      return s.deploy().replicas();
    }
    return 1;
  }

  /** The labels Docker Compose puts on the service's {@code number}th container. */
  public static Map<String, String> labels(
      Project project, Service s, int number, @Nullable String imageId, Origin origin) {
    Map<String, String> labels = new TreeMap<>(s.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.SERVICE, s.name());
    labels.put(ComposeLabels.CONTAINER_NUMBER, Integer.toString(number));
    labels.put(ComposeLabels.ONEOFF, "False");
    labels.put(ComposeLabels.CONFIG_HASH, ConfigHash.of(s));
    labels.put(ComposeLabels.DEPENDS_ON, dependsOnLabel(s));
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    labels.put(ComposeLabels.WORKING_DIR, origin.workingDir());
    labels.put(ComposeLabels.CONFIG_FILES, String.join(",", origin.configFiles()));
    if (imageId != null) {
      labels.put(ComposeLabels.IMAGE, imageId);
    }
    labels.put(ComposeLabels.JSTACK_CONFIG, ConfigHash.canonicalJson(s));
    return labels;
  }

  /** {@code db:service_healthy:false,cache:service_started:true}, as Compose writes it. */
  static String dependsOnLabel(Service s) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, DependsOn> e : s.dependsOn().entrySet()) {
      parts.add(e.getKey() + ":" + e.getValue().condition() + ":" + e.getValue().restart());
    }
    return String.join(",", parts);
  }

  /** The spec of the service's container {@code name}. */
  public static ContainerSpec spec(
      Project project,
      Service s,
      String name,
      int number,
      @Nullable String imageId,
      Origin origin) {
    Map<String, ContainerSpec.NetworkAttachment> networks =
        ServiceSettings.networks(project, s, name);
    List<ContainerSpec.Mount> mounts = ServiceSettings.mounts(project, s);
    List<ContainerSpec.FileContent> files =
        ServiceSettings.files(project, s, origin.environment(), mounts);
    return ContainerSpec.builder(name, imageOf(project, s))
        .labels(labels(project, s, number, imageId, origin))
        .env(ServiceSettings.env(s))
        .command(s.command())
        .entrypoint(s.entrypoint())
        .workingDir(s.workingDir())
        .user(s.user())
        .hostname(s.hostname())
        .domainname(s.domainname())
        .ports(ServiceSettings.ports(s))
        .exposedPorts(s.expose())
        .mounts(mounts)
        .volumesFrom(
            s.volumesFrom().stream().map(v -> ServiceSettings.volumesFrom(project, v)).toList())
        .networkMode(ServiceSettings.containerReference(project, s.networkMode()))
        .networks(networks)
        .healthcheck(ServiceSettings.health(s.healthcheck()))
        .restartPolicy(ServiceSettings.restart(s))
        .stopSignal(s.stopSignal())
        .stopTimeout(s.stopGracePeriod())
        .init(s.init())
        .privileged(s.privileged())
        .readOnly(s.readOnly())
        .tty(s.tty())
        .stdinOpen(s.stdinOpen())
        .capAdd(s.capAdd())
        .capDrop(s.capDrop())
        .securityOpt(s.securityOpt())
        .extraHosts(s.extraHosts())
        .dns(s.dns())
        .dnsSearch(s.dnsSearch())
        .dnsOptions(s.dnsOpt())
        .tmpfs(ServiceSettings.tmpfs(s))
        .sysctls(s.sysctls())
        .ulimits(ServiceSettings.ulimits(s))
        .resources(ServiceSettings.resources(s))
        .ipcMode(ServiceSettings.containerReference(project, s.ipc()))
        .pidMode(ServiceSettings.containerReference(project, s.pid()))
        .utsMode(s.uts())
        .usernsMode(s.usernsMode())
        .cgroupParent(s.cgroupParent())
        .groupAdd(s.groupAdd())
        .devices(ServiceSettings.devices(s))
        .deviceCgroupRules(s.deviceCgroupRules())
        .logging(ServiceSettings.logging(s))
        .platform(s.platform())
        .runtime(s.runtime())
        .storageOpt(s.storageOpt())
        .files(files)
        .build();
  }

  /**
   * What {@code run} changes in a service's container: a one-off name and label, its own command or
   * entrypoint, extra environment, user, directory, and the ports it publishes ({@code -p} always,
   * the service's own only with {@code --service-ports}). An {@code attached} one reads the
   * caller's input until it ends, and gets a pseudo-terminal only when {@code tty}; a detached one
   * keeps the service's {@code stdin_open} and {@code tty}.
   */
  public record OneOff(
      String name,
      @Nullable List<String> command,
      @Nullable List<String> entrypoint,
      List<String> env,
      @Nullable String user,
      @Nullable String workingDir,
      boolean servicePorts,
      List<ContainerSpec.PortBinding> ports,
      Map<String, String> labels,
      boolean attached,
      boolean tty) {
    public OneOff {
      command = command == null ? null : List.copyOf(command);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      env = List.copyOf(env);
      ports = List.copyOf(ports);
      labels = Map.copyOf(labels);
    }
  }

  /** The spec of a one-off container of {@code s} ({@code jstack run}). */
  public static ContainerSpec oneOff(
      Project project, Service s, @Nullable String imageId, Origin origin, OneOff run) {
    ContainerSpec base = spec(project, s, run.name(), 1, imageId, origin);
    Map<String, String> labels = new TreeMap<>(base.labels());
    labels.put(ComposeLabels.ONEOFF, "True");
    labels.remove(ComposeLabels.CONTAINER_NUMBER);
    labels.putAll(run.labels());
    List<String> env = new ArrayList<>(base.env());
    env.addAll(run.env());
    List<ContainerSpec.PortBinding> ports =
        new ArrayList<>(run.servicePorts() ? base.ports() : List.of());
    ports.addAll(run.ports());
    ContainerSpecBuilder spec =
        base.toBuilder().labels(labels).env(env).ports(ports).restartPolicy(null);
    if (run.attached()) {
      spec.stdinOpen(true).stdinOnce(true).tty(run.tty());
    }
    if (run.command() != null) {
      spec.command(run.command());
    }
    if (run.entrypoint() != null) {
      spec.entrypoint(run.entrypoint());
    }
    if (run.user() != null) {
      spec.user(run.user());
    }
    if (run.workingDir() != null) {
      spec.workingDir(run.workingDir());
    }
    // A one-off keeps the service's networks and aliases, as Docker Compose's run does.
    return spec.build();
  }
}
