package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back the DOT and Mermaid that jstack writes (only the lines it writes: one statement per
 * line), so that tests compare what a picture shows with the graph or plan it was drawn from; and
 * renders DOT with Graphviz.
 */
public final class Pictures {
  private Pictures() {}

  /**
   * What a picture shows: node labels by node id, and edges as {@code [from label, to label, edge
   * label]}.
   */
  public record Drawn(Map<String, String> labels, Set<List<String>> edges) {}

  private static final String DOT_STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";
  private static final Pattern DOT_NODE =
      Pattern.compile("  (\\w+) \\[label=" + DOT_STRING + ", shape=[a-z]+(?:, style=rounded)?\\];");
  private static final Pattern DOT_EDGE =
      Pattern.compile("  (\\w+) -> (\\w+)(?: \\[label=" + DOT_STRING + "\\])?;");
  private static final Pattern MERMAID_NODE =
      Pattern.compile(
          "  (\\w+)(?:\\[\"|\\(\\[\"|\\[\\(\"|\\{\\{\")([^\"]*)(?:\"\\]|\"\\]\\)|\"\\)\\]|\"\\}\\})");
  private static final Pattern MERMAID_EDGE =
      Pattern.compile("  (\\w+) -->(?:\\|\"([^\"]*)\"\\|)? (\\w+)");
  private static final Pattern ENTITY = Pattern.compile("#(\\d+);");

  /** The nodes and edges of a DOT digraph as {@code Diagram} writes it; fails on any other line. */
  public static Drawn parseDot(String dot) {
    List<String> lines = dot.lines().toList();
    assertThat(lines.get(0)).matches("digraph " + DOT_STRING + " \\{");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("}");
    Map<String, String> labels = new LinkedHashMap<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    for (String line : lines.subList(1, lines.size() - 1)) {
      Matcher node = DOT_NODE.matcher(line);
      Matcher edge = DOT_EDGE.matcher(line);
      if (node.matches()) {
        assertThat(labels.put(node.group(1), unescapeDot(node.group(2)))).isNull();
      } else if (edge.matches()) {
        String label = edge.group(3) == null ? "" : unescapeDot(edge.group(3));
        edges.add(List.of(label(labels, edge.group(1)), label(labels, edge.group(2)), label));
      } else if (!line.matches("  (rankdir=LR|node \\[.*\\]|edge \\[.*\\]);")) {
        fail("not a line jstack writes in DOT: " + line);
      }
    }
    return new Drawn(labels, edges);
  }

  /** The nodes and edges of a Mermaid flowchart as {@code Diagram} writes it. */
  public static Drawn parseMermaid(String mermaid) {
    List<String> lines = mermaid.lines().toList();
    assertThat(lines.get(0)).isEqualTo("flowchart LR");
    Map<String, String> labels = new LinkedHashMap<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      Matcher node = MERMAID_NODE.matcher(line);
      Matcher edge = MERMAID_EDGE.matcher(line);
      if (node.matches()) {
        assertThat(labels.put(node.group(1), unescapeMermaid(node.group(2)))).isNull();
      } else if (edge.matches()) {
        String label = edge.group(2) == null ? "" : unescapeMermaid(edge.group(2));
        edges.add(List.of(label(labels, edge.group(1)), label(labels, edge.group(3)), label));
      } else {
        fail("not a line jstack writes in Mermaid: " + line);
      }
    }
    return new Drawn(labels, edges);
  }

  private static String label(Map<String, String> labels, String id) {
    String label = labels.get(id);
    if (label == null) {
      fail("edge from or to " + id + ", a node not declared before it");
    }
    return label;
  }

  /**
   * Graphviz's reading of a quoted string: {@code \"} and {@code \\} are escapes, {@code \n} a
   * line.
   */
  static String unescapeDot(String quoted) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\') {
        char next = quoted.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Mermaid's reading of a quoted label: {@code #NN;} a character, {@code <br>} a line. */
  static String unescapeMermaid(String text) {
    assertThat(text).doesNotContain("\"", "&", "|", "`").doesNotContainPattern("#(?!\\d+;)");
    String lines = text.replace("<br>", "\n");
    assertThat(lines).doesNotContain("<", ">");
    return ENTITY.matcher(lines).replaceAll(m -> Character.toString(Integer.parseInt(m.group(1))));
  }

  /**
   * Renders {@code dot} to PNG with Graphviz's {@code dot -Tpng} and returns the image; fails
   * (never skips) when Graphviz is not installed, or when it says anything on stderr.
   */
  public static byte[] renderPng(String dot, Path dir) throws IOException, InterruptedException {
    Path source = dir.resolve("picture.dot");
    Files.writeString(source, dot, StandardCharsets.UTF_8);
    Path errors = dir.resolve("dot.err");
    Process p;
    try {
      p =
          new ProcessBuilder("dot", "-Tpng", source.toString())
              .redirectError(errors.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "Graphviz's dot cannot be run ("
              + e.getMessage()
              + "): install it with apt-get install -y graphviz (or run .ci/setup as root)",
          e);
    }
    byte[] png;
    try (InputStream in = p.getInputStream()) {
      png = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("dot -Tpng did not finish in 60 s");
    }
    String stderr = Files.readString(errors);
    assertThat(p.exitValue()).as("dot -Tpng exit status; stderr: %s", stderr).isZero();
    assertThat(stderr).as("dot -Tpng stderr").isEmpty();
    assertThat(png).as("a PNG image").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    return png;
  }
}
