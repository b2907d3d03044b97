package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Docker's list filters ({@code label}, {@code name}, {@code status}) over the engine's types. */
final class Filters {
  /** Actions Docker's {@code event} filter also matches with a detail after them. */
  private static final Set<String> FUZZY_ACTIONS =
      Set.of("health_status", "exec_create", "exec_start");

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
   * Whether an event's {@code action} passes the {@code event} filter's {@code wanted} actions
   * (none: every action). As Docker matches it: exactly, but {@code health_status}, {@code
   * exec_create} and {@code exec_start} also match their actions with a detail ({@code
   * health_status: healthy}).
   */
  static boolean actionMatches(String action, List<String> wanted) {
    return wanted.isEmpty()
        || wanted.stream()
            .anyMatch(w -> action.equals(w) || FUZZY_ACTIONS.contains(w) && action.startsWith(w));
  }

  /**
   * Whether container {@code c}, whose state Docker names {@code state}, passes the {@code label},
   * {@code name} and {@code status} filters. As Docker's: every label must match, and any one of
   * several names or states.
   */
  static boolean matches(Container c, String state, Map<String, List<String>> filters) {
    if (!labelsMatch(c.record().labels(), filters.getOrDefault("label", List.of()))) {
      return false;
    }
    List<String> names = filters.getOrDefault("name", List.of());
    boolean named = names.isEmpty();
    for (String name : names) {
      // A regular expression over the name with its leading slash, as Docker matches it.
      try {
        named |= Pattern.compile(name).matcher("/" + c.record().name()).find();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("the name filter is not a regular expression: " + name);
      }
    }
    List<String> states = filters.getOrDefault("status", List.of());
    return named && (states.isEmpty() || states.contains(state));
  }
}
