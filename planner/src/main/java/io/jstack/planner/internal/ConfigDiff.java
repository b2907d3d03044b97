package io.jstack.planner.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Which settings differ between two canonical service configurations, by YAML path. */
public final class ConfigDiff {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN = 3;

  private ConfigDiff() {}

  /**
   * {@code environment.FOO, image} (at most three, then {@code +N more}); empty when {@code before}
   * is unknown or unreadable.
   */
  public static String describe(@Nullable String before, @Nullable String after) {
    if (before == null || after == null) {
      return "";
    }
    try {
      Map<String, String> a = flatten(JSON.readValue(before, Object.class));
      Map<String, String> b = flatten(JSON.readValue(after, Object.class));
      TreeSet<String> changed = new TreeSet<>();
      TreeSet<String> keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String k : keys) {
        if (!Objects.equals(a.get(k), b.get(k))) {
          changed.add(k);
        }
      }
      StringBuilder sb = new StringBuilder();
      int i = 0;
      for (String k : changed) {
        if (i == SHOWN) {
          sb.append(", +").append(changed.size() - SHOWN).append(" more");
          break;
        }
        sb.append(i == 0 ? "" : ", ").append(k);
        i++;
      }
      return sb.toString();
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  private static Map<String, String> flatten(@Nullable Object node) throws JsonProcessingException {
    Map<String, String> out = new TreeMap<>();
    flatten(node, "", out);
    return out;
  }

  /**
   * Each leaf of a JSON value (objects as maps), as JSON text, by its dotted path; lists compare
   * whole: a changed command is "command", not "command[2]".
   */
  private static void flatten(@Nullable Object node, String path, Map<String, String> out)
      throws JsonProcessingException {
    if (node instanceof Map<?, ?> object) {
      for (Map.Entry<?, ?> e : object.entrySet()) {
        flatten(e.getValue(), path.isEmpty() ? "" + e.getKey() : path + "." + e.getKey(), out);
      }
    } else {
      out.put(path, JSON.writeValueAsString(node));
    }
  }
}
