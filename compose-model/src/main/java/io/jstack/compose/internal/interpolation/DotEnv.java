package io.jstack.compose.internal.interpolation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** TEMPORARY placeholder, replaced by the interp branch. */
public final class DotEnv {
  private DotEnv() {}

  public static Map<String, String> parse(
      String content, Function<String, Optional<String>> lookup) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : content.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("export ")) {
        l = l.substring(7).strip();
      }
      int eq = l.indexOf('=');
      if (eq < 0) {
        lookup.apply(l).ifPresent(v -> out.put(line.strip(), v));
        continue;
      }
      String v = l.substring(eq + 1).strip();
      if (v.length() >= 2
          && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      out.put(l.substring(0, eq).strip(), v);
    }
    return Collections.unmodifiableMap(out);
  }
}
