package io.jstack.compose.internal.yaml;

import io.jstack.compose.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Small helpers to build and convert nodes, keeping the location of what they replace. */
public final class YNodes {
  private YNodes() {}

  /**
   * A node for a plain Java value (map, list, string, number, boolean, null), placed at {@code at}.
   */
  public static YNode fromPlain(@Nullable Object value, @Nullable SourceLocation at) {
    if (value == null) {
      return new YNode.Scalar("", YNode.Kind.NULL, at, null);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, YNode> entries = new LinkedHashMap<>();
      Map<String, SourceLocation> keys = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            entries.put((String) k, fromPlain(v, at));
            if (at != null) {
              keys.put((String) k, at);
            }
          });
      return YNode.Map.of(entries, keys, at);
    }
    if (value instanceof List<?> l) {
      List<YNode> items = new ArrayList<>(l.size());
      l.forEach(v -> items.add(fromPlain(v, at)));
      return YNode.Seq.of(items, at);
    }
    if (value instanceof Boolean b) {
      return new YNode.Scalar(b.toString(), YNode.Kind.BOOL, at, null);
    }
    if (value instanceof Long || value instanceof Integer) {
      return new YNode.Scalar(value.toString(), YNode.Kind.INT, at, null);
    }
    if (value instanceof Number n) {
      return new YNode.Scalar(n.toString(), YNode.Kind.FLOAT, at, null);
    }
    return YNode.Scalar.string(value.toString(), at);
  }

  public static YNode.Scalar string(String value, @Nullable SourceLocation at) {
    return YNode.Scalar.string(value, at);
  }

  public static YNode.Scalar bool(boolean value, @Nullable SourceLocation at) {
    return new YNode.Scalar(Boolean.toString(value), YNode.Kind.BOOL, at, null);
  }

  public static YNode.Scalar nul(@Nullable SourceLocation at) {
    return new YNode.Scalar("", YNode.Kind.NULL, at, null);
  }

  /** A map from ordered entries; key locations fall back to {@code at}. */
  public static YNode.Map map(Map<String, YNode> entries, @Nullable SourceLocation at) {
    Map<String, SourceLocation> keys = new LinkedHashMap<>();
    entries.forEach((k, v) -> keys.put(k, v.location() != null ? v.location() : at));
    return YNode.Map.of(entries, keys, at);
  }

  public static YNode.Seq seq(List<YNode> items, @Nullable SourceLocation at) {
    return YNode.Seq.of(items, at);
  }
}
