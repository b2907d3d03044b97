package io.jstack.planner.swarm;

import io.jstack.compose.Deploy;
import io.jstack.compose.FileObject;
import io.jstack.compose.FileReference;
import io.jstack.compose.Network;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What each Compose key becomes when jstack deploys a project to a Swarm, in one table that the
 * plan's warnings and refusals come from and that the README shows ({@link #markdownTable()}).
 *
 * <p>The reference is {@code docker stack deploy}: docker/cli's {@code cli/compose/types/types.go}
 * (the same lists on its 20.10 branch and on master) and {@code cli/command/stack/loader.go}. The
 * keys it passes over with "Ignoring unsupported options" ({@code build}, {@code cgroupns_mode},
 * {@code cgroup_parent}, {@code devices}, {@code domainname}, {@code external_links}, {@code ipc},
 * {@code links}, {@code mac_address}, {@code network_mode}, {@code pid}, {@code privileged}, {@code
 * restart}, {@code security_opt}, {@code shm_size}, {@code userns_mode}) and "Ignoring deprecated
 * options" ({@code container_name}, {@code expose}) are ignored here too, but with a warning that
 * names the services ({@code cgroupns_mode} is the Compose Specification's {@code cgroup}). The
 * keys it forbids are refused with its advice ({@code volumes_from}, {@code cpu_quota}, {@code
 * cpu_shares}, {@code cpuset}, {@code mem_limit}, {@code memswap_limit}), but for {@code extends},
 * which jstack resolves as it loads, and {@code volume_driver}, which jstack's loader does not
 * take. Its v3 schema refuses every other key it does not know (the Compose Specification's {@code
 * cpus}, {@code pids_limit}, {@code gpus}, {@code develop}, hooks...); jstack's model has them all,
 * so each has a row of its own. Where docker/cli lists a key as unsupported but converts it anyway
 * ({@code restart}, when {@code deploy.restart_policy} is absent), the row says what jstack's
 * {@link SwarmSpecs} does, which is the same.
 */
public final class SwarmFeatures {
  private SwarmFeatures() {}

  /** What a key becomes on a swarm. */
  public enum Treatment {
    /** A field of the Swarm service spec. */
    MAPPED("mapped"),
    /** Used by jstack as it loads the project; Swarm gets the result. */
    RESOLVED("resolved by jstack"),
    /** Kept as far as Swarm can, with a warning that says what to do. */
    WARNED("kept, with a warning"),
    /** Swarm has no form for it (or jstack none yet): deployed without it, with a warning. */
    IGNORED_WITH_WARNING("ignored, with a warning"),
    /** The plan fails, naming the service, the key and what to write instead. */
    REFUSED("refused");

    private final String label;

    Treatment(String label) {
      this.label = label;
    }

    /** How the README's table says it. */
    public String label() {
      return label;
    }
  }

  /**
   * What of a row's keys one service sets, as the file writes them ({@code cpu_shares}, {@code
   * networks.back.internal}) or what the message names (a bind's path, an image); none when it sets
   * nothing.
   */
  @FunctionalInterface
  interface Finder {
    List<String> find(Project project, Service service);
  }

  /** A row's messages for what the services set (service name to what it sets, by name). */
  @FunctionalInterface
  interface Sayer {
    List<String> say(Map<String, List<String>> found);
  }

  /**
   * One row: {@code key} as the README shows it (Markdown), its {@code treatment}, a {@code note}
   * that is the Swarm field of a mapped key and otherwise what to do (plain text, the tail of the
   * messages), and for warned, ignored and refused keys what a service sets and how that is said.
   */
  record Feature(String key, Treatment treatment, String note, Finder finder, Sayer sayer) {
    /** Whether this row has something to say about the services that set its key. */
    boolean checks() {
      return treatment == Treatment.WARNED
          || treatment == Treatment.IGNORED_WITH_WARNING
          || treatment == Treatment.REFUSED;
    }

    /**
     * What this row says of {@code project}: its warnings or refusals, by service name; the {@code
     * build} row passes over the services in {@code built}.
     */
    List<String> messages(Project project, Set<String> built) {
      Map<String, List<String>> found = new LinkedHashMap<>();
      for (Service s : project.services().values()) {
        if (this == BUILD && built.contains(s.name())) {
          continue;
        }
        List<String> what = finder.find(project, s);
        if (!what.isEmpty()) {
          found.put(s.name(), what);
        }
      }
      return found.isEmpty() ? List.of() : sayer.say(found);
    }
  }

  private static final Finder NOTHING = (p, s) -> List.of();
  private static final Sayer SILENT = found -> List.of();

  private static final String NOT_YET = "jstack does not convert it yet";
  private static final String CGROUP_TUNING =
      "Swarm sets only the limits and reservations of deploy.resources; use those, or remove it";
  private static final String NO_DEVICES =
      "Swarm has no device requests; the tasks run without the devices";

  private static final String NOT_PASSED = "not passed to Swarm by jstack yet; ";
  private static final String UNCONVERTED_MOUNT =
      "use a volume, a bind or a tmpfs mount (docker stack deploy converts npipe, cluster and"
          + " image mounts)";

  /** The mount types {@link SwarmSpecs} converts. */
  private static final Set<String> CONVERTED_MOUNTS =
      Set.of(VolumeMount.TYPE_VOLUME, VolumeMount.TYPE_BIND, VolumeMount.TYPE_TMPFS);

  /** The {@code build} row: said of the services that {@code up --build --push} did not build. */
  private static final Feature BUILD =
      new Feature(
          "`build`",
          Treatment.WARNED,
          "up --build --push builds it on the manager, pushes it to the registry its image"
              + " names and runs the pushed digest; without --push it is not run: with an"
              + " image, the service runs that image as the nodes or its registry have it (a"
              + " warning); without one, refused",
          (p, s) ->
              s.build() != null && s.image() != null && !s.image().isEmpty()
                  ? List.of(s.image())
                  : List.of(),
          found -> {
            List<String> out = new ArrayList<>();
            found.forEach(
                (service, image) ->
                    out.add(
                        "build: is not run on a swarm without up --build --push: service "
                            + service
                            + " runs image "
                            + image.get(0)
                            + " as it is on the nodes or in its registry"));
            return out;
          });

  private static final List<Feature> TABLE =
      List.of(
          ignored(
              "`annotations`",
              "Swarm has no container annotations",
              key("annotations", s -> !s.annotations().isEmpty())),
          new Feature(
              "`attach`",
              Treatment.RESOLVED,
              "nothing to attach: up --engine swarm follows no service's logs",
              NOTHING,
              SILENT),
          refused(
              "`blkio_config`, `cpu_count`, `cpu_percent`, `cpu_period`, `cpu_quota`,"
                  + " `cpu_rt_period`, `cpu_rt_runtime`, `cpu_shares`, `cpuset`,"
                  + " `mem_swappiness`, `memswap_limit`, `oom_kill_disable`",
              CGROUP_TUNING,
              keys(
                  Map.entry("blkio_config", s -> s.blkioConfig() != null),
                  Map.entry("cpu_count", s -> s.cpuCount() != null),
                  Map.entry("cpu_percent", s -> s.cpuPercent() != null),
                  Map.entry("cpu_period", s -> s.cpuPeriod() != null),
                  Map.entry("cpu_quota", s -> s.cpuQuota() != null),
                  Map.entry("cpu_rt_period", s -> s.cpuRtPeriod() != null),
                  Map.entry("cpu_rt_runtime", s -> s.cpuRtRuntime() != null),
                  Map.entry("cpu_shares", s -> s.cpuShares() != null),
                  Map.entry("cpuset", s -> s.cpuset() != null),
                  Map.entry("mem_swappiness", s -> s.memSwappiness() != null),
                  Map.entry("memswap_limit", s -> s.memswapLimit() != null),
                  Map.entry("oom_kill_disable", s -> s.oomKillDisable() != null))),
          BUILD,
          mapped(
              "`cap_add`, `cap_drop`",
              "ContainerSpec.CapabilityAdd, CapabilityDrop (API 1.41, Docker 20.10)"),
          ignored(
              "`cgroup`, `cgroup_parent`",
              "Swarm puts each task in cgroups of its own",
              keys(
                  Map.entry("cgroup", s -> s.cgroup() != null),
                  Map.entry("cgroup_parent", s -> s.cgroupParent() != null))),
          mapped("`command`", "ContainerSpec.Args"),
          mapped(
              "`configs`",
              "ContainerSpec.Configs; jstack names each config object by a hash of its content"),
          ignored(
              "`container_name`",
              "Swarm names each task itself (stack_service.slot.id)",
              key("container_name", s -> s.containerName() != null)),
          refused(
              "`cpus`",
              "set deploy.resources.limits.cpus instead",
              key("cpus", s -> s.cpus() != null)),
          ignored(
              "`credential_spec`",
              NOT_YET + " (docker stack deploy sends it as Privileges.CredentialSpec)",
              key("credential_spec", s -> s.credentialSpec() != null)),
          new Feature(
              "`depends_on`",
              Treatment.WARNED,
              "Swarm keeps no order: jstack creates the services in dependency order, and a warning"
                  + " names those that depend on others",
              key("depends_on", s -> !s.dependsOn().isEmpty()),
              found ->
                  List.of(
                      "depends_on is not kept by Swarm ("
                          + services(found.keySet())
                          + (found.size() == 1
                              ? "): it starts in any order; jstack created the services in"
                                  + " dependency order; make it wait for what it needs"
                              : "): they start in any order; jstack created them in dependency"
                                  + " order; make each one wait for what it needs"))),
          mapped("`deploy.endpoint_mode`", "EndpointSpec.Mode"),
          mapped("`deploy.labels`", "the service's Labels"),
          mapped(
              "`deploy.mode`",
              "Mode: replicated, global, replicated-job or global-job (any other is refused)"),
          mapped(
              "`deploy.placement`",
              "TaskTemplate.Placement: Constraints, Preferences, MaxReplicas"),
          mapped(
              "`deploy.replicas`",
              "Mode.Replicated.Replicas (refused with a global mode); ReplicatedJob's"
                  + " MaxConcurrent and TotalCompletions"),
          mapped(
              "`deploy.resources.limits`",
              "TaskTemplate.Resources.Limits: NanoCPUs, MemoryBytes, Pids"),
          mapped(
              "`deploy.resources.reservations`",
              "TaskTemplate.Resources.Reservations: NanoCPUs, MemoryBytes"),
          ignored(
              "`deploy.resources.reservations.devices`",
              NO_DEVICES,
              key(
                  "deploy.resources.reservations.devices",
                  s -> {
                    Deploy.Reservations r = reservations(s);
                    return r != null && !r.devices().isEmpty();
                  })),
          mapped(
              "`deploy.resources.reservations.generic_resources`",
              "TaskTemplate.Resources.Reservations.GenericResources (discrete kinds and counts)"),
          mapped("`deploy.restart_policy`", "TaskTemplate.RestartPolicy"),
          mapped("`deploy.rollback_config`", "RollbackConfig"),
          mapped("`deploy.update_config`", "UpdateConfig"),
          ignored(
              "`develop`",
              "watching files is for a local engine; a swarm runs images",
              key("develop", s -> s.develop() != null)),
          ignored(
              "`devices`, `device_cgroup_rules`",
              "Swarm passes no devices to tasks",
              keys(
                  Map.entry("devices", s -> !s.devices().isEmpty()),
                  Map.entry("device_cgroup_rules", s -> !s.deviceCgroupRules().isEmpty()))),
          mapped(
              "`dns`, `dns_opt`, `dns_search`",
              "ContainerSpec.DNSConfig: Nameservers, Options, Search (docker stack deploy does"
                  + " not know dns_opt)"),
          ignored(
              "`domainname`",
              "Swarm sets no domain name; give the full name as hostname",
              key("domainname", s -> s.domainname() != null)),
          mapped("`entrypoint`", "ContainerSpec.Command"),
          new Feature(
              "`env_file`",
              Treatment.RESOLVED,
              "read into environment as the project loads",
              NOTHING,
              SILENT),
          mapped("`environment`", "ContainerSpec.Env"),
          ignored(
              "`expose`",
              "services on a shared network reach each other on every port",
              key("expose", s -> !s.expose().isEmpty())),
          new Feature(
              "`extends`",
              Treatment.RESOLVED,
              "merged into the service as the project loads (docker stack deploy refuses it)",
              NOTHING,
              SILENT),
          ignored(
              "`external_links`, `links`",
              "services on a shared network reach each other by service name; give other names"
                  + " as aliases under networks",
              keys(
                  Map.entry("external_links", s -> !s.externalLinks().isEmpty()),
                  Map.entry("links", s -> !s.links().isEmpty()))),
          mapped("`extra_hosts`", "ContainerSpec.Hosts"),
          ignored("`gpus`", NO_DEVICES, key("gpus", s -> !s.gpus().isEmpty())),
          mapped("`group_add`", "ContainerSpec.Groups (docker stack deploy does not know the key)"),
          mapped("`healthcheck`", "ContainerSpec.Healthcheck (start_interval from API 1.44)"),
          mapped("`hostname`", "ContainerSpec.Hostname"),
          mapped(
              "`image`",
              "ContainerSpec.Image as written, not pinned to a digest (as docker stack deploy"
                  + " --resolve-image never); a service without one is refused"),
          mapped("`init`", "ContainerSpec.Init"),
          ignored(
              "`ipc`, `pid`, `uts`",
              "each task has namespaces of its own",
              keys(
                  Map.entry("ipc", s -> s.ipc() != null),
                  Map.entry("pid", s -> s.pid() != null),
                  Map.entry("uts", s -> s.uts() != null))),
          mapped("`isolation`", "ContainerSpec.Isolation"),
          new Feature(
              "`label_file`",
              Treatment.RESOLVED,
              "read into labels as the project loads",
              NOTHING,
              SILENT),
          mapped("`labels`", "ContainerSpec.Labels"),
          mapped("`logging`", "TaskTemplate.LogDriver"),
          ignored(
              "`mac_address`",
              "Swarm gives each task addresses of its own",
              key("mac_address", s -> s.macAddress() != null)),
          refused(
              "`mem_limit`",
              "set deploy.resources.limits.memory instead",
              key("mem_limit", s -> s.memLimit() != null)),
          refused(
              "`mem_reservation`",
              "set deploy.resources.reservations.memory instead",
              key("mem_reservation", s -> s.memReservation() != null)),
          refused(
              "`models`",
              "run the model as a service of its own and give its URL in environment",
              key("models", s -> !s.models().isEmpty())),
          ignored(
              "`network_mode`",
              "Swarm attaches tasks to networks; list them under networks (the host's as an"
                  + " external network named host)",
              key("network_mode", s -> s.networkMode() != null)),
          mapped(
              "`networks`",
              "TaskTemplate.Networks with aliases and driver_opts; jstack creates the project's"
                  + " networks as attachable overlay networks"),
          ignored(
              "`networks.<name>`: `ipv4_address`, `ipv6_address`, `link_local_ips`,"
                  + " `mac_address`, `interface_name`, `priority`, `gw_priority`",
              "Swarm gives each task addresses from the network's pool",
              SwarmFeatures::networkAddresses),
          ignored(
              "`oom_score_adj`",
              NOT_YET + " (docker stack deploy sends it as ContainerSpec.OomScoreAdj, API 1.46)",
              key("oom_score_adj", s -> s.oomScoreAdj() != null)),
          refused(
              "`pids_limit`",
              "set deploy.resources.limits.pids instead",
              key("pids_limit", s -> s.pidsLimit() != null)),
          ignored(
              "`platform`",
              "Swarm may place a task on any node; keep it to some with deploy.placement"
                  + " constraints on node.platform.arch and node.platform.os",
              key("platform", s -> s.platform() != null)),
          mapped(
              "`ports`", "EndpointSpec.Ports (a published range is refused: one port per entry)"),
          ignored(
              "`ports[].host_ip`",
              "Swarm publishes a port on every address of the nodes",
              (p, s) ->
                  s.ports().stream().map(PortConfig::hostIp).anyMatch(ip -> ip != null)
                      ? List.of("host_ip in ports")
                      : List.of()),
          ignored(
              "`post_start`, `pre_start`, `pre_stop`",
              "Swarm runs no lifecycle hooks; run the commands in the entrypoint",
              keys(
                  Map.entry("post_start", s -> !s.postStart().isEmpty()),
                  Map.entry("pre_start", s -> !s.preStart().isEmpty()),
                  Map.entry("pre_stop", s -> !s.preStop().isEmpty()))),
          ignored(
              "`privileged`",
              "Swarm runs no privileged tasks; add what the service needs with cap_add",
              key("privileged", Service::privileged)),
          new Feature(
              "`profiles`",
              Treatment.RESOLVED,
              "a service none of whose profiles is active is not in the project",
              NOTHING,
              SILENT),
          refused(
              "`provider`",
              "run what the provider makes outside the stack and give its address in environment",
              key("provider", s -> s.provider() != null)),
          ignored(
              "`pull_policy`, `pull_refresh_after`",
              "each node pulls the image when it does not have it",
              keys(
                  Map.entry("pull_policy", s -> s.pullPolicy() != null),
                  Map.entry("pull_refresh_after", s -> s.pullRefreshAfter() != null))),
          mapped("`read_only`", "ContainerSpec.ReadOnly"),
          mapped(
              "`restart`",
              "TaskTemplate.RestartPolicy when deploy.restart_policy is absent: always and"
                  + " unless-stopped as any, on-failure[:N] as on-failure (as docker stack deploy"
                  + " does, though it lists restart as unsupported)"),
          new Feature(
              "`restart: \"no\"`",
              Treatment.WARNED,
              "Swarm's default policy restarts tasks whatever their exit; a warning says to set"
                  + " deploy.restart_policy.condition: none",
              key(
                  "restart: \"no\"",
                  s ->
                      "no".equals(s.restart())
                          && (s.deploy() == null || s.deploy().restartPolicy() == null)),
              found ->
                  List.of(
                      "restart: \"no\" is not a Swarm restart policy ("
                          + services(found.keySet())
                          + "): Swarm restarts the tasks whatever their exit; set"
                          + " deploy.restart_policy.condition: none to keep them stopped")),
          ignored(
              "`runtime`",
              "Swarm runs tasks with each node's default runtime",
              key("runtime", s -> s.runtime() != null)),
          mapped(
              "`scale`",
              "Mode.Replicated.Replicas when deploy.replicas is absent (docker stack deploy does"
                  + " not know the key)"),
          mapped(
              "`secrets`",
              "ContainerSpec.Secrets; jstack names each secret object by a hash of its content"),
          ignored(
              "`security_opt`",
              "Swarm takes no security options from a stack",
              key("security_opt", s -> !s.securityOpt().isEmpty())),
          ignored(
              "`shm_size`",
              "mount a tmpfs at /dev/shm with that size instead",
              key("shm_size", s -> s.shmSize() != null)),
          mapped("`stdin_open`", "ContainerSpec.OpenStdin"),
          mapped("`stop_grace_period`", "ContainerSpec.StopGracePeriod"),
          mapped("`stop_signal`", "ContainerSpec.StopSignal"),
          ignored(
              "`storage_opt`",
              "Swarm has no storage options per task",
              key("storage_opt", s -> !s.storageOpt().isEmpty())),
          mapped("`sysctls`", "ContainerSpec.Sysctls (API 1.40)"),
          ignored(
              "`tmpfs`",
              "write it as a volumes entry of type: tmpfs",
              key("tmpfs", s -> !s.tmpfs().isEmpty())),
          mapped("`tty`", "ContainerSpec.TTY"),
          mapped("`ulimits`", "ContainerSpec.Ulimits (API 1.41)"),
          ignored(
              "`use_api_socket`",
              "bind the engine's socket with a volumes entry of type: bind",
              key("use_api_socket", s -> s.useApiSocket() != null)),
          mapped("`user`", "ContainerSpec.User"),
          ignored(
              "`userns_mode`",
              "user namespaces are each node's, set by its daemon (userns-remap)",
              key("userns_mode", s -> s.usernsMode() != null)),
          mapped(
              "`volumes` (type: volume)",
              "ContainerSpec.Mounts, by the volume's full name; each node makes the volume with"
                  + " the local driver when it lacks it"),
          refused(
              "`volumes` (type: volume) `volume.subpath`",
              "mount the whole volume",
              true,
              (p, s) ->
                  s.volumes().stream()
                      .filter(v -> v.volume() != null && v.volume().subpath() != null)
                      .map(v -> "volume.subpath of the mount at " + v.target())
                      .toList()),
          new Feature(
              "`volumes` (type: bind)",
              Treatment.WARNED,
              "ContainerSpec.Mounts; a warning names the paths, which must exist on every node"
                  + " the service may run on",
              (p, s) ->
                  List.copyOf(
                      new LinkedHashSet<>(
                          s.volumes().stream()
                              .filter(v -> v.type().equals(VolumeMount.TYPE_BIND))
                              .map(v -> String.valueOf(v.source()))
                              .toList())),
              found -> {
                List<String> out = new ArrayList<>();
                found.forEach(
                    (service, paths) ->
                        out.add(
                            "service "
                                + service
                                + " binds "
                                + String.join(", ", paths)
                                + (paths.size() == 1
                                    ? ": on a swarm that path must exist"
                                    : ": on a swarm those paths must exist")
                                + " on every node the service may run on"));
                return out;
              }),
          mapped("`volumes` (type: tmpfs)", "ContainerSpec.Mounts with TmpfsOptions"),
          refused(
              "`volumes` (type: npipe, cluster, image)",
              UNCONVERTED_MOUNT,
              true,
              (p, s) ->
                  s.volumes().stream()
                      .filter(v -> !CONVERTED_MOUNTS.contains(v.type()))
                      .map(SwarmFeatures::mount)
                      .toList()),
          refused(
              "`volumes_from`",
              "define the volume under the top-level volumes and mount it in each service that"
                  + " shares it",
              key("volumes_from", s -> !s.volumesFrom().isEmpty())),
          mapped("`working_dir`", "ContainerSpec.Dir"),
          refused(
              "top-level `configs`, `secrets`: `driver`, `template_driver`",
              "create the object with docker config create or docker secret create and mark it"
                  + " external: true",
              true,
              SwarmFeatures::objectDrivers),
          mapped(
              "top-level `networks`: `driver_opts`, `ipam`, `internal`, `enable_ipv6`, `labels`",
              "the overlay network's Options, IPAM (driver, subnet, ip_range, gateway,"
                  + " aux_addresses, options), Internal, EnableIPv6 and Labels; every network"
                  + " jstack creates is attachable"),
          refused(
              "top-level `networks`: `driver` (other than overlay)",
              "a swarm's networks are overlay networks: drop the driver, or create the network"
                  + " yourself and mark it external: true",
              false,
              SwarmFeatures::networkDrivers),
          mapped(
              "top-level `volumes`: `driver`, `driver_opts`, `labels`",
              "the volume mount's VolumeOptions.DriverConfig and Labels: each node makes the"
                  + " volume with them when it lacks it"));

  /** The table, in the README's order. */
  static List<Feature> table() {
    return TABLE;
  }

  /**
   * The warnings a plan of {@code project} gives for what Swarm keeps only in part or not at all,
   * by row of the table, then by service name.
   */
  public static List<String> warnings(Project project) {
    return warnings(project, Set.of());
  }

  /**
   * As {@link #warnings(Project)}, for a plan where {@code up --build --push} built and pushed the
   * images of the services {@code built}.
   */
  public static List<String> warnings(Project project, Set<String> built) {
    return messages(
        project,
        built,
        f -> f.treatment() == Treatment.WARNED || f.treatment() == Treatment.IGNORED_WITH_WARNING);
  }

  /** What {@code project} sets that Swarm cannot take, one line each, as {@link #refuse} says. */
  public static List<String> refusals(Project project) {
    return messages(project, Set.of(), f -> f.treatment() == Treatment.REFUSED);
  }

  /**
   * Checks that {@code project} sets nothing the table refuses.
   *
   * @throws IllegalArgumentException naming each service, what it sets and what to write instead, a
   *     line each
   */
  public static void refuse(Project project) {
    List<String> refusals = refusals(project);
    if (!refusals.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", refusals));
    }
  }

  /** The table as Markdown (columns: Compose key, On Swarm, Note), as the README shows it. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder("| Compose key | On Swarm | Note |\n|---|---|---|\n");
    for (Feature f : TABLE) {
      out.append("| ")
          .append(f.key())
          .append(" | ")
          .append(f.treatment().label())
          .append(" | ")
          .append(f.note().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * Why {@link SwarmSpecs} cannot convert mount {@code v} of service {@code service}: the same line
   * the plan's refusal gives.
   */
  static String unconvertedMount(String service, VolumeMount v) {
    return refusal(service, List.of(mount(v)), true, NOT_PASSED + UNCONVERTED_MOUNT);
  }

  private static List<String> messages(
      Project project, Set<String> built, Predicate<Feature> which) {
    List<String> out = new ArrayList<>();
    for (Feature f : TABLE) {
      if (which.test(f)) {
        out.addAll(f.messages(project, built));
      }
    }
    return out;
  }

  private static Feature mapped(String key, String field) {
    return new Feature(key, Treatment.MAPPED, field, NOTHING, SILENT);
  }

  /** A key Swarm has no form for: one warning naming what is set and the services that set it. */
  private static Feature ignored(String key, String note, Finder finder) {
    return new Feature(
        key,
        Treatment.IGNORED_WITH_WARNING,
        note,
        finder,
        found -> {
          Set<String> what = new TreeSet<>();
          found.values().forEach(what::addAll);
          return List.of(
              String.join(", ", what)
                  + (what.size() == 1 ? " is" : " are")
                  + " ignored on a swarm ("
                  + services(found.keySet())
                  + "): "
                  + note);
        });
  }

  private static Feature refused(String key, String note, Finder finder) {
    return refused(key, note, false, finder);
  }

  /**
   * A key the plan refuses, a line per service; {@code notYet} when Swarm has a form for it that
   * jstack does not send yet, which the note then says first.
   */
  private static Feature refused(String key, String advice, boolean notYet, Finder finder) {
    String note = notYet ? NOT_PASSED + advice : advice;
    return new Feature(
        key,
        Treatment.REFUSED,
        note,
        finder,
        found -> {
          List<String> out = new ArrayList<>();
          found.forEach((service, what) -> out.add(refusal(service, what, notYet, note)));
          return out;
        });
  }

  private static String refusal(String service, List<String> what, boolean notYet, String note) {
    boolean one = what.size() == 1;
    return "service "
        + service
        + ": "
        + String.join(", ", what)
        + (notYet ? (one ? " is " : " are ") : (one ? " has" : " have") + " no Swarm form; ")
        + note;
  }

  /** "service web" or "services api, web". */
  private static String services(Set<String> names) {
    return (names.size() == 1 ? "service " : "services ") + String.join(", ", names);
  }

  private static Finder key(String name, Predicate<Service> set) {
    return (p, s) -> set.test(s) ? List.of(name) : List.of();
  }

  @SafeVarargs
  private static Finder keys(Map.Entry<String, Predicate<Service>>... keys) {
    return (p, s) -> {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Predicate<Service>> k : keys) {
        if (k.getValue().test(s)) {
          out.add(k.getKey());
        }
      }
      return out;
    };
  }

  private static Deploy.@Nullable Reservations reservations(Service s) {
    return s.deploy() == null || s.deploy().resources() == null
        ? null
        : s.deploy().resources().reservations();
  }

  private static String mount(VolumeMount v) {
    return "the " + v.type() + " mount at " + v.target();
  }

  private static List<String> networkAddresses(Project project, Service s) {
    List<String> out = new ArrayList<>();
    s.networks()
        .forEach(
            (name, sn) -> {
              if (sn == null) {
                return;
              }
              String at = "networks." + name + ".";
              addIf(out, sn.ipv4Address() != null, at + "ipv4_address");
              addIf(out, sn.ipv6Address() != null, at + "ipv6_address");
              addIf(out, !sn.linkLocalIps().isEmpty(), at + "link_local_ips");
              addIf(out, sn.macAddress() != null, at + "mac_address");
              addIf(out, sn.interfaceName() != null, at + "interface_name");
              addIf(out, sn.priority() != null, at + "priority");
              addIf(out, sn.gwPriority() != null, at + "gw_priority");
            });
    return out;
  }

  /** The drivers other than overlay of the networks {@code s} is on. */
  private static List<String> networkDrivers(Project project, Service s) {
    List<String> out = new ArrayList<>();
    Set<String> used = s.networks().isEmpty() ? Set.of("default") : s.networks().keySet();
    for (String name : new TreeSet<>(used)) {
      Network n = project.networks().get(name);
      if (n != null && !n.external()) {
        addIf(
            out,
            n.driver() != null && !n.driver().equals("overlay"),
            "networks." + name + ".driver");
      }
    }
    return out;
  }

  /** The drivers of the configs and secrets {@code s} uses. */
  private static List<String> objectDrivers(Project project, Service s) {
    List<String> out = new ArrayList<>();
    objectDrivers(out, "configs", s.configs(), project.configs());
    objectDrivers(out, "secrets", s.secrets(), project.secrets());
    return out;
  }

  private static void objectDrivers(
      List<String> out, String kind, List<FileReference> refs, Map<String, FileObject> defined) {
    for (FileReference r : refs) {
      FileObject fo = defined.get(r.source());
      if (fo == null || fo.external()) {
        continue;
      }
      String at = kind + "." + r.source() + ".";
      addIf(out, fo.driver() != null, at + "driver");
      addIf(out, fo.templateDriver() != null, at + "template_driver");
    }
  }

  private static void addIf(List<String> out, boolean set, String what) {
    if (set) {
      out.add(what);
    }
  }
}
