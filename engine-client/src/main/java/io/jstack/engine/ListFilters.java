package io.jstack.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The filters of a list or prune, as Docker's API takes them ({@code filters={"key":["v"]}}): each
 * key with its values, e.g. {@code label} with {@code com.example=1}, {@code dangling} with {@code
 * true}. Which keys an engine reads depends on what is listed; an engine refuses the others.
 */
public record ListFilters(Map<String, List<String>> values) {
  public ListFilters {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    values = java.util.Collections.unmodifiableMap(copy);
  }

  /** No filter: everything. */
  public static ListFilters none() {
    return new ListFilters(Map.of());
  }

  /**
   * Filters as a command line gives them, {@code key=value} each (Docker's {@code --filter}).
   *
   * @throws IllegalArgumentException saying which one has no {@code =}
   */
  public static ListFilters parse(List<String> keyValues) {
    ListFilters f = none();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "bad format of filter '" + kv + "': write it as key=value, e.g. label=com.example=1");
      }
      f = f.with(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return f;
  }

  /** These filters and {@code key=value}. */
  public ListFilters with(String key, String value) {
    Map<String, List<String>> copy = new TreeMap<>(values);
    List<String> v = new ArrayList<>(copy.getOrDefault(key, List.of()));
    v.add(value);
    copy.put(key, v);
    return new ListFilters(copy);
  }

  /** The values of {@code key}; none when it is not filtered on. */
  public List<String> get(String key) {
    return values.getOrDefault(key, List.of());
  }

  /**
   * Refuses keys other than {@code known}, as Docker does, for a list or prune of {@code what}.
   *
   * @throws EngineException.InvalidArgument naming the key and those there are
   */
  public void requireOnly(String what, String... known) {
    for (String key : values.keySet()) {
      if (!List.of(known).contains(key)) {
        throw new EngineException.InvalidArgument(
            "invalid filter '" + key + "' for " + what + ": use " + String.join(", ", known));
      }
    }
  }

  /**
   * Whether {@code labels} has every {@code label} ({@code key} or {@code key=value}) and none of
   * {@code label!}, as Docker matches them.
   */
  public boolean labelsMatch(Map<String, String> labels) {
    return get("label").stream().allMatch(l -> hasLabel(labels, l))
        && get("label!").stream().noneMatch(l -> hasLabel(labels, l));
  }

  private static boolean hasLabel(Map<String, String> labels, String wanted) {
    int eq = wanted.indexOf('=');
    String key = eq < 0 ? wanted : wanted.substring(0, eq);
    return labels.containsKey(key) && (eq < 0 || labels.get(key).equals(wanted.substring(eq + 1)));
  }

  /** Whether {@code key} is not filtered on, or one of its values passes {@code test}. */
  public boolean anyOrNone(String key, java.util.function.Predicate<String> test) {
    List<String> v = get(key);
    return v.isEmpty() || v.stream().anyMatch(test);
  }

  /**
   * The boolean value of {@code key} ({@code true}/{@code 1} or {@code false}/{@code 0}); empty
   * when it is not filtered on.
   *
   * @throws EngineException.InvalidArgument for another value
   */
  public java.util.Optional<Boolean> bool(String key) {
    List<String> v = get(key);
    if (v.isEmpty()) {
      return java.util.Optional.empty();
    }
    String last = v.get(v.size() - 1).toLowerCase(java.util.Locale.ROOT);
    return switch (last) {
      case "true", "1" -> java.util.Optional.of(true);
      case "false", "0" -> java.util.Optional.of(false);
      default ->
          throw new EngineException.InvalidArgument(
              "invalid filter '" + key + "=" + last + "': use true or false");
    };
  }

  /** Whether there is no filter at all. */
  public boolean isEmpty() {
    return values.isEmpty();
  }
}
