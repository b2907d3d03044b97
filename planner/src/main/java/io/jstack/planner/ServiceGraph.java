package io.jstack.planner;

import io.jstack.compose.DependsOn;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.planner.internal.Diagram;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The services of a project and their dependencies: an edge from each service to every service it
 * depends on ({@code depends_on}, including the implicit ones the model adds for links, {@code
 * volumes_from} and {@code service:} modes). A dependency on a service that is not in the project
 * ({@code required: false}, or disabled by profiles) has no edge.
 *
 * <p>{@link #dot()} and {@link #mermaid()} draw it, an arrow from each service to those that depend
 * on it (the order they start in), labelled with the {@code depends_on} condition.
 */
public final class ServiceGraph {
  private final Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
  private final Map<String, Service> services = new TreeMap<>();
  private final List<String> order;

  /** The graph of {@code services} (a subset of a project's, or all of them). */
  public ServiceGraph(Collection<Service> services) {
    List<Service> sorted = new ArrayList<>(services);
    sorted.sort(Comparator.comparing(Service::name));
    sorted.forEach(s -> graph.addVertex(s.name()));
    sorted.forEach(s -> this.services.put(s.name(), s));
    for (Service s : sorted) {
      for (String dep : new TreeSet<>(s.dependsOn().keySet())) {
        if (graph.containsVertex(dep) && !dep.equals(s.name())) {
          graph.addEdge(dep, s.name());
        }
      }
    }
    List<String> o = new ArrayList<>();
    try {
      new TopologicalOrderIterator<>(graph, Comparator.<String>naturalOrder())
          .forEachRemaining(o::add);
    } catch (IllegalArgumentException cycle) {
      // The model refuses cycles; a graph built by hand may still have one.
      throw new PlanException(
          "dependency cycle among " + graph.vertexSet() + ": " + cycle.getMessage());
    }
    this.order = List.copyOf(o);
  }

  public static ServiceGraph of(Project project) {
    return new ServiceGraph(project.services().values());
  }

  /** Every service after all it depends on, ties broken by name. */
  public List<String> order() {
    return order;
  }

  /** The services {@code service} depends on directly, by name. */
  public Set<String> dependencies(String service) {
    Set<String> out = new TreeSet<>();
    if (!graph.containsVertex(service)) {
      return out; // A service only containers name (a project without compose files).
    }
    graph.incomingEdgesOf(service).forEach(e -> out.add(graph.getEdgeSource(e)));
    return out;
  }

  /** The services that depend on {@code service} directly, by name. */
  public Set<String> dependents(String service) {
    Set<String> out = new TreeSet<>();
    if (!graph.containsVertex(service)) {
      return out; // A service only containers name (a project without compose files).
    }
    graph.outgoingEdgesOf(service).forEach(e -> out.add(graph.getEdgeTarget(e)));
    return out;
  }

  /** {@code roots} and everything they depend on, directly or not. */
  public Set<String> withDependencies(Collection<String> roots) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (out.add(s)) {
        todo.addAll(dependencies(s));
      }
    }
    return out;
  }

  public boolean contains(String service) {
    return graph.containsVertex(service);
  }

  /**
   * The {@code depends_on} condition {@code service} waits for on {@code dependency}, e.g. {@code
   * service_healthy}.
   *
   * @throws IllegalArgumentException when {@code dependency} is not one of {@link
   *     #dependencies(String) service's dependencies}
   */
  public String condition(String service, String dependency) {
    Service s = services.get(service);
    DependsOn d = s == null ? null : s.dependsOn().get(dependency);
    if (d == null || !graph.containsEdge(dependency, service)) {
      throw new IllegalArgumentException(service + " does not depend on " + dependency);
    }
    return d.condition();
  }

  /** The graph in Graphviz's DOT language ({@code dot -Tpng} draws it). */
  public String dot() {
    return diagram().dot("services");
  }

  /** The graph as a Mermaid flowchart. */
  public String mermaid() {
    return diagram().mermaid();
  }

  /** Services in {@link #order()}, numbered from 1 as node ids {@code s1, s2, ...}. */
  private Diagram diagram() {
    Map<String, String> ids = new TreeMap<>();
    List<Diagram.Node> nodes = new ArrayList<>();
    for (String s : order) {
      String id = "s" + (ids.size() + 1);
      ids.put(s, id);
      nodes.add(new Diagram.Node(id, s, Diagram.Shape.BOX));
    }
    List<Diagram.Edge> edges = new ArrayList<>();
    for (String s : order) {
      for (String dep : dependencies(s)) {
        edges.add(
            new Diagram.Edge(
                Objects.requireNonNull(ids.get(dep)),
                Objects.requireNonNull(ids.get(s)),
                condition(s, dep)));
      }
    }
    return new Diagram(nodes, edges);
  }
}
