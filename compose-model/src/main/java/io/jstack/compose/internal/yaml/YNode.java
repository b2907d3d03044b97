package io.jstack.compose.internal.yaml;

import io.jstack.compose.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable YAML node that remembers where it came from. The loader works on these trees until
 * it binds them to typed records; nothing after the loader sees them.
 *
 * <p>Nodes reached through an alias are shared, not copied, so {@link #weight()} (the node count of
 * the tree with every alias expanded) is what guards against alias bombs.
 */
public sealed interface YNode permits YNode.Scalar, YNode.Seq, YNode.Map {

  /** Where the node starts, or {@code null} for a node the loader made itself. */
  @Nullable SourceLocation location();

  /** A local tag such as {@code !reset} or {@code !override}, or {@code null}. */
  @Nullable String tag();

  /** Number of nodes in this tree with aliases expanded. */
  long weight();

  /** What a scalar resolved to under the YAML 1.2 core schema, with Compose's Go quirks. */
  enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  /** A scalar. {@code value} is the text as written (after YAML unescaping). */
  record Scalar(String value, Kind kind, @Nullable SourceLocation location, @Nullable String tag)
      implements YNode {
    @Override
    public long weight() {
      return 1;
    }

    public boolean isNull() {
      return kind == Kind.NULL;
    }

    public static Scalar string(String value, @Nullable SourceLocation location) {
      return new Scalar(value, Kind.STRING, location, null);
    }

    public Scalar withValue(String newValue, Kind newKind) {
      return new Scalar(newValue, newKind, location, tag);
    }
  }

  /** A sequence. */
  record Seq(
      List<YNode> items, @Nullable SourceLocation location, @Nullable String tag, long weight)
      implements YNode {
    public Seq {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    public static Seq of(List<YNode> items, @Nullable SourceLocation location) {
      long w = 1;
      for (YNode n : items) {
        w += n.weight();
      }
      return new Seq(items, location, null, w);
    }

    public Seq withTag(@Nullable String newTag) {
      return new Seq(items, location, newTag, weight);
    }
  }

  /** A mapping with string keys, in document order. */
  record Map(
      java.util.Map<String, YNode> entries,
      java.util.Map<String, SourceLocation> keyLocations,
      @Nullable SourceLocation location,
      @Nullable String tag,
      long weight)
      implements YNode {
    public Map {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
    }

    public static Map of(
        java.util.Map<String, YNode> entries,
        java.util.Map<String, SourceLocation> keyLocations,
        @Nullable SourceLocation location) {
      long w = 1;
      for (YNode n : entries.values()) {
        w += n.weight();
      }
      return new Map(entries, keyLocations, location, null, w);
    }

    /** A map with the same keys' locations where they still exist. */
    public Map withEntries(java.util.Map<String, YNode> newEntries) {
      java.util.Map<String, SourceLocation> locs = new LinkedHashMap<>();
      for (String k : newEntries.keySet()) {
        SourceLocation l = keyLocations.get(k);
        if (l != null) {
          locs.put(k, l);
        }
      }
      Map m = of(newEntries, locs, location);
      return new Map(m.entries, m.keyLocations, location, tag, m.weight);
    }

    public Map withTag(@Nullable String newTag) {
      return new Map(entries, keyLocations, location, newTag, weight);
    }

    public @Nullable YNode get(String key) {
      return entries.get(key);
    }

    /** Where {@code key} is written, falling back to the map itself. */
    public @Nullable SourceLocation locationOf(String key) {
      SourceLocation l = keyLocations.get(key);
      return l != null ? l : location;
    }

    public static Map empty(@Nullable SourceLocation location) {
      return of(new LinkedHashMap<String, YNode>(), java.util.Map.of(), location);
    }
  }

  /** The scalar's text, or {@code null} if this is not a non-null scalar. */
  static @Nullable String text(@Nullable YNode node) {
    return node instanceof Scalar s && !s.isNull() ? s.value() : null;
  }

  /** Describes the node's kind for error messages: "a mapping", "a sequence", "a string"... */
  static String describe(@Nullable YNode node) {
    if (node instanceof Map) {
      return "a mapping";
    }
    if (node instanceof Seq) {
      return "a sequence";
    }
    if (node == null) {
      return "null";
    }
    Scalar s = (Scalar) node;
    return switch (s.kind()) {
      case STRING -> "a string";
      case INT -> "a number";
      case FLOAT -> "a number";
      case BOOL -> "a boolean";
      case NULL -> "null";
    };
  }
}
