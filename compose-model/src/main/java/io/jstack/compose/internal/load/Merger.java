package io.jstack.compose.internal.load;

import io.jstack.compose.internal.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Merges canonical compose documents the way Compose merges {@code -f} files (and a service into
 * the one it extends), as compose-go's {@code override} package: mappings merge key by key, scalars
 * are replaced, lists that Compose keys (ports, volumes, secrets, configs, devices, env files,
 * links, and the lists of unique values: capabilities, profiles, expose, extra hosts, DNS settings,
 * tmpfs, build tags, network aliases) merge by their key, {@code command}, {@code entrypoint},
 * {@code healthcheck.test}, each ulimit and a logging block with another driver are replaced, other
 * lists are appended with repeats. {@code !reset} removes what the base had; {@code !override}
 * replaces it whole.
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

  private static YNode merge(@Nullable YNode base, YNode override, List<String> path) {
    if (OVERRIDE.equals(override.tag())) {
      return untagged(override);
    }
    if (base == null || Nodes.isNull(base)) {
      return override;
    }
    if (Nodes.isNull(override) && !nullReplaces(path)) {
      return base;
    }
    if (replacedWhole(path, base, override)) {
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
    if (base instanceof YNode.Scalar && override instanceof YNode.Scalar) {
      return override;
    }
    throw Nodes.error(
        override,
        String.join(".", path),
        "cannot override "
            + String.join(".", path)
            + ": "
            + YNode.describe(override)
            + " cannot replace "
            + YNode.describe(base)
            + " (use !override to replace it whole)");
  }

  /**
   * Values Compose replaces instead of merging: one ulimit ({@code nofile: {soft, hard}} is not
   * merged with the base's soft and hard), and a logging block naming another driver (the base's
   * options belong to the base's driver).
   */
  private static boolean replacedWhole(List<String> path, YNode base, YNode override) {
    if (matches(path, "services", "*", "ulimits", "*")
        || matches(path, "services", "*", "build", "ulimits", "*")) {
      return true;
    }
    if (matches(path, "services", "*", "logging")
        && base instanceof YNode.Map b
        && override instanceof YNode.Map o) {
      String baseDriver = YNode.text(b.get("driver"));
      String driver = YNode.text(o.get("driver"));
      return baseDriver != null && driver != null && !baseDriver.equals(driver);
    }
    return false;
  }

  /** Where a null value means something (a variable to take from the environment). */
  private static boolean nullReplaces(List<String> path) {
    return matches(path, "services", "*", "environment", "*")
        || matches(path, "services", "*", "build", "args", "*");
  }

  private static YNode sequences(YNode.Seq base, YNode.Seq override, List<String> path) {
    if (matches(path, "services", "*", "command")
        || matches(path, "services", "*", "entrypoint")
        || matches(path, "services", "*", "healthcheck", "test")) {
      return override;
    }
    Function<YNode, String> key = null;
    if (matches(path, "services", "*", "ports")) {
      key =
          n ->
              n instanceof YNode.Map m
                  ? textOr(m.get("host_ip"), "0.0.0.0")
                      + ":"
                      + textOr(m.get("published"), "")
                      + ":"
                      + textOr(m.get("target"), "")
                      + "/"
                      + textOr(m.get("protocol"), "tcp")
                  : String.valueOf(YNode.text(n));
    } else if (matches(path, "services", "*", "volumes")
        || matches(path, "services", "*", "devices")) {
      key =
          n ->
              n instanceof YNode.Map m
                  ? textOr(m.get("target"), "")
                  : String.valueOf(YNode.text(n));
    } else if (matches(path, "services", "*", "secrets")) {
      key = n -> fileTarget(n, "/run/secrets/");
    } else if (matches(path, "services", "*", "configs")) {
      key = n -> fileTarget(n, "/");
    } else if (matches(path, "services", "*", "env_file")) {
      key =
          n -> n instanceof YNode.Map m ? textOr(m.get("path"), "") : String.valueOf(YNode.text(n));
    } else if (matches(path, "services", "*", "links")) {
      key = n -> String.valueOf(YNode.text(n)).split("=", 2)[0];
    } else if (matches(path, "services", "*", "cap_add")
        || matches(path, "services", "*", "cap_drop")
        || matches(path, "services", "*", "profiles")
        || matches(path, "services", "*", "expose")
        || matches(path, "services", "*", "extra_hosts")
        || matches(path, "services", "*", "build", "extra_hosts")
        || matches(path, "services", "*", "build", "tags")
        || matches(path, "services", "*", "dns")
        || matches(path, "services", "*", "dns_opt")
        || matches(path, "services", "*", "dns_search")
        || matches(path, "services", "*", "tmpfs")
        || matches(path, "services", "*", "networks", "*", "aliases")
        || matches(path, "services", "*", "networks", "*", "link_local_ips")) {
      key = n -> String.valueOf(YNode.text(n));
    } else if (matches(path, "networks", "*", "ipam", "config")) {
      key =
          n ->
              n instanceof YNode.Map m
                  ? textOr(m.get("subnet"), "")
                  : String.valueOf(YNode.text(n));
    }
    List<YNode> out = new ArrayList<>(base.items());
    if (key == null) {
      out.addAll(override.items());
      return YNode.Seq.of(out, override.location());
    }
    return unique(out, override.items(), key, path);
  }

  /**
   * Appends {@code more} to {@code out}; an item whose key is already there replaces it in place.
   */
  private static YNode.Seq unique(
      List<YNode> out, List<YNode> more, Function<YNode, String> key, List<String> path) {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<YNode> result = new ArrayList<>();
    for (YNode item : out) {
      put(result, index, key.apply(item), item, path, false);
    }
    for (YNode item : more) {
      put(result, index, key.apply(item), item, path, true);
    }
    return YNode.Seq.of(result, null);
  }

  private static void put(
      List<YNode> result,
      Map<String, Integer> index,
      String k,
      YNode item,
      List<String> path,
      boolean merge) {
    Integer at = index.get(k);
    if (at == null) {
      index.put(k, result.size());
      result.add(item);
    } else if (merge && path.get(0).equals("networks")) {
      result.set(at, merge(result.get(at), item, path));
    } else {
      result.set(at, item);
    }
  }

  private static String fileTarget(YNode n, String prefix) {
    if (n instanceof YNode.Map m) {
      String target = YNode.text(m.get("target"));
      return target != null ? target : prefix + textOr(m.get("source"), "");
    }
    return prefix + YNode.text(n);
  }

  private static String textOr(@Nullable YNode n, String fallback) {
    String t = n == null ? null : YNode.text(n);
    return t == null ? fallback : t;
  }

  /**
   * Removes repeats from the lists Compose keys (ports, volumes, secrets...), a later item
   * replacing an earlier one with the same key, as Compose does after every merge.
   */
  static YNode.Map enforceUnicity(YNode.Map doc) {
    if (!(doc.get("services") instanceof YNode.Map services)) {
      return doc;
    }
    YNode.Map fixed =
        Nodes.mapValues(
            services,
            "services",
            (name, svc) -> {
              if (!(svc instanceof YNode.Map m)) {
                return svc;
              }
              return Nodes.mapValues(
                  m,
                  "",
                  (key, value) -> {
                    if (!(value instanceof YNode.Seq seq) || value.tag() != null) {
                      return value;
                    }
                    YNode.Seq empty = YNode.Seq.of(List.of(), seq.location());
                    YNode.Seq merged =
                        (YNode.Seq) sequences(empty, seq, List.of("services", name, key));
                    return merged.items().size() == seq.items().size() ? seq : merged;
                  });
            });
    return fixed == services ? doc : Nodes.with(doc, "services", fixed);
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
