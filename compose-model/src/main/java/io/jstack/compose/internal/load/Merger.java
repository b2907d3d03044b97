package io.jstack.compose.internal.load;

import io.jstack.compose.internal.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges canonical compose documents the way Compose merges {@code -f} files (and a service into
 * the one it extends): mappings merge key by key, scalars are replaced, lists that Compose keys
 * (ports, volumes, secrets, configs, devices, env files) merge by their key, {@code command},
 * {@code entrypoint} and {@code healthcheck.test} are replaced, other lists are appended without
 * repeats. {@code !reset} removes what the base had; {@code !override} replaces it whole.
 */
final class Merger {
  static final String RESET = "!reset";
  static final String OVERRIDE = "!override";

  private Merger() {}

  /** {@code override} merged onto {@code base}; both are whole documents. */
  static YNode.Map documents(YNode.Map base, YNode.Map override) {
    return (YNode.Map) merge(base, override, List.of());
  }

  /** {@code override} merged onto {@code base}; both are services. */
  static YNode.Map services(YNode.Map base, YNode.Map override) {
    return (YNode.Map) merge(base, override, List.of("services", "*"));
  }

  private static YNode merge(YNode base, YNode override, List<String> path) {
    if (OVERRIDE.equals(override.tag())) {
      return untagged(override);
    }
    if (base == null || Nodes.isNull(base)) {
      return override;
    }
    if (base instanceof YNode.Map b && override instanceof YNode.Map o) {
      Map<String, YNode> out = new LinkedHashMap<>(b.entries());
      Map<String, io.jstack.compose.SourceLocation> keys = new LinkedHashMap<>(b.keyLocations());
      for (Map.Entry<String, YNode> e : o.entries().entrySet()) {
        YNode v = e.getValue();
        if (RESET.equals(v.tag())) {
          out.remove(e.getKey());
          keys.remove(e.getKey());
          continue;
        }
        List<String> childPath = append(path, e.getKey());
        out.put(e.getKey(), merge(out.get(e.getKey()), v, childPath));
        keys.put(e.getKey(), o.locationOf(e.getKey()));
      }
      return YNode.Map.of(out, keys, o.location());
    }
    if (base instanceof YNode.Seq b && override instanceof YNode.Seq o) {
      return sequences(b, o, path);
    }
    return override;
  }

  private static YNode sequences(YNode.Seq base, YNode.Seq override, List<String> path) {
    if (matches(path, "services", "*", "command")
        || matches(path, "services", "*", "entrypoint")
        || matches(path, "services", "*", "healthcheck", "test")) {
      return override;
    }
    Function<YNode, String> key = null;
    if (matches(path, "services", "*", "ports")) {
      key = n -> keyOf(n, "host_ip", "published", "target", "protocol", "mode");
    } else if (matches(path, "services", "*", "volumes")) {
      key = n -> keyOf(n, "target");
    } else if (matches(path, "services", "*", "secrets")
        || matches(path, "services", "*", "configs")) {
      key = n -> keyOf(n, "source", "target");
    } else if (matches(path, "services", "*", "devices")) {
      key = n -> keyOf(n, "target");
    } else if (matches(path, "services", "*", "env_file")) {
      key = n -> keyOf(n, "path");
    }
    List<YNode> out = new ArrayList<>(base.items());
    if (key == null) {
      out.addAll(override.items());
      return YNode.Seq.of(Canonical.distinct(out), override.location());
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < out.size(); i++) {
      index.put(key.apply(out.get(i)), i);
    }
    for (YNode item : override.items()) {
      String k = key.apply(item);
      Integer at = index.get(k);
      if (at != null) {
        out.set(at, merge(out.get(at), item, path));
      } else {
        index.put(k, out.size());
        out.add(item);
      }
    }
    return YNode.Seq.of(out, override.location());
  }

  private static String keyOf(YNode node, String... fields) {
    if (!(node instanceof YNode.Map m)) {
      return String.valueOf(YNode.text(node));
    }
    StringBuilder sb = new StringBuilder();
    for (String f : fields) {
      YNode v = m.get(f);
      sb.append(v == null ? "" : YNode.text(v)).append('\u0000');
    }
    return sb.toString();
  }

  private static boolean matches(List<String> path, String... pattern) {
    if (path.size() != pattern.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      if (!pattern[i].equals("*") && !pattern[i].equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> append(List<String> path, String key) {
    List<String> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(key);
    return p;
  }

  private static YNode untagged(YNode node) {
    if (node instanceof YNode.Map m) {
      return m.withTag(null);
    }
    if (node instanceof YNode.Seq s) {
      return s.withTag(null);
    }
    YNode.Scalar s = (YNode.Scalar) node;
    return new YNode.Scalar(s.value(), s.kind(), s.location(), null);
  }

  /** Drops entries still tagged {@code !reset} (nothing to reset) and clears {@code !override}. */
  static YNode stripTags(YNode node) {
    if (node instanceof YNode.Map m) {
      Map<String, YNode> out = new LinkedHashMap<>();
      boolean changed = m.tag() != null;
      for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
        if (RESET.equals(e.getValue().tag())) {
          changed = true;
          continue;
        }
        YNode v = stripTags(e.getValue());
        changed |= v != e.getValue();
        out.put(e.getKey(), v);
      }
      return changed ? m.withEntries(out).withTag(null) : m;
    }
    if (node instanceof YNode.Seq s) {
      List<YNode> out = new ArrayList<>();
      boolean changed = s.tag() != null;
      for (YNode item : s.items()) {
        if (RESET.equals(item.tag())) {
          changed = true;
          continue;
        }
        YNode v = stripTags(item);
        changed |= v != item;
        out.add(v);
      }
      return changed ? YNode.Seq.of(out, s.location()) : s;
    }
    return node.tag() == null ? node : untagged(node);
  }
}
