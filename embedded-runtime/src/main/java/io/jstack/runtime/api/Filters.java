package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Docker's list filters ({@code label}, {@code name}, {@code status}) over the engine's types. */
final class Filters {
  private Filters() {}

  /** Whether {@code labels} has every {@code key} or {@code key=value} of {@code wanted}. */
  static boolean labelsMatch(Map<String, String> labels, List<String> wanted) {
    for (String l : wanted) {
      int eq = l.indexOf('=');
      String k = eq < 0 ? l : l.substring(0, eq);
      if (!labels.containsKey(k) || eq >= 0 && !labels.get(k).equals(l.substring(eq + 1))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether container {@code c} passes the {@code label}, {@code name} and {@code status} filters.
   */
  static boolean matches(Container c, Map<String, List<String>> filters) {
    if (!labelsMatch(c.record().labels(), filters.getOrDefault("label", List.of()))) {
      return false;
    }
    for (String name : filters.getOrDefault("name", List.of())) {
      // A regular expression over the name with its leading slash, as Docker matches it.
      boolean found;
      try {
        found = Pattern.compile(name).matcher("/" + c.record().name()).find();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("the name filter is not a regular expression: " + name);
      }
      if (!found) {
        return false;
      }
    }
    for (String status : filters.getOrDefault("status", List.of())) {
      if (!c.status().name().equals(status)) {
        return false;
      }
    }
    return true;
  }
}
