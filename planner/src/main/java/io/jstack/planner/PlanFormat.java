package io.jstack.planner;

import io.jstack.compose.ProjectWriter;
import io.jstack.planner.internal.Diagram;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.CreateNetwork;
import io.jstack.planner.step.CreateVolume;
import io.jstack.planner.step.RemoveAnonymousVolume;
import io.jstack.planner.step.RemoveNetwork;
import io.jstack.planner.step.RemoveVolume;
import io.jstack.planner.step.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plan as people and programs read it ({@code up --dry-run}, {@code --format
 * text|json|dot|mermaid}): every format a plan is printed in is here.
 */
public final class PlanFormat {
  private PlanFormat() {}

  /** The formats a plan is printed in. */
  public enum Kind {
    /** {@link #text(Plan)}. */
    TEXT,
    /** {@link #tree(Plan)} as JSON. */
    JSON,
    /** {@link #dot(Plan)}. */
    DOT,
    /** {@link #mermaid(Plan)}. */
    MERMAID;

    /** The kind called {@code name} ({@code text}, {@code json}, ...), if there is one. */
    public static Optional<Kind> named(String name) {
      for (Kind k : values()) {
        if (k.toString().equals(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }

    /** Its name on the command line: {@code text}, {@code json}, {@code dot}, {@code mermaid}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code plan} in the format {@code kind}. */
  public static String render(Plan plan, Kind kind) {
    return switch (kind) {
      case TEXT -> text(plan);
      case JSON -> ProjectWriter.json(tree(plan));
      case DOT -> dot(plan);
      case MERMAID -> mermaid(plan);
    };
  }

  /**
   * One line per operation: number, what it does, the service in brackets, why, and what it waits
   * for, e.g. {@code 3. start container demo-web-1 [web] no container; after 2}.
   */
  public static String text(Plan plan) {
    StringBuilder sb = new StringBuilder();
    if (plan.isEmpty()) {
      sb.append("nothing to do\n");
    }
    for (Operation op : plan.operations()) {
      sb.append(op.id()).append(". ").append(op.describe());
      if (op.service() != null) {
        sb.append(" [").append(op.service()).append(']');
      }
      sb.append(' ').append(op.reason());
      if (!op.after().isEmpty()) {
        sb.append("; after ");
        for (int i = 0; i < op.after().size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(op.after().get(i));
        }
      }
      sb.append('\n');
    }
    for (String w : plan.warnings()) {
      sb.append("warning: ").append(w).append('\n');
    }
    return sb.toString();
  }

  /** The plan as a plain tree for a JSON encoder: {@code {operations: [...], warnings: [...]}}. */
  public static Map<String, Object> tree(Plan plan) {
    List<Object> ops = new ArrayList<>();
    for (Operation op : plan.operations()) {
      Map<String, Object> m = new TreeMap<>();
      m.put("id", op.id());
      m.put("action", op.step().verb());
      m.put("target", op.step().target());
      if (op.service() != null) {
        m.put("service", op.service());
      }
      m.put("reason", op.reason());
      m.put("after", op.after());
      ops.add(m);
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("operations", ops);
    out.put("warnings", plan.warnings());
    return out;
  }

  /**
   * The plan's DAG in Graphviz's DOT language: a node per operation labelled as a {@link
   * #text(Plan)} line is (number, what, service, reason), an arrow from each operation to those
   * that wait for it. Networks are hexagons, volumes cylinders, waits rounded. Warnings are not in
   * it (the CLI prints them on stderr).
   */
  public static String dot(Plan plan) {
    return diagram(plan).dot("plan");
  }

  /** The plan's DAG as a Mermaid flowchart, drawn as {@link #dot(Plan)} draws it. */
  public static String mermaid(Plan plan) {
    return diagram(plan).mermaid();
  }

  /** Operation {@code n} is node {@code opN}. */
  private static Diagram diagram(Plan plan) {
    List<Diagram.Node> nodes = new ArrayList<>();
    List<Diagram.Edge> edges = new ArrayList<>();
    for (Operation op : plan.operations()) {
      StringBuilder label = new StringBuilder();
      label.append(op.id()).append(". ").append(op.describe()).append('\n');
      if (op.service() != null) {
        label.append('[').append(op.service()).append("] ");
      }
      label.append(op.reason());
      nodes.add(new Diagram.Node("op" + op.id(), label.toString(), shape(op.step())));
      for (int before : op.after()) {
        edges.add(new Diagram.Edge("op" + before, "op" + op.id(), ""));
      }
    }
    return new Diagram(nodes, edges);
  }

  private static Diagram.Shape shape(Step step) {
    if (step instanceof CreateNetwork || step instanceof RemoveNetwork) {
      return Diagram.Shape.HEXAGON;
    }
    if (step instanceof CreateVolume
        || step instanceof RemoveVolume
        || step instanceof RemoveAnonymousVolume) {
      return Diagram.Shape.CYLINDER;
    }
    if (step instanceof AwaitService) {
      return Diagram.Shape.ROUNDED;
    }
    return Diagram.Shape.BOX;
  }
}
