package io.jstack.planner.internal;

import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.DownOptions;
import io.jstack.planner.ObservedState;
import io.jstack.planner.Plan;
import io.jstack.planner.ServiceGraph;
import io.jstack.planner.internal.PlanBuilder.Node;
import io.jstack.planner.step.RemoveAnonymousVolume;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.RemoveImage;
import io.jstack.planner.step.RemoveNetwork;
import io.jstack.planner.step.RemoveVolume;
import io.jstack.planner.step.StopContainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plan of {@code down}: every container of the project stopped (dependents before what they
 * depend on) and removed, with its one-off containers and, when asked, its orphans; then the
 * project's networks, and when asked its volumes (named, and the anonymous ones its removed
 * containers mounted) and images. Each instance makes one plan.
 */
public final class Teardown {
  private final Project project;
  private final ObservedState observed;
  private final ServiceGraph graph;
  private final Set<String> knownServices;
  private final DownOptions options;
  private final PlanBuilder plan = new PlanBuilder();
  private final AnonymousVolumes anonymous;

  /**
   * A teardown of {@code project} as {@code observed}.
   *
   * @param knownServices the project's services and those profiles switch off: the containers of no
   *     other service are orphans
   */
  public Teardown(
      Project project,
      ObservedState observed,
      ServiceGraph graph,
      Set<String> knownServices,
      DownOptions options) {
    this.project = project;
    this.observed = observed;
    this.graph = graph;
    this.knownServices = knownServices;
    this.options = options;
    this.anonymous = new AnonymousVolumes(project);
  }

  /** The plan. */
  public Plan plan() {
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
    List<ContainerInfo> removed = new ArrayList<>();
    List<String> reverse = new ArrayList<>(graph.order());
    Collections.reverse(reverse);
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
        removed.add(c);
        removals.add(
            plan.add(
                new RemoveContainer(c.name(), withVolumes(c)),
                service,
                "down",
                stop == null ? after : List.of(stop)));
      }
      stops.put(service, mine);
    }
    // One-off (run) containers go with the project, as in Docker Compose.
    for (ContainerInfo c : observed.oneOffs()) {
      removed.add(c);
      removals.add(stopAndRemove(c, "one-off"));
    }
    if (!orphans.isEmpty()) {
      if (options.removeOrphans()) {
        for (ContainerInfo c : orphans) {
          removed.add(c);
          removals.add(stopAndRemove(c, "orphan"));
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
      // By name, once all are gone: rm -v would keep those a container took over on recreation.
      Set<String> names = new TreeSet<>();
      for (ContainerInfo c : removed) {
        names.addAll(anonymous.of(c).values());
      }
      for (String name : names) {
        plan.add(new RemoveAnonymousVolume(name), null, "down -v", removals);
      }
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

  /**
   * Whether {@code c} is removed with its anonymous volumes: with {@code -v}, when the engine lists
   * none of them (those it lists are removed by name, each by one step of the plan).
   */
  private boolean withVolumes(ContainerInfo c) {
    return options.removeVolumes() && anonymous.of(c).isEmpty();
  }

  /** Stops {@code c} if it runs, then removes it; {@code why} is the plan's reason for both. */
  private Node stopAndRemove(ContainerInfo c, String why) {
    Node stop =
        c.isRunning()
            ? plan.add(
                new StopContainer(
                    c.name(), null, ServiceSettings.stopTimeout(null, options.timeout())),
                c.label(ComposeLabels.SERVICE),
                why)
            : null;
    return plan.add(
        new RemoveContainer(c.name(), withVolumes(c)), c.label(ComposeLabels.SERVICE), why, stop);
  }
}
