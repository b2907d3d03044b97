package io.jstack.compose.internal.bind;

import java.util.regex.Pattern;

/** YAML paths as errors print them: {@code services.web.ports[0]}, {@code labels["a.b"]}. */
public final class PathNames {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

  private PathNames() {}

  /** The path of {@code key} below {@code parent}. */
  public static String child(String parent, String key) {
    String k =
        PLAIN.matcher(key).matches() ? key : "\"" + printable(key).replace("\"", "\\\"") + "\"";
    if (parent.isEmpty()) {
      return k;
    }
    return PLAIN.matcher(key).matches() ? parent + "." + k : parent + "[" + k + "]";
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  public static String item(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** {@code s} with control characters shown as {@code \xNN}, so that a message stays one line. */
  public static String printable(String s) {
    return s.codePoints()
        .mapToObj(
            c -> Character.isISOControl(c) ? String.format("\\x%02x", c) : Character.toString(c))
        .collect(java.util.stream.Collectors.joining());
  }
}
