package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import io.jstack.compose.internal.bind.PathNames;
import io.jstack.compose.internal.yaml.YNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** Checks and rewrites on nodes shared by the loader's steps; each error names path and place. */
final class Nodes {
  private Nodes() {}

  static ComposeException error(@Nullable YNode node, String path, String problem) {
    return new ComposeException(node == null ? null : node.location(), path, problem);
  }

  static YNode.Map map(@Nullable YNode node, String path) {
    if (node instanceof YNode.Map m) {
      return m;
    }
    throw error(node, path, "must be a mapping, not " + YNode.describe(node));
  }

  /** A mapping, treating {@code null} (e.g. {@code services:} with nothing under it) as empty. */
  static YNode.Map mapOrEmpty(@Nullable YNode node, String path) {
    if (node instanceof YNode.Scalar s && s.isNull()) {
      return YNode.Map.empty(node.location());
    }
    return map(node, path);
  }

  static String text(@Nullable YNode node, String path) {
    if (node instanceof YNode.Scalar s && !s.isNull()) {
      return s.value();
    }
    throw error(node, path, "must be a string, not " + YNode.describe(node));
  }

  static boolean isNull(@Nullable YNode node) {
    return node == null || node instanceof YNode.Scalar s && s.isNull();
  }

  /**
   * Rewrites the value under each key with {@code f(key, value)}; a {@code null} result drops it.
   */
  static YNode.Map mapValues(YNode.Map map, String path, BiFunction<String, YNode, YNode> f) {
    Map<String, YNode> out = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      YNode v = f.apply(e.getKey(), e.getValue());
      if (v != e.getValue()) {
        changed = true;
      }
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return changed ? map.withEntries(out) : map;
  }

  /** Sets {@code key} to {@code value}, keeping order and tag. */
  static YNode.Map with(YNode.Map map, String key, YNode value) {
    Map<String, YNode> out = new LinkedHashMap<>(map.entries());
    out.put(key, value);
    Map<String, io.jstack.compose.SourceLocation> keys = new LinkedHashMap<>(map.keyLocations());
    if (!keys.containsKey(key) && value.location() != null) {
      keys.put(key, value.location());
    }
    YNode.Map m = YNode.Map.of(out, keys, map.location());
    return map.tag() == null ? m : m.withTag(map.tag());
  }

  static YNode.Map without(YNode.Map map, String key) {
    if (!map.entries().containsKey(key)) {
      return map;
    }
    Map<String, YNode> out = new LinkedHashMap<>(map.entries());
    out.remove(key);
    return map.withEntries(out);
  }

  static String child(String path, String key) {
    return PathNames.child(path, key);
  }
}
