package io.jstack.compose.internal.syntax;

import io.jstack.compose.PortConfig;
import java.util.List;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class Ports {
  private Ports() {}

  public static List<PortConfig> parse(String spec) {
    String[] parts = spec.split(":");
    String target = parts[parts.length - 1];
    String proto = "tcp";
    int slash = target.indexOf('/');
    if (slash >= 0) {
      proto = target.substring(slash + 1);
      target = target.substring(0, slash);
    }
    String published = parts.length >= 2 ? parts[parts.length - 2] : null;
    String ip = parts.length >= 3 ? parts[0] : null;
    try {
      return List.of(
          new PortConfig(
              null,
              "ingress",
              ip,
              Integer.parseInt(target),
              published == null || published.isEmpty() ? null : published,
              proto,
              null));
    } catch (NumberFormatException e) {
      throw new SyntaxException("invalid port \"" + spec + "\"");
    }
  }
}
