package io.jstack.compose.internal.syntax;

import java.util.Map;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class ExtraHosts {
  private ExtraHosts() {}

  public static Map.Entry<String, String> parse(String s) {
    int i = s.indexOf('=');
    if (i < 0) {
      i = s.indexOf(':');
    }
    if (i < 0) {
      throw new SyntaxException("invalid extra host \"" + s + "\"");
    }
    return Map.entry(s.substring(0, i), s.substring(i + 1));
  }
}
