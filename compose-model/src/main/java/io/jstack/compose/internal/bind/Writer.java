package io.jstack.compose.internal.bind;

import io.jstack.compose.ByteSize;
import io.jstack.compose.FileMode;
import io.jstack.compose.Ulimit;
import io.jstack.compose.internal.syntax.ByteSizes;
import io.jstack.compose.internal.syntax.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns model records into plain, key-sorted Java trees in Compose's canonical shape, ready for a
 * YAML or JSON encoder. Unset values (null, false, empty) are left out, as {@code docker compose
 * config} leaves them out.
 */
public final class Writer {
  private final boolean escapeDollars;

  private Writer(boolean escapeDollars) {
    this.escapeDollars = escapeDollars;
  }

  /**
   * The plain tree of {@code value}. With {@code escapeDollars}, every {@code $} in a string is
   * doubled so that the output loads back to the same model.
   */
  public static Object toPlain(Object value, boolean escapeDollars) {
    return new Writer(escapeDollars).plainOf(value);
  }

  private @Nullable Object plain(@Nullable Object value) {
    return value == null ? null : plainOf(value);
  }

  private Object plainOf(Object value) {
    if (value instanceof String s) {
      return escapeDollars ? s.replace("$", "$$") : s;
    }
    if (value instanceof Duration d) {
      return GoDuration.format(d);
    }
    if (value instanceof ByteSize b) {
      return ByteSizes.format(b.bytes());
    }
    if (value instanceof FileMode m) {
      return m.toString();
    }
    if (value instanceof Ulimit u && u.single() != null) {
      return u.single();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(plainKey(k), plain(v)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(v -> out.add(plain(v)));
      return Collections.unmodifiableList(out);
    }
    if (value.getClass().isRecord()) {
      return record(value, RecordShape.of(value.getClass()));
    }
    throw new IllegalStateException("cannot write " + value.getClass());
  }

  private String plainKey(Object key) {
    return (String) key;
  }

  private Map<String, Object> record(Object value, RecordShape shape) {
    Map<String, Object> out = new TreeMap<>();
    for (RecordShape.Component c : shape.components) {
      if (c.mapKey()) {
        continue;
      }
      Object v = c.get(value);
      if (c == shape.extensions) {
        ((Map<?, ?>) v).forEach((k, x) -> out.put((String) k, plain(x)));
        continue;
      }
      if (isUnset(v, c.keepEmpty())) {
        continue;
      }
      out.put(c.key(), plain(v));
    }
    return Collections.unmodifiableMap(out);
  }

  private static boolean isUnset(@Nullable Object v, boolean keepEmpty) {
    if (v == null) {
      return true;
    }
    if (keepEmpty) {
      return false;
    }
    return Boolean.FALSE.equals(v)
        || v instanceof Collection<?> c && c.isEmpty()
        || v instanceof Map<?, ?> m && m.isEmpty();
  }
}
