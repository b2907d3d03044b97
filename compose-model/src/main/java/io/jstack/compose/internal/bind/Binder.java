package io.jstack.compose.internal.bind;

import io.jstack.compose.ByteSize;
import io.jstack.compose.ComposeException;
import io.jstack.compose.FileMode;
import io.jstack.compose.Ulimit;
import io.jstack.compose.internal.syntax.ByteSizes;
import io.jstack.compose.internal.syntax.GoDuration;
import io.jstack.compose.internal.syntax.SyntaxException;
import io.jstack.compose.internal.yaml.ScalarKinds;
import io.jstack.compose.internal.yaml.YNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Binds canonical (already normalised) YAML trees to the model's records, strictly: unknown keys
 * and wrong types are errors that name the YAML path. Scalars written as strings are cast where
 * Compose casts them after interpolation ({@code "8080"} for a number, {@code "true"} for a flag).
 */
public final class Binder {
  private Binder() {}

  /**
   * Binds {@code node} to {@code type}.
   *
   * @throws ComposeException naming the path and location of the first node that does not fit
   */
  public static <T> @Nullable T bind(YNode node, Class<T> type, String path) {
    return type.cast(value(node, type, path, null));
  }

  private static @Nullable Object value(
      YNode node, Type type, String path, @Nullable String mapKey) {
    Class<?> raw = raw(type);
    if (node instanceof YNode.Scalar s && s.isNull() && !raw.isPrimitive()) {
      return null;
    }
    if (raw == String.class) {
      return string(node, path);
    }
    if (raw == Long.class || raw == long.class) {
      return integer(node, path);
    }
    if (raw == Integer.class || raw == int.class) {
      long v = integer(node, path);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw error(node, path, "number " + v + " is out of range");
      }
      return (int) v;
    }
    if (raw == Double.class || raw == double.class) {
      return decimal(node, path);
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return bool(node, path);
    }
    if (raw == Duration.class) {
      String text = string(node, path);
      try {
        return GoDuration.parse(text);
      } catch (SyntaxException e) {
        throw error(node, path, String.valueOf(e.getMessage()));
      }
    }
    if (raw == ByteSize.class) {
      YNode.Scalar s = scalar(node, path, "a size such as 512m or 1g");
      if (s.kind() == YNode.Kind.INT) {
        // An INT scalar is one that parseInt accepts.
        return new ByteSize(Objects.requireNonNull(ScalarKinds.parseInt(s.value())));
      }
      try {
        return new ByteSize(ByteSizes.parse(s.value()));
      } catch (SyntaxException e) {
        throw error(node, path, String.valueOf(e.getMessage()));
      }
    }
    if (raw == List.class) {
      if (!(node instanceof YNode.Seq seq)) {
        throw error(node, path, "must be a list, not " + YNode.describe(node));
      }
      Type item = typeArg(type, 0);
      List<Object> out = new ArrayList<>(seq.items().size());
      for (int i = 0; i < seq.items().size(); i++) {
        YNode n = seq.items().get(i);
        if (n instanceof YNode.Scalar s && s.isNull()) {
          throw error(
              n, path + "[" + i + "]", "a list item cannot be empty: remove it or give it a value");
        }
        out.add(value(n, item, path + "[" + i + "]", null));
      }
      return Collections.unmodifiableList(out);
    }
    if (raw == Map.class) {
      if (!(node instanceof YNode.Map map)) {
        throw error(node, path, "must be a mapping, not " + YNode.describe(node));
      }
      Type item = typeArg(type, 1);
      Map<String, Object> out = new TreeMap<>();
      for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
        String childPath = PathNames.child(path, e.getKey());
        out.put(e.getKey(), value(e.getValue(), item, childPath, e.getKey()));
      }
      return Collections.unmodifiableMap(out);
    }
    if (raw == FileMode.class) {
      YNode.Scalar s = scalar(node, path, "an octal file mode such as 0440");
      Long bits =
          s.kind() == YNode.Kind.STRING ? octal(s.value()) : ScalarKinds.parseInt(s.value());
      if (bits == null || bits < 0 || bits > 07777) {
        throw error(
            node, path, "invalid file mode \"" + s.value() + "\": use octal digits such as 0440");
      }
      return new FileMode(bits.intValue());
    }
    if (raw == Ulimit.class && node instanceof YNode.Scalar) {
      return new Ulimit(integer(node, path), null, null);
    }
    if (raw == Object.class) {
      return PlainValues.of(node);
    }
    if (raw.isRecord()) {
      return record(node, RecordShape.of(raw), path, mapKey);
    }
    throw new IllegalStateException("no binding for " + type + " at " + path);
  }

  private static Object record(
      YNode node, RecordShape shape, String path, @Nullable String mapKey) {
    if (!(node instanceof YNode.Map map)) {
      throw error(node, path, "must be a mapping, not " + YNode.describe(node));
    }
    Object[] args = new Object[shape.components.size()];
    boolean[] set = new boolean[args.length];
    Map<String, Object> extensions = null;
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      String key = e.getKey();
      RecordShape.Component c = shape.byKey.get(key);
      if (c == null) {
        if (key.startsWith("x-") && shape.extensions != null) {
          if (extensions == null) {
            extensions = new TreeMap<>();
          }
          extensions.put(key, PlainValues.of(e.getValue()));
          continue;
        }
        throw new ComposeException(
            map.locationOf(key),
            path,
            "additional property \""
                + key
                + "\" is not allowed"
                + Suggestions.didYouMean(key, shape.byKey.keySet()));
      }
      args[c.index()] = value(e.getValue(), c.type(), PathNames.child(path, key), null);
      set[c.index()] = true;
    }
    for (RecordShape.Component c : shape.components) {
      if (c.mapKey()) {
        args[c.index()] = mapKey;
      } else if (c == shape.extensions) {
        args[c.index()] = extensions == null ? Map.of() : Collections.unmodifiableMap(extensions);
      } else if (!set[c.index()] || args[c.index()] == null) {
        args[c.index()] = absent(c);
      }
    }
    try {
      return shape.construct(args);
    } catch (ComposeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ComposeException(node.location(), path, String.valueOf(e.getMessage()));
    }
  }

  /** The value of a component the file did not set. */
  private static @Nullable Object absent(RecordShape.Component c) {
    Class<?> raw = c.raw();
    if (raw == boolean.class) {
      return false;
    }
    if (raw == int.class) {
      return 0;
    }
    if (raw == long.class) {
      return 0L;
    }
    if (raw == double.class) {
      return 0.0;
    }
    if (c.keepEmpty()) {
      return null;
    }
    if (raw == List.class) {
      return List.of();
    }
    if (raw == Map.class) {
      return Map.of();
    }
    return null;
  }

  /** A mode written as text is octal, with or without a leading 0 or 0o. */
  private static @Nullable Long octal(String text) {
    String t = text.trim();
    if (t.startsWith("0o") || t.startsWith("0O")) {
      t = t.substring(2);
    }
    try {
      return Long.parseLong(t, 8);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static YNode.Scalar scalar(YNode node, String path, String expected) {
    if (node instanceof YNode.Scalar s && !s.isNull()) {
      return s;
    }
    throw error(node, path, "must be " + expected + ", not " + YNode.describe(node));
  }

  private static String string(YNode node, String path) {
    YNode.Scalar s = scalar(node, path, "a string");
    return s.value();
  }

  private static long integer(YNode node, String path) {
    YNode.Scalar s = scalar(node, path, "an integer");
    Long v = ScalarKinds.parseInt(s.value().trim());
    if (v == null || s.kind() == YNode.Kind.FLOAT || s.kind() == YNode.Kind.BOOL) {
      throw error(node, path, "must be an integer, not \"" + s.value() + "\"");
    }
    return v;
  }

  private static double decimal(YNode node, String path) {
    YNode.Scalar s = scalar(node, path, "a number");
    try {
      if (s.kind() == YNode.Kind.BOOL) {
        throw new NumberFormatException();
      }
      Long asInt = ScalarKinds.parseInt(s.value().trim());
      return asInt != null ? asInt : Double.parseDouble(s.value().trim());
    } catch (NumberFormatException e) {
      throw error(node, path, "must be a number, not \"" + s.value() + "\"");
    }
  }

  /** Booleans as Compose casts them: YAML's, plus the words Go's parser and YAML 1.1 accept. */
  static boolean bool(YNode node, String path) {
    YNode.Scalar s = scalar(node, path, "a boolean");
    switch (s.value().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "on", "1", "t" -> {
        return true;
      }
      case "false", "no", "n", "off", "0", "f" -> {
        return false;
      }
      default -> throw error(node, path, "must be a boolean, not \"" + s.value() + "\"");
    }
  }

  static ComposeException error(YNode node, String path, String problem) {
    return new ComposeException(node.location(), path, problem);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    return (Class<?>) ((ParameterizedType) type).getRawType();
  }

  private static Type typeArg(Type type, int i) {
    return ((ParameterizedType) type).getActualTypeArguments()[i];
  }
}
