package io.jstack.planner.internal;

import io.jstack.compose.ConfigHash;
import io.jstack.compose.DependsOn;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.ImageInfo;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.ObservedState;
import io.jstack.planner.Plan;
import io.jstack.planner.PlanException;
import io.jstack.planner.ServiceGraph;
import io.jstack.planner.UpOptions;
import io.jstack.planner.internal.PlanBuilder.Node;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.CreateContainer;
import io.jstack.planner.step.RemoveAnonymousVolume;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.RenameContainer;
import io.jstack.planner.step.StartContainer;
import io.jstack.planner.step.StopContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The plan of {@code up}, converging as Docker Compose does: what the selected services need
 * (networks, volumes, images; see {@link Prerequisites}), then per service the containers to
 * create, recreate (when their configuration or image changed; the new container takes over the old
 * one's anonymous volumes unless {@code -V}, see {@link AnonymousVolumes}), scale down or start,
 * each after what it depends on, then the restarts {@code restart: true} asks for and the orphans.
 * Each instance makes one plan.
 */
public final class Convergence {
  private final Project project;
  private final ObservedState observed;
  private final ContainerSpecs.Origin origin;
  private final ServiceGraph graph;
  private final Set<String> knownServices;
  private final UpOptions options;
  private final PlanBuilder plan = new PlanBuilder();
  private final Prerequisites prerequisites;
  private final AnonymousVolumes anonymousVolumes;
  private final Map<String, List<Node>> createOps = new HashMap<>();
  private final Map<String, List<Node>> startOps = new HashMap<>();
  private final Map<String, Node> awaits = new HashMap<>();
  private final Set<String> restarted = new LinkedHashSet<>();
  private final List<String> selected;
  private final Set<String> selectedSet;

  /** The observed containers by service, in the observed order; looked up once per service. */
  private final Map<String, List<ContainerInfo>> containersByService = new HashMap<>();

  /**
   * A convergence of {@code project} from {@code observed}.
   *
   * @param knownServices the project's services and those profiles switch off: the containers of no
   *     other service are orphans
   * @throws PlanException when {@code options} names a service the project does not have
   */
  public Convergence(
      Project project,
      ObservedState observed,
      ContainerSpecs.Origin origin,
      ServiceGraph graph,
      Set<String> knownServices,
      UpOptions options) {
    this.project = project;
    this.observed = observed;
    this.origin = origin;
    this.graph = graph;
    this.knownServices = knownServices;
    this.options = options;
    this.prerequisites = new Prerequisites(project, observed, options, plan);
    this.anonymousVolumes = new AnonymousVolumes(project);
    for (ContainerInfo c : observed.containers()) {
      String service = c.label(ComposeLabels.SERVICE);
      if (service != null) {
        containersByService.computeIfAbsent(service, k -> new ArrayList<>()).add(c);
      }
    }
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

  /**
   * The plan.
   *
   * @throws PlanException when the project cannot be brought up (an unknown service, a missing
   *     external network, an image that may not be pulled, ...)
   */
  public Plan plan() {
    for (String name : selected) {
      prerequisites.add(ServiceSettings.service(project, name));
    }
    for (String name : selected) {
      containers(ServiceSettings.service(project, name));
    }
    restartDependents();
    orphans();
    if (options.waitReady() && !options.noStart()) {
      for (String name : selected) {
        Service s = ServiceSettings.service(project, name);
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

  /** Creates, recreates, scales and starts the containers of {@code s}. */
  private void containers(Service s) {
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
        observed.images().getOrDefault(imageRef, Optional.empty()).map(ImageInfo::id).orElse(null);
    List<Node> createDeps = createDependencies(s);

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
        boolean renew = options.renewAnonVolumes();
        if (!renew) {
          spec = anonymousVolumes.inherit(spec, c);
        }
        Node create = plan.add(new CreateContainer(spec), name, reason, createDeps);
        creates.add(create);
        Node stop = c.isRunning() ? plan.add(stop(s, c.name()), name, reason, create) : null;
        Node remove =
            plan.add(
                new RemoveContainer(c.name(), false), name, reason, stop == null ? create : stop);
        if (renew) {
          // By name: rm -v would keep those it took over from its own predecessor.
          for (String volume : anonymousVolumes.of(c).values()) {
            plan.add(new RemoveAnonymousVolume(volume), name, reason + ", -V", remove);
          }
        }
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

  /** What a service's containers are created after: networks, volumes, image, shared namespaces. */
  private List<Node> createDependencies(Service s) {
    List<Node> deps = prerequisites.of(s);
    for (String ref : sharedWith(s)) {
      deps.addAll(createOps.getOrDefault(ref, List.of()));
    }
    return deps;
  }

  /** Services whose containers this one joins or mounts from: they must exist first. */
  private List<String> sharedWith(Service s) {
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
  private List<Node> withWaits(Service s, @Nullable Node first) {
    List<Node> deps = new ArrayList<>();
    deps.add(first);
    for (Map.Entry<String, DependsOn> e : new TreeMap<>(s.dependsOn()).entrySet()) {
      String dep = e.getKey();
      if (!selectedSet.contains(dep)) {
        continue;
      }
      Service d = ServiceSettings.service(project, dep);
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

  private List<String> containerNames(Service s) {
    List<String> names = new ArrayList<>();
    int wanted = ContainerSpecs.replicas(s, options.scale());
    for (int n = 1; n <= wanted; n++) {
      names.add(ContainerSpecs.containerName(project, s, n));
    }
    return names;
  }

  private @Nullable String recreateReason(ContainerInfo c, Service s, @Nullable String imageId) {
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
    String had = c.label(ComposeLabels.IMAGE) != null ? c.label(ComposeLabels.IMAGE) : c.imageId();
    if (imageId != null && had != null && !imageId.equals(had)) {
      return "image changed";
    }
    return null;
  }

  /** Services with {@code restart: true} on a dependency that is (re)started are restarted. */
  private void restartDependents() {
    for (String name : selected) {
      if (restarted.contains(name) || options.noStart()) {
        continue;
      }
      Service s = ServiceSettings.service(project, name);
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

  private void orphans() {
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

  /** What {@link ObservedState#containersOf} says, without a pass over every container. */
  private List<ContainerInfo> containersOf(String service) {
    return containersByService.getOrDefault(service, List.of());
  }

  private StopContainer stop(Service s, String container) {
    return new StopContainer(container, s.stopSignal(), ServiceSettings.stopTimeout(s, null));
  }

  private static @Nullable Integer number(ContainerInfo c) {
    try {
      return Integer.valueOf(c.label(ComposeLabels.CONTAINER_NUMBER));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
