package io.jstack.planner.internal;

import io.jstack.compose.Deploy;
import io.jstack.compose.FileObject;
import io.jstack.compose.FileReference;
import io.jstack.compose.Healthcheck;
import io.jstack.compose.Network;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.ServiceNetwork;
import io.jstack.compose.Ulimit;
import io.jstack.compose.VolumeMount;
import io.jstack.engine.ContainerSpec;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.PlanException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A compose service's settings in engine terms, one setting at a time: the parts {@link
 * ContainerSpecs#spec} puts together, and the stop timeout every plan that stops a container uses.
 */
public final class ServiceSettings {
  /** Docker Compose's stop timeout when neither {@code -t} nor {@code stop_grace_period} says. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private ServiceSettings() {}

  /** Service {@code name} of {@code project}, where the caller knows it is one. */
  public static Service service(Project project, String name) {
    Service s = project.services().get(name);
    if (s == null) {
      throw new IllegalStateException("service \"" + name + "\" is not in the project");
    }
    return s;
  }

  /** Top-level network {@code key} of {@code project}; loading refuses one that is not declared. */
  public static Network network(Project project, String key) {
    Network n = project.networks().get(key);
    if (n == null) {
      throw new IllegalStateException("network \"" + key + "\" is not declared");
    }
    return n;
  }

  /**
   * The stop timeout to use: {@code -t} when given, else the service's grace period, else the
   * default. {@code s} is null for containers whose service is no longer in the model.
   */
  public static Duration stopTimeout(@Nullable Service s, @Nullable Duration override) {
    if (override != null) {
      return override;
    }
    return s != null && s.stopGracePeriod() != null ? s.stopGracePeriod() : DEFAULT_STOP_TIMEOUT;
  }

  /**
   * The networks container {@code name} of {@code s} joins, by engine name, in attachment order;
   * empty when {@code network_mode} decides.
   */
  public static Map<String, ContainerSpec.NetworkAttachment> networks(
      Project project, Service s, String name) {
    Map<String, ContainerSpec.NetworkAttachment> networks = new LinkedHashMap<>();
    if (containerReference(project, s.networkMode()) != null) {
      return networks;
    }
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
      String engineName = network(project, e.getKey()).name();
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
    return networks;
  }

  /** {@code environment} as {@code KEY=VALUE} entries ({@code KEY} alone when it has no value). */
  public static List<String> env(Service s) {
    List<String> env = new ArrayList<>();
    s.environment().forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
    return env;
  }

  /** {@code service:db} (a namespace to share) becomes {@code container:<project>-db-1}. */
  public static @Nullable String containerReference(Project project, @Nullable String mode) {
    if (mode == null || !mode.startsWith("service:")) {
      return mode;
    }
    Service target = project.services().get(mode.substring("service:".length()));
    if (target == null) {
      return mode;
    }
    return "container:" + ContainerSpecs.containerName(project, target, 1);
  }

  /**
   * {@code db:ro} becomes {@code <project>-db-1:ro}; {@code container:x:ro} becomes {@code x:ro}.
   */
  public static String volumesFrom(Project project, String spec) {
    if (spec.startsWith("container:")) {
      return spec.substring("container:".length());
    }
    String[] parts = spec.split(":", 2);
    Service target = project.services().get(parts[0]);
    String name = target == null ? parts[0] : ContainerSpecs.containerName(project, target, 1);
    return parts.length == 2 ? name + ":" + parts[1] : name;
  }

  public static List<ContainerSpec.PortBinding> ports(Service s) {
    List<ContainerSpec.PortBinding> out = new ArrayList<>();
    for (PortConfig p : s.ports()) {
      out.add(new ContainerSpec.PortBinding(p.hostIp(), p.published(), p.target(), p.protocol()));
    }
    return out;
  }

  /** The service's {@code volumes}, named volumes by their engine names. */
  public static List<ContainerSpec.Mount> mounts(Project project, Service s) {
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

  /**
   * The secrets and configs written into the container before it starts: those given inline or by
   * an environment variable. File secrets and configs are bind-mounted read-only instead: they are
   * added to {@code mounts}.
   *
   * @param environment the environment the project was loaded with
   * @throws PlanException when one is undefined, external, or names an unset variable
   */
  public static List<ContainerSpec.FileContent> files(
      Project project,
      Service s,
      Map<String, String> environment,
      List<ContainerSpec.Mount> mounts) {
    List<ContainerSpec.FileContent> out = new ArrayList<>();
    for (int kind = 0; kind < 2; kind++) {
      boolean secret = kind == 0;
      List<FileReference> refs = secret ? s.secrets() : s.configs();
      Map<String, FileObject> defs = secret ? project.secrets() : project.configs();
      for (FileReference r : refs) {
        FileObject def = defs.get(r.source());
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
          text = environment.get(def.environment());
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
                text.getBytes(StandardCharsets.UTF_8),
                r.mode() == null ? 0444 : r.mode().bits(),
                r.uid(),
                r.gid()));
      }
    }
    return out;
  }

  /** Where a secret or config appears: an absolute target, else below the kind's directory. */
  private static String target(FileReference r, String dir) {
    String target = r.target();
    String t = target == null ? r.source() : target;
    return t.startsWith("/") ? t : dir + t;
  }

  /** {@code tmpfs} entries ({@code /run:size=1m}) as mount point to options. */
  public static Map<String, String> tmpfs(Service s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String t : s.tmpfs()) {
      int colon = t.indexOf(':');
      out.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
    }
    return out;
  }

  /** The healthcheck, or null to keep the image's. */
  public static ContainerSpec.@Nullable HealthSpec health(@Nullable Healthcheck h) {
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

  /** {@code restart}, else {@code deploy.restart_policy}, else null. */
  public static ContainerSpec.@Nullable RestartPolicy restart(Service s) {
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

  public static List<ContainerSpec.Ulimit> ulimits(Service s) {
    List<ContainerSpec.Ulimit> out = new ArrayList<>();
    for (Map.Entry<String, Ulimit> e : s.ulimits().entrySet()) {
      out.add(
          new ContainerSpec.Ulimit(
              e.getKey(), e.getValue().effectiveSoft(), e.getValue().effectiveHard()));
    }
    return out;
  }

  /** The limits: the service's own settings, else {@code deploy.resources}. */
  public static ContainerSpec.Resources resources(Service s) {
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
        s.oomScoreAdj(),
        s.cpuRtPeriod(),
        s.cpuRtRuntime(),
        s.cpuCount(),
        s.cpuPercent() == null ? null : Math.round(s.cpuPercent()),
        blkio(s.blkioConfig()));
  }

  /** {@code blkio_config}, or null when the service has none. */
  private static ContainerSpec.@Nullable Blkio blkio(io.jstack.compose.@Nullable BlkioConfig b) {
    if (b == null) {
      return null;
    }
    List<ContainerSpec.BlkioRate> weights = new ArrayList<>();
    for (io.jstack.compose.BlkioConfig.BlkioWeight w : b.weightDevice()) {
      if (w.path() != null && w.weight() != null) {
        weights.add(new ContainerSpec.BlkioRate(w.path(), w.weight()));
      }
    }
    return new ContainerSpec.Blkio(
        b.weight(),
        weights,
        rates(b.deviceReadBps()),
        rates(b.deviceReadIops()),
        rates(b.deviceWriteBps()),
        rates(b.deviceWriteIops()));
  }

  private static List<ContainerSpec.BlkioRate> rates(
      List<io.jstack.compose.BlkioConfig.BlkioLimit> limits) {
    List<ContainerSpec.BlkioRate> out = new ArrayList<>();
    for (io.jstack.compose.BlkioConfig.BlkioLimit l : limits) {
      if (l.path() != null && l.rate() != null) {
        out.add(new ContainerSpec.BlkioRate(l.path(), l.rate().bytes()));
      }
    }
    return out;
  }

  public static List<ContainerSpec.Device> devices(Service s) {
    return s.devices().stream()
        .map(d -> new ContainerSpec.Device(d.source(), d.target(), d.permissions()))
        .toList();
  }

  /** The logging driver and its options, or null for the engine's default. */
  public static ContainerSpec.@Nullable LogConfig logging(Service s) {
    return s.logging() == null
        ? null
        : new ContainerSpec.LogConfig(s.logging().driver(), s.logging().options());
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
