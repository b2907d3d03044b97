package io.jstack.planner;

import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.planner.internal.Convergence;
import io.jstack.planner.internal.PlanBuilder;
import io.jstack.planner.internal.PlanBuilder.Node;
import io.jstack.planner.internal.ServiceSettings;
import io.jstack.planner.internal.Teardown;
import io.jstack.planner.step.StopContainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The reconciler: from the desired project and what the engine has, the smallest plan that brings
 * the one to the other, converging as Docker Compose does. {@code up} and {@code down} are planned
 * by {@link Convergence} and {@link Teardown}; the other commands here.
 */
public final class Planner {
  private final Project project;
  private final ObservedState observed;
  private final ContainerSpecs.Origin origin;
  private final ServiceGraph graph;
  private final Set<String> knownServices;

  /**
   * The services in the order they start: the model's by their dependencies; for a project named
   * without compose files (no services in its model), those its containers name, by name.
   */
  private final List<String> order;

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
    this.order =
        project.services().isEmpty()
            ? observed.containers().stream()
                .map(c -> c.label(ComposeLabels.SERVICE))
                .filter(java.util.Objects::nonNull)
                .distinct()
                .sorted()
                .toList()
            : graph.order();
  }

  /**
   * A planner for {@code loaded} against what {@code engine} has of it now: what every command that
   * changes a project (the CLI's verbs, the Java API) plans with.
   */
  public static Planner of(io.jstack.engine.Engine engine, io.jstack.compose.LoadedProject loaded) {
    ObservedState observed = ObservedState.read(engine, loaded.project());
    Set<String> known = new TreeSet<>(loaded.disabledServices().keySet());
    if (loaded.withoutFiles()) {
      // A project named without compose files (-p NAME): the services its containers are
      // labelled with are its own, none of them an orphan.
      for (ContainerInfo c : observed.containers()) {
        String service = c.label(ComposeLabels.SERVICE);
        if (service != null) {
          known.add(service);
        }
      }
    }
    return new Planner(loaded.project(), known, observed, ContainerSpecs.Origin.of(loaded));
  }

  /**
   * The plan of {@code up}.
   *
   * @throws PlanException when the project cannot be brought up (an unknown service, a missing
   *     external network, an image that may not be pulled, ...)
   */
  public Plan up(UpOptions options) {
    return new Convergence(project, observed, origin, graph, knownServices, options).plan();
  }

  /** The plan of {@code down}. */
  public Plan down(DownOptions options) {
    return new Teardown(project, observed, graph, knownServices, options).plan();
  }

  /**
   * Starts the stopped containers of {@code services} (all when empty), each after the services it
   * depends on: {@code start}. Nothing is created.
   */
  public Plan start(List<String> services) {
    PlanBuilder plan = new PlanBuilder();
    Map<String, List<Node>> starts = new HashMap<>();
    for (String name : order) {
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
    for (String name : order) {
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
    for (String name : order) {
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
  public Plan stop(List<String> services, java.time.@Nullable Duration timeout) {
    PlanBuilder plan = new PlanBuilder();
    Map<String, List<Node>> stops = new HashMap<>();
    List<String> reverse = new ArrayList<>(order);
    java.util.Collections.reverse(reverse);
    for (String name : reverse) {
      if (!services.isEmpty() && !services.contains(name)) {
        continue;
      }
      // Null for a service only containers name (a project without compose files).
      @Nullable Service s = project.services().get(name);
      List<Node> after = new ArrayList<>();
      graph.dependents(name).forEach(d -> after.addAll(stops.getOrDefault(d, List.of())));
      List<Node> mine = new ArrayList<>();
      for (ContainerInfo c : observed.containersOf(name)) {
        if (c.isRunning()) {
          mine.add(
              plan.add(
                  new StopContainer(
                      c.name(),
                      s == null ? null : s.stopSignal(),
                      ServiceSettings.stopTimeout(s, timeout)),
                  name,
                  "stop",
                  after));
        }
      }
      stops.put(name, mine);
    }
    return plan.build();
  }

  /**
   * The containers of {@code services} (all when empty) that are not running, one-off ({@code run})
   * containers included, in name order: what {@code rm} removes.
   */
  public List<ContainerInfo> stopped(List<String> services) {
    List<ContainerInfo> all = new ArrayList<>(observed.containers());
    all.addAll(observed.oneOffs());
    return all.stream()
        .filter(c -> services.isEmpty() || services.contains(c.label(ComposeLabels.SERVICE)))
        .filter(c -> !c.isRunning() && c.state() != ContainerInfo.State.PAUSED)
        .sorted(java.util.Comparator.comparing(ContainerInfo::name))
        .toList();
  }

  /**
   * Removes {@code containers}, all at once, with their anonymous volumes when {@code
   * removeVolumes}: {@code rm}.
   */
  public Plan remove(List<ContainerInfo> containers, boolean removeVolumes) {
    PlanBuilder plan = new PlanBuilder();
    for (ContainerInfo c : containers) {
      plan.add(
          new io.jstack.planner.step.RemoveContainer(c.name(), removeVolumes),
          c.label(ComposeLabels.SERVICE),
          "rm");
    }
    return plan.build();
  }
}
