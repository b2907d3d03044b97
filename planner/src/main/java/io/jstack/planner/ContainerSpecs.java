package io.jstack.planner;

import io.jstack.compose.ConfigHash;
import io.jstack.compose.DependsOn;
import io.jstack.compose.Deploy;
import io.jstack.compose.Healthcheck;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.ServiceNetwork;
import io.jstack.compose.Ulimit;
import io.jstack.compose.VolumeMount;
import io.jstack.engine.ContainerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
      Project project, Service s, int number, String imageId, Origin origin) {
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
      Project project, Service s, String name, int number, String imageId, Origin origin) {
    Map<String, ContainerSpec.NetworkAttachment> networks = new LinkedHashMap<>();
    String networkMode = containerReference(project, s.networkMode());
    if (networkMode == null) {
      List<Map.Entry<String, ServiceNetwork>> attached = new ArrayList<>(s.networks().entrySet());
      // Higher priority first, then by name, as Docker Compose orders attachments.
      attached.sort(
          Comparator.<Map.Entry<String, ServiceNetwork>>comparingInt(
                  e ->
                      e.getValue() == null || e.getValue().priority() == null
                          ? 0
                          : -e.getValue().priority())
              .thenComparing(Map.Entry::getKey));
      for (Map.Entry<String, ServiceNetwork> e : attached) {
        ServiceNetwork sn = e.getValue();
        List<String> aliases = new ArrayList<>();
        aliases.add(s.name());
        aliases.add(name);
        if (sn != null) {
          aliases.addAll(sn.aliases());
        }
        String engineName = project.networks().get(e.getKey()).name();
        networks.put(
            engineName,
            new ContainerSpec.NetworkAttachment(
                aliases,
                sn == null ? null : sn.ipv4Address(),
                sn == null ? null : sn.ipv6Address(),
                sn == null ? null : sn.macAddress(),
                sn == null ? null : sn.priority(),
                links(project, s)));
      }
    }
    List<String> env = new ArrayList<>();
    s.environment().forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
    List<ContainerSpec.Mount> allMounts = new ArrayList<>(mounts(project, s));
    List<ContainerSpec.FileContent> files = files(project, s, origin, allMounts);

    return new ContainerSpec(
        name,
        imageOf(project, s),
        labels(project, s, number, imageId, origin),
        env,
        s.command(),
        s.entrypoint(),
        s.workingDir(),
        s.user(),
        s.hostname(),
        s.domainname(),
        ports(s),
        s.expose(),
        allMounts,
        s.volumesFrom().stream().map(v -> volumesFrom(project, v)).toList(),
        networkMode,
        networks,
        health(s.healthcheck()),
        restart(s),
        s.stopSignal(),
        s.stopGracePeriod(),
        s.init(),
        s.privileged(),
        s.readOnly(),
        s.tty(),
        s.stdinOpen(),
        false,
        s.capAdd(),
        s.capDrop(),
        s.securityOpt(),
        s.extraHosts(),
        s.dns(),
        s.dnsSearch(),
        s.dnsOpt(),
        tmpfs(s),
        s.sysctls(),
        ulimits(s),
        resources(s),
        containerReference(project, s.ipc()),
        containerReference(project, s.pid()),
        s.uts(),
        s.usernsMode(),
        s.cgroupParent(),
        s.groupAdd(),
        s.devices().stream()
            .map(d -> new ContainerSpec.Device(d.source(), d.target(), d.permissions()))
            .toList(),
        s.logging() == null
            ? null
            : new ContainerSpec.LogConfig(s.logging().driver(), s.logging().options()),
        s.platform(),
        s.runtime(),
        s.storageOpt(),
        files);
  }

  /** Where a secret or config appears: an absolute target, else below the kind's directory. */
  private static String target(io.jstack.compose.FileReference r, String dir) {
    String t = r.target() == null ? r.source() : r.target();
    return t.startsWith("/") ? t : dir + t;
  }

  /**
   * File secrets and configs are bind-mounted read-only (added to {@code mounts}); those given
   * inline or by an environment variable are written into the container before it starts.
   */
  private static List<ContainerSpec.FileContent> files(
      Project project, Service s, Origin origin, List<ContainerSpec.Mount> mounts) {
    List<ContainerSpec.FileContent> out = new ArrayList<>();
    for (int kind = 0; kind < 2; kind++) {
      boolean secret = kind == 0;
      List<io.jstack.compose.FileReference> refs = secret ? s.secrets() : s.configs();
      Map<String, io.jstack.compose.FileObject> defs =
          secret ? project.secrets() : project.configs();
      for (io.jstack.compose.FileReference r : refs) {
        io.jstack.compose.FileObject def = defs.get(r.source());
        String path = target(r, secret ? "/run/secrets/" : "/");
        String what = (secret ? "secret " : "config ") + r.source();
        if (def == null) {
          throw new PlanException("service \"" + s.name() + "\" uses undefined " + what);
        }
        if (def.external()) {
          throw new PlanException(
              "service \""
                  + s.name()
                  + "\" uses external "
                  + what
                  + ", which needs Docker Swarm:"
                  + " use file:, environment: or content: instead");
        }
        if (def.file() != null) {
          mounts.add(
              new ContainerSpec.Mount(
                  "bind", def.file(), path, true, null, false, false, null, null, null));
          continue;
        }
        String text;
        if (def.content() != null) {
          text = def.content();
        } else if (def.environment() != null) {
          text = origin.environment().get(def.environment());
          if (text == null) {
            throw new PlanException(
                what
                    + " comes from the environment variable "
                    + def.environment()
                    + ", which is not set:"
                    + " set it, or put it in the .env file");
          }
        } else {
          throw new PlanException(what + " has neither file, environment nor content: give it one");
        }
        out.add(
            new ContainerSpec.FileContent(
                path,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                r.mode() == null ? 0444 : r.mode().bits(),
                r.uid(),
                r.gid()));
      }
    }
    return out;
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
      List<String> command,
      List<String> entrypoint,
      List<String> env,
      String user,
      String workingDir,
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
      Project project, Service s, String imageId, Origin origin, OneOff run) {
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
    Map<String, Object> changes = new java.util.HashMap<>();
    changes.put("labels", labels);
    changes.put("env", env);
    changes.put("ports", ports);
    changes.put("restartPolicy", null);
    if (run.attached()) {
      changes.put("stdinOpen", true);
      changes.put("stdinOnce", true);
      changes.put("tty", run.tty());
    }
    if (run.command() != null) {
      changes.put("command", run.command());
    }
    if (run.entrypoint() != null) {
      changes.put("entrypoint", run.entrypoint());
    }
    if (run.user() != null) {
      changes.put("user", run.user());
    }
    if (run.workingDir() != null) {
      changes.put("workingDir", run.workingDir());
    }
    // A one-off keeps the service's networks and aliases, as Docker Compose's run does.
    return with(base, changes);
  }

  /** A copy of {@code spec} with the named components replaced. */
  private static ContainerSpec with(ContainerSpec spec, Map<String, Object> changes) {
    java.lang.reflect.RecordComponent[] components = ContainerSpec.class.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        types[i] = components[i].getType();
        args[i] =
            changes.containsKey(name)
                ? changes.get(name)
                : components[i].getAccessor().invoke(spec);
      }
      return ContainerSpec.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy a container spec", e);
    }
  }

  /** {@code service:db} (a namespace to share) becomes {@code container:<project>-db-1}. */
  static String containerReference(Project project, String mode) {
    if (mode == null || !mode.startsWith("service:")) {
      return mode;
    }
    Service target = project.services().get(mode.substring("service:".length()));
    if (target == null) {
      return mode;
    }
    return "container:" + containerName(project, target, 1);
  }

  /**
   * {@code db:ro} becomes {@code <project>-db-1:ro}; {@code container:x:ro} becomes {@code x:ro}.
   */
  static String volumesFrom(Project project, String spec) {
    if (spec.startsWith("container:")) {
      return spec.substring("container:".length());
    }
    String[] parts = spec.split(":", 2);
    Service target = project.services().get(parts[0]);
    String name = target == null ? parts[0] : containerName(project, target, 1);
    return parts.length == 2 ? name + ":" + parts[1] : name;
  }

  private static List<ContainerSpec.PortBinding> ports(Service s) {
    List<ContainerSpec.PortBinding> out = new ArrayList<>();
    for (PortConfig p : s.ports()) {
      out.add(new ContainerSpec.PortBinding(p.hostIp(), p.published(), p.target(), p.protocol()));
    }
    return out;
  }

  private static List<ContainerSpec.Mount> mounts(Project project, Service s) {
    List<ContainerSpec.Mount> out = new ArrayList<>();
    for (VolumeMount v : s.volumes()) {
      String source = v.source();
      if ("volume".equals(v.type()) && source != null && project.volumes().containsKey(source)) {
        source = project.volumes().get(source).name();
      }
      out.add(
          new ContainerSpec.Mount(
              v.type(),
              source,
              v.target(),
              v.readOnly(),
              v.bind() == null ? null : v.bind().propagation(),
              v.bind() != null && v.bind().createHostPath(),
              v.volume() != null && v.volume().nocopy(),
              v.volume() != null
                  ? v.volume().subpath()
                  : v.image() != null ? v.image().subpath() : null,
              v.tmpfs() == null || v.tmpfs().size() == null ? null : v.tmpfs().size().bytes(),
              v.tmpfs() == null || v.tmpfs().mode() == null ? null : v.tmpfs().mode().bits()));
    }
    return out;
  }

  private static Map<String, String> tmpfs(Service s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String t : s.tmpfs()) {
      int colon = t.indexOf(':');
      out.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
    }
    return out;
  }

  private static ContainerSpec.HealthSpec health(Healthcheck h) {
    if (h == null) {
      return null;
    }
    if (h.disable()) {
      return new ContainerSpec.HealthSpec(List.of("NONE"), null, null, null, null, null);
    }
    if (h.test() == null && h.interval() == null && h.timeout() == null && h.retries() == null) {
      return null;
    }
    return new ContainerSpec.HealthSpec(
        h.test() == null ? List.of() : h.test(),
        h.interval(),
        h.timeout(),
        h.retries() == null ? null : h.retries().intValue(),
        h.startPeriod(),
        h.startInterval());
  }

  private static ContainerSpec.RestartPolicy restart(Service s) {
    String r = s.restart();
    if (r == null && s.deploy() != null && s.deploy().restartPolicy() != null) {
      Deploy.RestartPolicy p = s.deploy().restartPolicy();
      String cond = p.condition() == null ? "any" : p.condition();
      int max = p.maxAttempts() == null ? 0 : p.maxAttempts().intValue();
      return switch (cond) {
        case "none" -> new ContainerSpec.RestartPolicy("no", 0);
        case "on-failure" -> new ContainerSpec.RestartPolicy("on-failure", max);
        default -> new ContainerSpec.RestartPolicy("always", 0);
      };
    }
    if (r == null) {
      return null;
    }
    if (r.startsWith("on-failure:")) {
      return new ContainerSpec.RestartPolicy("on-failure", Integer.parseInt(r.substring(11)));
    }
    return new ContainerSpec.RestartPolicy(r, 0);
  }

  private static List<ContainerSpec.Ulimit> ulimits(Service s) {
    List<ContainerSpec.Ulimit> out = new ArrayList<>();
    for (Map.Entry<String, Ulimit> e : s.ulimits().entrySet()) {
      out.add(
          new ContainerSpec.Ulimit(
              e.getKey(), e.getValue().effectiveSoft(), e.getValue().effectiveHard()));
    }
    return out;
  }

  private static ContainerSpec.Resources resources(Service s) {
    Deploy.Limits limits =
        s.deploy() != null && s.deploy().resources() != null
            ? s.deploy().resources().limits()
            : null;
    Deploy.Reservations reservations =
        s.deploy() != null && s.deploy().resources() != null
            ? s.deploy().resources().reservations()
            : null;
    Long memory =
        s.memLimit() != null
            ? Long.valueOf(s.memLimit().bytes())
            : limits != null && limits.memory() != null
                ? Long.valueOf(limits.memory().bytes())
                : null;
    Long reservation =
        s.memReservation() != null
            ? Long.valueOf(s.memReservation().bytes())
            : reservations != null && reservations.memory() != null
                ? Long.valueOf(reservations.memory().bytes())
                : null;
    Double cpus = s.cpus() != null ? s.cpus() : limits != null ? limits.cpus() : null;
    Long pids = s.pidsLimit() != null ? s.pidsLimit() : limits != null ? limits.pids() : null;
    return new ContainerSpec.Resources(
        memory,
        reservation,
        s.memswapLimit() == null ? null : s.memswapLimit().bytes(),
        s.memSwappiness(),
        cpus == null ? null : Math.round(cpus * 1e9),
        s.cpuShares(),
        s.cpuPeriod(),
        s.cpuQuota(),
        s.cpuset(),
        pids,
        s.shmSize() == null ? null : s.shmSize().bytes(),
        s.oomKillDisable(),
        s.oomScoreAdj());
  }

  /** Docker Compose's stop timeout when neither {@code -t} nor {@code stop_grace_period} says. */
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The stop timeout to use: {@code -t} when given, else the service's grace period, else the
   * default. {@code s} is null for containers whose service is no longer in the model.
   */
  static Duration stopTimeout(Service s, Duration override) {
    if (override != null) {
      return override;
    }
    return s != null && s.stopGracePeriod() != null ? s.stopGracePeriod() : DEFAULT_STOP_TIMEOUT;
  }

  /**
   * {@code links} as Docker's endpoint links ({@code <container>:<alias>}): each names the first
   * container of the linked service, under the alias (the service's name if none is given).
   */
  private static List<String> links(Project project, Service s) {
    List<String> out = new ArrayList<>();
    for (String link : s.links()) {
      int colon = link.indexOf(':');
      String service = colon < 0 ? link : link.substring(0, colon);
      String alias = colon < 0 ? link : link.substring(colon + 1);
      out.add(project.name() + "-" + service + "-1:" + alias);
    }
    return out;
  }
}
