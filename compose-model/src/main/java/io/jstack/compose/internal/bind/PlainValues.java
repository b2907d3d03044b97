package io.jstack.compose.internal.bind;

import io.jstack.compose.internal.yaml.ScalarKinds;
import io.jstack.compose.internal.yaml.YNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Plain Java values (maps, lists, strings, numbers, booleans, null) for {@code x-*} content. */
public final class PlainValues {
  private PlainValues() {}

  public static @Nullable Object of(YNode node) {
    if (node instanceof YNode.Map m) {
      Map<String, Object> out = new TreeMap<>();
      m.entries().forEach((k, v) -> out.put(k, of(v)));
      return Collections.unmodifiableMap(out);
    }
    if (node instanceof YNode.Seq s) {
      List<Object> out = new ArrayList<>();
      s.items().forEach(i -> out.add(of(i)));
      return Collections.unmodifiableList(out);
    }
    YNode.Scalar s = (YNode.Scalar) node;
    return switch (s.kind()) {
      case NULL -> null;
      case BOOL -> Boolean.parseBoolean(s.value().toLowerCase(java.util.Locale.ROOT));
      case INT -> ScalarKinds.parseInt(s.value());
      case FLOAT -> floatValue(s.value());
      case STRING -> s.value();
    };
  }

  private static Object floatValue(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-.inf" -> Double.NEGATIVE_INFINITY;
      case ".nan" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
