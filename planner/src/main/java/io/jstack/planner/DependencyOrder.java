package io.jstack.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * A deterministic start order for services: every service after the services it depends on, ties
 * broken by name so the same input always gives the same order.
 */
public final class DependencyOrder {
  private DependencyOrder() {}

  /**
   * Orders the keys of {@code dependsOn} (service to the services it depends on).
   *
   * @throws PlanException naming the cycle, e.g. {@code a -> b -> a}, when there is one, or naming
   *     the service and the missing dependency when a dependency is not a key
   */
  public static List<String> of(Map<String, Set<String>> dependsOn) {
    Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
    SortedMap<String, Set<String>> sorted = new TreeMap<>(dependsOn);
    sorted.keySet().forEach(graph::addVertex);
    sorted.forEach(
        (service, deps) ->
            deps.stream()
                .sorted()
                .forEach(
                    dep -> {
                      if (!graph.containsVertex(dep)) {
                        throw new PlanException(
                            "service \""
                                + service
                                + "\" depends on undefined service \""
                                + dep
                                + "\": define it or remove it from depends_on");
                      }
                      graph.addEdge(dep, service);
                    }));
    CycleDetector<String, DefaultEdge> cycles = new CycleDetector<>(graph);
    if (cycles.detectCycles()) {
      throw new PlanException("dependency cycle: " + describeCycle(sorted));
    }
    List<String> order = new ArrayList<>();
    new TopologicalOrderIterator<>(graph, Comparator.<String>naturalOrder())
        .forEachRemaining(order::add);
    return List.copyOf(order);
  }

  /** The first cycle found by a depth-first walk in name order, as {@code a -> b -> a}. */
  private static String describeCycle(SortedMap<String, Set<String>> dependsOn) {
    Map<String, Integer> state = new TreeMap<>();
    List<String> path = new ArrayList<>();
    for (String start : dependsOn.keySet()) {
      String cycle = walk(start, dependsOn, state, path);
      if (cycle != null) {
        return cycle;
      }
    }
    throw new IllegalStateException("a cycle was detected but not found");
  }

  private static String walk(
      String node,
      SortedMap<String, Set<String>> deps,
      Map<String, Integer> state,
      List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return String.join(" -> ", cycle);
    }
    state.put(node, 1);
    path.add(node);
    for (String next : deps.getOrDefault(node, Set.of()).stream().sorted().toList()) {
      String found = walk(next, deps, state, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return null;
  }
}
