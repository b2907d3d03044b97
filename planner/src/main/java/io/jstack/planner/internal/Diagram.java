package io.jstack.planner.internal;

import java.util.List;

/**
 * A directed graph as a picture: nodes with labels and shapes, edges with optional labels, written
 * as Graphviz DOT or as a Mermaid flowchart. It is the one place that knows either syntax; the
 * service graph and the plan each describe themselves as one.
 *
 * <p>Node ids are chosen by the caller from {@code [A-Za-z0-9_]} (they are written unquoted, and
 * Mermaid takes nothing else); labels may hold anything, and are escaped here: in DOT a quoted
 * string where {@code "} and {@code \} are escaped (so Graphviz's own {@code \N}, {@code \G} ...
 * never apply) and a line break is {@code \n}; in Mermaid a quoted label where every character
 * Mermaid reads specially ({@code " # & < > | `}) is an entity code ({@code #34;}) and a line break
 * is {@code <br>} (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
 * Other control characters become spaces in both.
 *
 * @param nodes in the order they are written
 * @param edges in the order they are written
 */
public record Diagram(List<Node> nodes, List<Edge> edges) {
  public Diagram {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** How a node is drawn. */
  public enum Shape {
    /** A rectangle: containers, images, services. */
    BOX("box", "[\"", "\"]"),
    /** A rectangle with round ends: waiting for something. */
    ROUNDED("box, style=rounded", "([\"", "\"])"),
    /** A cylinder: volumes. */
    CYLINDER("cylinder", "[(\"", "\")]"),
    /** A hexagon: networks. */
    HEXAGON("hexagon", "{{\"", "\"}}");

    private final String dot;
    private final String mermaidOpen;
    private final String mermaidClose;

    Shape(String dot, String mermaidOpen, String mermaidClose) {
      this.dot = dot;
      this.mermaidOpen = mermaidOpen;
      this.mermaidClose = mermaidClose;
    }
  }

  /** A node: {@code id} from {@code [A-Za-z0-9_]}, {@code label} what the picture shows. */
  public record Node(String id, String label, Shape shape) {
    public Node {
      if (!id.matches("[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException("diagram node id must be [A-Za-z0-9_]+, not " + id);
      }
    }
  }

  /** An edge from one node id to another, with a label ({@code ""} for none). */
  public record Edge(String from, String to, String label) {}

  /** The diagram in Graphviz's DOT language, as {@code digraph name { ... }}. */
  public String dot(String name) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(dotString(name)).append(" {\n");
    sb.append("  rankdir=LR;\n");
    sb.append("  node [shape=box, fontname=\"Helvetica\"];\n");
    sb.append("  edge [fontname=\"Helvetica\"];\n");
    for (Node n : nodes) {
      sb.append("  ")
          .append(n.id())
          .append(" [label=")
          .append(dotString(n.label()))
          .append(", shape=")
          .append(n.shape().dot)
          .append("];\n");
    }
    for (Edge e : edges) {
      sb.append("  ").append(e.from()).append(" -> ").append(e.to());
      if (!e.label().isEmpty()) {
        sb.append(" [label=").append(dotString(e.label())).append(']');
      }
      sb.append(";\n");
    }
    return sb.append("}\n").toString();
  }

  /** The diagram as a Mermaid flowchart, left to right. */
  public String mermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (Node n : nodes) {
      sb.append("  ")
          .append(n.id())
          .append(n.shape().mermaidOpen)
          .append(mermaidText(n.label()))
          .append(n.shape().mermaidClose)
          .append('\n');
    }
    for (Edge e : edges) {
      sb.append("  ").append(e.from()).append(" -->");
      if (!e.label().isEmpty()) {
        sb.append("|\"").append(mermaidText(e.label())).append("\"|");
      }
      sb.append(' ').append(e.to()).append('\n');
    }
    return sb.toString();
  }

  /** {@code text} as a DOT double-quoted string. */
  static String dotString(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> {
          // A CRLF is one line break; a lone CR becomes one.
          if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
            sb.append("\\n");
          }
        }
        default -> sb.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return sb.append('"').toString();
  }

  /** {@code text} for the inside of a Mermaid quoted label. */
  static String mermaidText(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"', '#', '&', '<', '>', '|', '`' -> sb.append('#').append((int) c).append(';');
        case '\n' -> sb.append("<br>");
        case '\r' -> {
          if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
            sb.append("<br>");
          }
        }
        default -> sb.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return sb.toString();
  }
}
