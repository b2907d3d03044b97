package io.jstack.planner.internal;

import io.jstack.planner.Operation;
import io.jstack.planner.Plan;
import io.jstack.planner.step.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Collects a plan's operations and their dependencies, then numbers them in a deterministic order
 * that respects the dependencies: among ready operations, the one added first goes first.
 */
public final class PlanBuilder {
  /** An operation being built; {@code index} is its insertion order. */
  public static final class Node {
    final int index;
    final Step step;
    final @Nullable String service;
    final String reason;
    final TreeSet<Integer> after = new TreeSet<>();

    Node(int index, Step step, @Nullable String service, String reason) {
      this.index = index;
      this.step = step;
      this.service = service;
      this.reason = reason;
    }

    public Step step() {
      return step;
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /** Adds an operation that runs after {@code after} (nulls are ignored). */
  public Node add(
      Step step, @Nullable String service, String reason, Iterable<@Nullable Node> after) {
    Node n = new Node(nodes.size(), step, service, reason);
    for (Node a : after) {
      if (a != null) {
        n.after.add(a.index);
      }
    }
    nodes.add(n);
    return n;
  }

  public Node add(Step step, @Nullable String service, String reason, @Nullable Node... after) {
    return add(step, service, reason, java.util.Arrays.asList(after));
  }

  /** Makes {@code node} also wait for {@code dependency}. */
  public void after(Node node, @Nullable Node dependency) {
    if (dependency != null) {
      node.after.add(dependency.index);
    }
  }

  public void warn(String warning) {
    warnings.add(warning);
  }

  public Plan build() {
    int n = nodes.size();
    int[] pending = new int[n];
    List<List<Integer>> dependents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    for (Node node : nodes) {
      pending[node.index] = node.after.size();
      for (int a : node.after) {
        dependents.get(a).add(node.index);
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    int[] id = new int[n];
    List<Integer> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      int i = ready.poll();
      id[i] = order.size() + 1;
      order.add(i);
      for (int d : dependents.get(i)) {
        if (--pending[d] == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != n) {
      throw new IllegalStateException("plan has a cycle");
    }
    List<Operation> ops = new ArrayList<>(n);
    for (int i : order) {
      Node node = nodes.get(i);
      List<Integer> after = new ArrayList<>();
      node.after.forEach(a -> after.add(id[a]));
      after.sort(null);
      ops.add(new Operation(id[i], node.step, node.service, node.reason, after));
    }
    return new Plan(ops, warnings);
  }
}
