package io.jstack.compose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Defensive copies for the model's records; unlike {@code Map.copyOf} they allow null values. */
final class Values {
  private Values() {}

  /** An unmodifiable, key-sorted copy; {@code null} becomes empty. */
  static <V> Map<String, V> sortedMap(@Nullable Map<String, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** An unmodifiable copy keeping order; {@code null} stays {@code null} (absent). */
  static <V> @Nullable Map<String, V> orderedMapOrNull(@Nullable Map<String, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** An unmodifiable copy; {@code null} becomes empty. */
  static <T> List<T> list(@Nullable List<T> list) {
    return list == null || list.isEmpty()
        ? List.of()
        : Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable copy; {@code null} stays {@code null} (absent, unlike empty). */
  static <T> @Nullable List<T> listOrNull(@Nullable List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
