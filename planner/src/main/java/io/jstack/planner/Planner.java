package io.jstack.planner;

import io.jstack.compose.ConfigHash;
import io.jstack.compose.DependsOn;
import io.jstack.compose.Network;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.Volume;
import io.jstack.compose.VolumeMount;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.planner.internal.ConfigDiff;
import io.jstack.planner.internal.PlanBuilder;
import io.jstack.planner.internal.PlanBuilder.Node;
import io.jstack.planner.internal.ServiceSettings;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.CreateContainer;
import io.jstack.planner.step.CreateNetwork;
import io.jstack.planner.step.CreateVolume;
import io.jstack.planner.step.PullImage;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.RemoveImage;
import io.jstack.planner.step.RemoveNetwork;
import io.jstack.planner.step.RemoveVolume;
import io.jstack.planner.step.RenameContainer;
import io.jstack.planner.step.StartContainer;
import io.jstack.planner.step.StopContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reconciler: from the desired project and what the engine has, the smallest plan that brings
 * the one to the other, converging as Docker Compose does.
 */
public final class Planner {
  private final Project project;
  private final ObservedState observed;
  private final ContainerSpecs.Origin origin;
  private final ServiceGraph graph;
  private final Set<String> knownServices;

  /** The observed containers by service, in the observed order; looked up once per service. */
  private final Map<String, List<ContainerInfo>> containersByService = new HashMap<>();

  /**
   * A planner for {@code project} against {@code observed}.
   *
   * @param disabled the services profiles switch off: their containers are not orphans
   */
  public Planner(
      Project project, Set<String> disabled, ObservedState observed, ContainerSpecs.Origin origin) {
    this.project = project;
    this.observed = observed;
    this.origin = origin;
    this.graph = ServiceGraph.of(project);
    this.knownServices = new TreeSet<>(project.services().keySet());
    this.knownServices.addAll(disabled);
    for (ContainerInfo c : observed.containers()) {
      String service = c.label(ComposeLabels.SERVICE);
      if (service != null) {
        containersByService.computeIfAbsent(service, k -> new ArrayList<>()).add(c);
      }
    }
  }

  /** What {@link ObservedState#containersOf} says, without a pass over every container. */
  private List<ContainerInfo> containersOf(String service) {
    return containersByService.getOrDefault(service, List.of());
  }

  /**
   * The plan of {@code up}.
   *
   * @throws PlanException when the project cannot be brought up (an unknown service, a missing
   *     external network, an image that may not be pulled, ...)
   */
  public Plan up(UpOptions options) {
    return new Up(options).plan();
  }

  /** The plan of {@code down}. */
  public Plan down(DownOptions options) {
    return new Down(options).plan();
  }

  /**
   * Starts the stopped containers of {@code services} (all when empty), each after the services it
   * depends on: {@code start}. Nothing is created.
   */
  public Plan start(List<String> services) {
    PlanBuilder plan = new PlanBuilder();
    Map<String, List<Node>> starts = new HashMap<>();
    for (String name : graph.order()) {
      if (!services.isEmpty() && !services.contains(name)) {
        continue;
      }
      List<Node> after = new ArrayList<>();
      graph.dependencies(name).forEach(d -> after.addAll(starts.getOrDefault(d, List.of())));
      List<Node> mine = new ArrayList<>();
      for (ContainerInfo c : observed.containersOf(name)) {
        if (!c.isRunning()) {
          mine.add(
              plan.add(new io.jstack.planner.step.StartContainer(c.name()), name, "start", after));
        }
      }
      starts.put(name, mine);
    }
    return plan.build();
  }

  /**
   * Sends {@code signal} to every running container of {@code services}, all at once: {@code kill}.
   */
  public Plan kill(List<String> services, String signal) {
    PlanBuilder plan = new PlanBuilder();
    for (String name : graph.order()) {
      if (services.isEmpty() || services.contains(name)) {
        for (ContainerInfo c : observed.containersOf(name)) {
          if (c.isRunning()) {
            plan.add(new io.jstack.planner.step.KillContainer(c.name(), signal), name, "kill");
          }
        }
      }
    }
    return plan.build();
  }

  /** Pauses (or unpauses) every container of {@code services}: {@code pause}, {@code unpause}. */
  public Plan pause(List<String> services, boolean pause) {
    PlanBuilder plan = new PlanBuilder();
    for (String name : graph.order()) {
      if (services.isEmpty() || services.contains(name)) {
        for (ContainerInfo c : observed.containersOf(name)) {
          boolean applies =
              pause
                  ? c.state() == ContainerInfo.State.RUNNING
                  : c.state() == ContainerInfo.State.PAUSED;
          if (applies) {
            plan.add(
                new io.jstack.planner.step.PauseContainer(c.name(), pause),
                name,
                pause ? "pause" : "unpause");
          }
        }
      }
    }
    return plan.build();
  }

  /**
   * Stops the running containers of {@code services} (all when empty), dependents before what they
   * depend on, without removing anything: {@code stop}, and Ctrl-C in an attached {@code up}.
   *
   * @param timeout {@code -t}, or null for each service's grace period
   */
  public Plan stop(List<String> services, java.time.Duration timeout) {
    PlanBuilder plan = new PlanBuilder();
    Map<String, List<Node>> stops = new HashMap<>();
    List<String> reverse = new ArrayList<>(graph.order());
    java.util.Collections.reverse(reverse);
    for (String name : reverse) {
      if (!services.isEmpty() && !services.contains(name)) {
        continue;
      }
      Service s = project.services().get(name);
      List<Node> after = new ArrayList<>();
      graph.dependents(name).forEach(d -> after.addAll(stops.getOrDefault(d, List.of())));
      List<Node> mine = new ArrayList<>();
      for (ContainerInfo c : observed.containersOf(name)) {
        if (c.isRunning()) {
          mine.add(
              plan.add(
                  new StopContainer(
                      c.name(), s.stopSignal(), ServiceSettings.stopTimeout(s, timeout)),
                  name,
                  "stop",
                  after));
        }
      }
      stops.put(name, mine);
    }
    return plan.build();
  }

  private final class Up {
    final UpOptions options;
    final PlanBuilder plan = new PlanBuilder();
    final Map<String, Node> networkOps = new HashMap<>();
    final Map<String, Node> volumeOps = new HashMap<>();
    final Map<String, Node> imageOps = new HashMap<>();
    final Map<String, List<Node>> createOps = new HashMap<>();
    final Map<String, List<Node>> startOps = new HashMap<>();
    final Map<String, Node> awaits = new HashMap<>();
    final Set<String> restarted = new LinkedHashSet<>();
    final List<String> selected;
    final Set<String> selectedSet;

    Up(UpOptions options) {
      this.options = options;
      for (String s : options.services()) {
        if (!project.services().containsKey(s)) {
          throw new PlanException(
              "no such service: "
                  + s
                  + " (services: "
                  + String.join(", ", project.services().keySet())
                  + ")");
        }
      }
      Set<String> chosen =
          options.services().isEmpty()
              ? project.services().keySet()
              : options.noDeps()
                  ? new TreeSet<>(options.services())
                  : graph.withDependencies(options.services());
      this.selected = graph.order().stream().filter(chosen::contains).toList();
      this.selectedSet = new HashSet<>(selected);
    }

    Plan plan() {
      for (String name : selected) {
        Service s = project.services().get(name);
        networks(s);
        volumes(s);
        image(s);
      }
      for (String name : selected) {
        containers(project.services().get(name));
      }
      restartDependents();
      orphans();
      if (options.waitReady() && !options.noStart()) {
        for (String name : selected) {
          Service s = project.services().get(name);
          List<String> names = containerNames(s);
          if (!names.isEmpty()) {
            plan.add(
                new AwaitService(name, AwaitService.Condition.RUNNING_OR_HEALTHY, names),
                name,
                "--wait",
                startOps.getOrDefault(name, List.of()));
          }
        }
      }
      return plan.build();
    }

    void networks(Service s) {
      if (s.networkMode() != null) {
        return;
      }
      for (String key : new TreeSet<>(s.networks().keySet())) {
        if (networkOps.containsKey(key)) {
          continue;
        }
        Network n = project.networks().get(key);
        NetworkInfo existing = observed.networks().get(n.name());
        if (n.external()) {
          if (existing == null) {
            throw new PlanException(
                "network "
                    + n.name()
                    + " declared as external, but could not be found: create it"
                    + " first (docker network create "
                    + n.name()
                    + ")");
          }
          networkOps.put(key, null);
          continue;
        }
        String hash = ConfigHash.of(n);
        if (existing == null) {
          networkOps.put(
              key, plan.add(new CreateNetwork(networkSpec(key, n, hash)), null, "no network"));
        } else {
          String had = existing.labels().get(ComposeLabels.CONFIG_HASH);
          if (had != null && !had.equals(hash)) {
            throw new PlanException(
                "network "
                    + n.name()
                    + " exists with other settings than the compose file's:"
                    + " run jstack down to remove it, then up again");
          }
          networkOps.put(key, null);
        }
      }
    }

    void volumes(Service s) {
      for (VolumeMount m : s.volumes()) {
        if (!"volume".equals(m.type()) || m.source() == null || volumeOps.containsKey(m.source())) {
          continue;
        }
        Volume v = project.volumes().get(m.source());
        if (v == null) {
          continue;
        }
        VolumeInfo existing = observed.volumes().get(v.name());
        if (v.external()) {
          if (existing == null) {
            throw new PlanException(
                "volume "
                    + v.name()
                    + " declared as external, but could not be found: create it"
                    + " first (docker volume create "
                    + v.name()
                    + ")");
          }
          volumeOps.put(m.source(), null);
        } else if (existing == null) {
          volumeOps.put(
              m.source(), plan.add(new CreateVolume(volumeSpec(m.source(), v)), null, "no volume"));
        } else {
          volumeOps.put(m.source(), null);
        }
      }
    }

    void image(Service s) {
      String ref = ContainerSpecs.imageOf(project, s);
      if (imageOps.containsKey(ref)) {
        return;
      }
      boolean present = observed.images().getOrDefault(ref, Optional.empty()).isPresent();
      String policy =
          options.pull() != null
              ? options.pull()
              : s.pullPolicy() != null ? s.pullPolicy() : "missing";
      if (s.image() == null) {
        if (!present) {
          throw new PlanException(
              "service \""
                  + s.name()
                  + "\" has no image and its image "
                  + ref
                  + " is not built:"
                  + " building is not supported yet, build it first (docker build -t "
                  + ref
                  + " "
                  + (s.build() == null ? "." : s.build().context())
                  + ")");
        }
        imageOps.put(ref, null);
        return;
      }
      Node pull = null;
      switch (policy) {
        case "always" -> pull = plan.add(new PullImage(ref, true), s.name(), "pull_policy: always");
        case "never" -> {
          if (!present) {
            throw new PlanException(
                "service \""
                    + s.name()
                    + "\" has pull_policy never, but image "
                    + ref
                    + " is not present: pull it first, or change the policy");
          }
        }
        case "build" -> {
          if (!present) {
            throw new PlanException(
                "service \""
                    + s.name()
                    + "\" must be built (pull_policy: build), which is not"
                    + " supported yet: build "
                    + ref
                    + " first");
          }
        }
        default -> {
          if (!present) {
            pull = plan.add(new PullImage(ref, false), s.name(), "image not present");
          }
        }
      }
      imageOps.put(ref, pull);
    }

    void containers(Service s) {
      String name = s.name();
      int wanted = ContainerSpecs.replicas(s, options.scale());
      Map<Integer, ContainerInfo> existing = new TreeMap<>();
      List<ContainerInfo> extra = new ArrayList<>();
      for (ContainerInfo c : containersOf(name)) {
        Integer number = number(c);
        if (number == null || existing.containsKey(number)) {
          extra.add(c);
        } else {
          existing.put(number, c);
        }
      }
      List<Node> creates = new ArrayList<>();
      List<Node> starts = new ArrayList<>();
      String imageRef = ContainerSpecs.imageOf(project, s);
      String imageId =
          observed
              .images()
              .getOrDefault(imageRef, Optional.empty())
              .map(ImageInfo::id)
              .orElse(null);
      List<Node> createDeps = createDependencies(s, imageRef);

      // Scale down: the highest numbers go.
      List<ContainerInfo> surplus = new ArrayList<>(extra);
      existing.forEach(
          (n, c) -> {
            if (n > wanted) {
              surplus.add(c);
            }
          });
      surplus.sort(Comparator.comparing(ContainerInfo::name).reversed());
      String scaleReason = "scale " + (existing.size() + extra.size()) + " -> " + wanted;
      for (ContainerInfo c : surplus) {
        Node stop = c.isRunning() ? plan.add(stop(s, c.name()), name, scaleReason) : null;
        plan.add(new RemoveContainer(c.name(), false), name, scaleReason, stop);
      }

      for (int n = 1; n <= wanted; n++) {
        String cname = ContainerSpecs.containerName(project, s, n);
        ContainerInfo c = existing.get(n);
        if (c == null) {
          Node create =
              plan.add(
                  new CreateContainer(ContainerSpecs.spec(project, s, cname, n, imageId, origin)),
                  name,
                  wanted > existing.size() && !existing.isEmpty()
                      ? "scale " + existing.size() + " -> " + wanted
                      : "no container",
                  createDeps);
          creates.add(create);
          if (!options.noStart()) {
            starts.add(
                plan.add(new StartContainer(cname), name, "no container", withWaits(s, create)));
          }
          continue;
        }
        String reason = recreateReason(c, s, imageId);
        if (reason != null) {
          String temp = c.id().substring(0, Math.min(12, c.id().length())) + "_" + cname;
          ContainerSpec spec = ContainerSpecs.spec(project, s, temp, n, imageId, origin);
          Node create = plan.add(new CreateContainer(spec), name, reason, createDeps);
          creates.add(create);
          Node stop = c.isRunning() ? plan.add(stop(s, c.name()), name, reason, create) : null;
          Node remove =
              plan.add(
                  new RemoveContainer(c.name(), false), name, reason, stop == null ? create : stop);
          Node rename = plan.add(new RenameContainer(temp, cname), name, reason, remove);
          if (!options.noStart()) {
            starts.add(plan.add(new StartContainer(cname), name, reason, withWaits(s, rename)));
          }
        } else if (!c.isRunning() && !options.noStart()) {
          starts.add(plan.add(new StartContainer(cname), name, "not running", withWaits(s, null)));
        }
      }
      createOps.put(name, creates);
      startOps.put(name, starts);
      if (!starts.isEmpty()) {
        restarted.add(name);
      }
    }

    /**
     * What a service's containers are created after: networks, volumes, image, shared namespaces.
     */
    List<Node> createDependencies(Service s, String imageRef) {
      List<Node> deps = new ArrayList<>();
      if (s.networkMode() == null) {
        s.networks().keySet().forEach(k -> deps.add(networkOps.get(k)));
      }
      for (VolumeMount m : s.volumes()) {
        if ("volume".equals(m.type()) && m.source() != null) {
          deps.add(volumeOps.get(m.source()));
        }
      }
      deps.add(imageOps.get(imageRef));
      for (String ref : sharedWith(s)) {
        deps.addAll(createOps.getOrDefault(ref, List.of()));
      }
      return deps;
    }

    /** Services whose containers this one joins or mounts from: they must exist first. */
    List<String> sharedWith(Service s) {
      List<String> out = new ArrayList<>();
      for (String mode : new String[] {s.networkMode(), s.ipc(), s.pid()}) {
        if (mode != null && mode.startsWith("service:")) {
          out.add(mode.substring("service:".length()));
        }
      }
      for (String from : s.volumesFrom()) {
        if (!from.startsWith("container:")) {
          out.add(from.split(":", 2)[0]);
        }
      }
      return out;
    }

    /** {@code first} plus the waits for every dependency's condition. */
    List<Node> withWaits(Service s, Node first) {
      List<Node> deps = new ArrayList<>();
      deps.add(first);
      for (Map.Entry<String, DependsOn> e : new TreeMap<>(s.dependsOn()).entrySet()) {
        String dep = e.getKey();
        if (!selectedSet.contains(dep)) {
          continue;
        }
        Service d = project.services().get(dep);
        AwaitService.Condition condition = AwaitService.Condition.of(e.getValue().condition());
        String key = dep + "\u0000" + condition;
        Node await = awaits.get(key);
        if (await == null) {
          await =
              plan.add(
                  new AwaitService(dep, condition, containerNames(d)),
                  dep,
                  "needed by " + s.name(),
                  startOps.getOrDefault(dep, List.of()));
          awaits.put(key, await);
        }
        deps.add(await);
      }
      return deps;
    }

    List<String> containerNames(Service s) {
      List<String> names = new ArrayList<>();
      int wanted = ContainerSpecs.replicas(s, options.scale());
      for (int n = 1; n <= wanted; n++) {
        names.add(ContainerSpecs.containerName(project, s, n));
      }
      return names;
    }

    String recreateReason(ContainerInfo c, Service s, String imageId) {
      if (options.forceRecreate()) {
        return "--force-recreate";
      }
      if (options.noRecreate()) {
        return null;
      }
      if (!ConfigHash.of(s).equals(c.label(ComposeLabels.CONFIG_HASH))) {
        String what =
            ConfigDiff.describe(c.label(ComposeLabels.JSTACK_CONFIG), ConfigHash.canonicalJson(s));
        return what.isEmpty() ? "config changed" : "config changed: " + what;
      }
      String had =
          c.label(ComposeLabels.IMAGE) != null ? c.label(ComposeLabels.IMAGE) : c.imageId();
      if (imageId != null && had != null && !imageId.equals(had)) {
        return "image changed";
      }
      return null;
    }

    /** Services with {@code restart: true} on a dependency that is (re)started are restarted. */
    void restartDependents() {
      for (String name : selected) {
        if (restarted.contains(name) || options.noStart()) {
          continue;
        }
        Service s = project.services().get(name);
        List<Node> after = new ArrayList<>();
        String because = null;
        for (Map.Entry<String, DependsOn> e : new TreeMap<>(s.dependsOn()).entrySet()) {
          if (e.getValue().restart() && restarted.contains(e.getKey())) {
            after.addAll(startOps.getOrDefault(e.getKey(), List.of()));
            because = because == null ? e.getKey() : because;
          }
        }
        if (because == null) {
          continue;
        }
        List<Node> starts = new ArrayList<>();
        for (ContainerInfo c : containersOf(name)) {
          if (!c.isRunning()) {
            continue;
          }
          String reason = "dependency " + because + " restarted";
          Node stop = plan.add(stop(s, c.name()), name, reason, after);
          starts.add(plan.add(new StartContainer(c.name()), name, reason, withWaits(s, stop)));
        }
        startOps.put(name, starts);
      }
    }

    void orphans() {
      List<ContainerInfo> orphans = new ArrayList<>();
      for (ContainerInfo c : observed.containers()) {
        if (!knownServices.contains(c.label(ComposeLabels.SERVICE))) {
          orphans.add(c);
        }
      }
      if (orphans.isEmpty()) {
        return;
      }
      if (!options.removeOrphans()) {
        plan.warn(
            "Found orphan containers ("
                + String.join(", ", orphans.stream().map(ContainerInfo::name).toList())
                + ") for this project. If you removed or renamed this service in your compose file,"
                + " you can run this command with the --remove-orphans flag to clean it up.");
        return;
      }
      for (ContainerInfo c : orphans) {
        String service = c.label(ComposeLabels.SERVICE);
        Node stop =
            c.isRunning()
                ? plan.add(
                    new StopContainer(c.name(), null, ServiceSettings.DEFAULT_STOP_TIMEOUT),
                    service,
                    "orphan")
                : null;
        plan.add(new RemoveContainer(c.name(), false), service, "orphan", stop);
      }
    }
  }

  private final class Down {
    final DownOptions options;
    final PlanBuilder plan = new PlanBuilder();

    Down(DownOptions options) {
      this.options = options;
    }

    Plan plan() {
      Map<String, List<ContainerInfo>> byService = new TreeMap<>();
      List<ContainerInfo> orphans = new ArrayList<>();
      for (ContainerInfo c : observed.containers()) {
        String service = c.label(ComposeLabels.SERVICE);
        if (knownServices.contains(service)) {
          byService.computeIfAbsent(service, k -> new ArrayList<>()).add(c);
        } else {
          orphans.add(c);
        }
      }
      Map<String, List<Node>> stops = new LinkedHashMap<>();
      List<Node> removals = new ArrayList<>();
      List<String> reverse = new ArrayList<>(graph.order());
      java.util.Collections.reverse(reverse);
      // Services the model no longer has, but whose containers it still knows (disabled ones).
      byService.keySet().stream().filter(s -> !graph.contains(s)).forEach(reverse::add);
      for (String service : reverse) {
        List<ContainerInfo> containers = byService.getOrDefault(service, List.of());
        List<Node> after = new ArrayList<>();
        if (graph.contains(service)) {
          graph.dependents(service).forEach(d -> after.addAll(stops.getOrDefault(d, List.of())));
        }
        List<Node> mine = new ArrayList<>();
        Service s = project.services().get(service);
        for (ContainerInfo c : containers) {
          Node stop =
              c.isRunning()
                  ? plan.add(
                      new StopContainer(
                          c.name(),
                          s == null ? null : s.stopSignal(),
                          ServiceSettings.stopTimeout(s, options.timeout())),
                      service,
                      "down",
                      after)
                  : null;
          if (stop != null) {
            mine.add(stop);
          }
          removals.add(
              plan.add(
                  new RemoveContainer(c.name(), options.removeVolumes()),
                  service,
                  "down",
                  stop == null ? after : List.of(stop)));
        }
        stops.put(service, mine);
      }
      // One-off (run) containers go with the project, as in Docker Compose.
      for (ContainerInfo c : observed.oneOffs()) {
        Node stop =
            c.isRunning()
                ? plan.add(
                    new StopContainer(
                        c.name(), null, ServiceSettings.stopTimeout(null, options.timeout())),
                    c.label(ComposeLabels.SERVICE),
                    "one-off")
                : null;
        removals.add(
            plan.add(
                new RemoveContainer(c.name(), options.removeVolumes()),
                c.label(ComposeLabels.SERVICE),
                "one-off",
                stop));
      }
      if (!orphans.isEmpty()) {
        if (options.removeOrphans()) {
          for (ContainerInfo c : orphans) {
            Node stop =
                c.isRunning()
                    ? plan.add(
                        new StopContainer(
                            c.name(), null, ServiceSettings.stopTimeout(null, options.timeout())),
                        c.label(ComposeLabels.SERVICE),
                        "orphan")
                    : null;
            removals.add(
                plan.add(
                    new RemoveContainer(c.name(), options.removeVolumes()),
                    c.label(ComposeLabels.SERVICE),
                    "orphan",
                    stop));
          }
        } else {
          plan.warn(
              "Found orphan containers ("
                  + String.join(", ", orphans.stream().map(ContainerInfo::name).toList())
                  + ") for this project. If you removed or renamed this service in your compose file,"
                  + " you can run this command with the --remove-orphans flag to clean it up.");
        }
      }
      for (NetworkInfo n : observed.networks().values()) {
        if (project.name().equals(n.labels().get(ComposeLabels.PROJECT))) {
          plan.add(new RemoveNetwork(n.name()), null, "down", removals);
        }
      }
      if (options.removeVolumes()) {
        for (VolumeInfo v : observed.volumes().values()) {
          if (project.name().equals(v.labels().get(ComposeLabels.PROJECT))) {
            plan.add(new RemoveVolume(v.name()), null, "down -v", removals);
          }
        }
      }
      if (options.removeImages() != null) {
        Set<String> refs = new TreeSet<>();
        for (Service s : project.services().values()) {
          if (options.removeImages().equals("all") || s.image() == null) {
            String ref = ContainerSpecs.imageOf(project, s);
            if (observed.images().getOrDefault(ref, Optional.empty()).isPresent()) {
              refs.add(ref);
            }
          }
        }
        for (String ref : refs) {
          plan.add(new RemoveImage(ref), null, "--rmi " + options.removeImages(), removals);
        }
      }
      return plan.build();
    }
  }

  private StopContainer stop(Service s, String container) {
    return new StopContainer(container, s.stopSignal(), ServiceSettings.stopTimeout(s, null));
  }

  private static Integer number(ContainerInfo c) {
    try {
      return Integer.valueOf(c.label(ComposeLabels.CONTAINER_NUMBER));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private NetworkSpec networkSpec(String key, Network n, String hash) {
    Map<String, String> labels = new TreeMap<>(n.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.NETWORK, key);
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    labels.put(ComposeLabels.CONFIG_HASH, hash);
    List<NetworkSpec.IpamPool> pools = new ArrayList<>();
    if (n.ipam() != null) {
      n.ipam()
          .config()
          .forEach(p -> pools.add(new NetworkSpec.IpamPool(p.subnet(), p.ipRange(), p.gateway())));
    }
    return new NetworkSpec(
        n.name(),
        n.driver() == null ? "bridge" : n.driver(),
        n.driverOpts(),
        n.internal(),
        n.attachable(),
        Boolean.TRUE.equals(n.enableIpv6()),
        pools,
        labels);
  }

  private VolumeSpec volumeSpec(String key, Volume v) {
    Map<String, String> labels = new TreeMap<>(v.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.VOLUME, key);
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    labels.put(ComposeLabels.CONFIG_HASH, ConfigHash.of(v));
    return new VolumeSpec(
        v.name(), v.driver() == null ? "local" : v.driver(), v.driverOpts(), labels);
  }
}
