package io.jstack.compose.internal.load;

import static io.jstack.compose.internal.load.Nodes.child;
import static io.jstack.compose.internal.load.Nodes.error;

import io.jstack.compose.SourceLocation;
import io.jstack.compose.internal.bind.Writer;
import io.jstack.compose.internal.syntax.ExtraHosts;
import io.jstack.compose.internal.syntax.Ports;
import io.jstack.compose.internal.syntax.ShellWords;
import io.jstack.compose.internal.syntax.SyntaxException;
import io.jstack.compose.internal.syntax.Volumes;
import io.jstack.compose.internal.yaml.YNode;
import io.jstack.compose.internal.yaml.YNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites every short syntax of a compose document to its long form ({@code "8080:80"} to a port
 * mapping, a list of {@code KEY=VALUE} to a mapping, a command string to a list...), so that
 * merging and binding see one shape. It resolves no paths and adds no defaults that depend on the
 * project; {@link Normalizer} does that after merging. Applying it twice changes nothing.
 */
final class Canonical {
  private Canonical() {}

  /** The canonical form of a whole compose document. */
  static YNode.Map document(YNode.Map doc) {
    return Nodes.mapValues(
        doc,
        "",
        (key, value) ->
            switch (key) {
              case "services" ->
                  Nodes.mapValues(
                      Nodes.mapOrEmpty(value, key),
                      key,
                      (name, svc) ->
                          service(Nodes.mapOrEmpty(svc, child(key, name)), child(key, name)));
              case "networks", "volumes", "secrets", "configs", "models" ->
                  Nodes.mapValues(
                      Nodes.mapOrEmpty(value, key),
                      key,
                      (name, res) -> resource(res, child(key, name)));
              default -> value;
            });
  }

  /** A top-level network, volume, secret, config or model; {@code external: {name: x}} unfolded. */
  private static YNode resource(YNode node, String path) {
    YNode.Map m = Nodes.mapOrEmpty(node, path);
    YNode ext = m.get("external");
    if (ext instanceof YNode.Map em) {
      YNode name = em.get("name");
      m = Nodes.with(m, "external", YNodes.bool(true, ext.location()));
      if (name != null && !m.entries().containsKey("name")) {
        m = Nodes.with(m, "name", name);
      }
    }
    YNode labels = m.get("labels");
    if (labels != null) {
      m = Nodes.with(m, "labels", dict(labels, child(path, "labels"), false));
    }
    for (String key : List.of("driver_opts")) {
      YNode v = m.get(key);
      if (v instanceof YNode.Map) {
        m = Nodes.with(m, key, dict(v, child(path, key), false));
      }
    }
    return m;
  }

  static YNode.Map service(YNode.Map svc, String path) {
    return Nodes.mapValues(svc, path, (key, value) -> serviceKey(key, value, child(path, key)));
  }

  private static YNode serviceKey(String key, YNode value, String path) {
    if (Nodes.isNull(value) && !key.equals("pid") && !key.equals("networks")) {
      return value;
    }
    return switch (key) {
      case "build" -> build(value, path);
      case "command", "entrypoint" -> command(value, path);
      case "configs" -> fileReferences(value, path, null);
      case "secrets" -> fileReferences(value, path, "/run/secrets/");
      case "depends_on" -> dependsOn(value, path);
      case "devices" -> devices(value, path);
      case "dns", "dns_opt", "dns_search", "tmpfs", "label_file" -> stringOrList(value, path);
      case "env_file" -> envFile(value, path);
      case "environment" -> dict(value, path, true);
      case "labels", "annotations", "sysctls", "storage_opt" -> dict(value, path, false);
      case "expose", "group_add", "cap_add", "cap_drop", "security_opt" -> scalarList(value, path);
      case "extends" ->
          value instanceof YNode.Scalar s ? YNodes.map(mapOf("service", s), s.location()) : value;
      case "extra_hosts" -> extraHosts(value, path);
      case "healthcheck" -> healthcheck(value, path);
      case "logging" -> logging(value, path);
      case "networks" -> namedMap(value, path);
      case "models" -> namedMap(value, path);
      case "ports" -> ports(value, path);
      case "ulimits" -> ulimits(value, path);
      case "volumes" -> volumes(value, path);
      case "post_start", "pre_start", "pre_stop" -> hooks(value, path);
      case "develop" -> develop(value, path);
      case "gpus" -> gpus(value, path);
      case "deploy" -> deploy(value, path);
      default -> value;
    };
  }

  private static YNode deploy(YNode value, String path) {
    YNode.Map m = Nodes.map(value, path);
    if (m.get("labels") != null) {
      m = Nodes.with(m, "labels", dict(m.get("labels"), child(path, "labels"), false));
    }
    if (m.get("resources") instanceof YNode.Map res
        && res.get("reservations") instanceof YNode.Map rsv
        && rsv.get("devices") != null) {
      String at = child(child(child(path, "resources"), "reservations"), "devices");
      YNode devices = gpus(rsv.get("devices"), at);
      m =
          Nodes.with(
              m, "resources", Nodes.with(res, "reservations", Nodes.with(rsv, "devices", devices)));
    }
    return m;
  }

  private static Map<String, YNode> mapOf(String k, YNode v) {
    Map<String, YNode> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }

  private static YNode build(YNode value, String path) {
    if (value instanceof YNode.Scalar s) {
      return YNodes.map(mapOf("context", s), s.location());
    }
    YNode.Map m = Nodes.map(value, path);
    return Nodes.mapValues(
        m,
        path,
        (k, v) ->
            switch (k) {
              case "args" -> dict(v, child(path, k), true);
              case "labels", "additional_contexts" -> dict(v, child(path, k), false);
              case "secrets" -> fileReferences(v, child(path, k), null);
              case "extra_hosts" -> extraHosts(v, child(path, k));
              case "ulimits" -> ulimits(v, child(path, k));
              case "ssh" -> sshList(v, child(path, k));
              case "cache_from",
                  "cache_to",
                  "tags",
                  "platforms",
                  "entitlements",
                  "no_cache_filter" ->
                  stringOrList(v, child(path, k));
              default -> v;
            });
  }

  private static YNode sshList(YNode value, String path) {
    if (value instanceof YNode.Map m) {
      List<YNode> items = new ArrayList<>();
      m.entries()
          .forEach(
              (k, v) ->
                  items.add(
                      YNodes.string(
                          Nodes.isNull(v) ? k : k + "=" + Nodes.text(v, child(path, k)),
                          m.locationOf(k))));
      return YNodes.seq(items, value.location());
    }
    return stringOrList(value, path);
  }

  static YNode command(YNode value, String path) {
    if (value instanceof YNode.Scalar s) {
      try {
        List<YNode> words = new ArrayList<>();
        for (String w : ShellWords.split(s.value())) {
          words.add(YNodes.string(w, s.location()));
        }
        return YNodes.seq(words, s.location());
      } catch (SyntaxException e) {
        throw error(value, path, String.valueOf(e.getMessage()));
      }
    }
    return scalarList(value, path);
  }

  private static YNode stringOrList(YNode value, String path) {
    if (value instanceof YNode.Scalar s) {
      return YNodes.seq(List.of(YNodes.string(s.value(), s.location())), s.location());
    }
    return scalarList(value, path);
  }

  /** A list whose scalar items become strings ({@code expose: [80]} is {@code ["80"]}). */
  private static YNode scalarList(YNode value, String path) {
    if (!(value instanceof YNode.Seq seq)) {
      throw error(value, path, "must be a list, not " + YNode.describe(value));
    }
    List<YNode> items = new ArrayList<>(seq.items().size());
    boolean changed = false;
    for (int i = 0; i < seq.items().size(); i++) {
      YNode item = seq.items().get(i);
      if (item instanceof YNode.Scalar s && !s.isNull() && s.kind() != YNode.Kind.STRING) {
        items.add(YNodes.string(s.value(), s.location()));
        changed = true;
      } else if (item instanceof YNode.Scalar s && !s.isNull()) {
        items.add(item);
      } else {
        throw error(item, path + "[" + i + "]", "must be a string, not " + YNode.describe(item));
      }
    }
    return changed ? withTag(YNodes.seq(items, seq.location()), seq.tag()) : seq;
  }

  private static YNode withTag(YNode.Seq seq, @Nullable String tag) {
    return tag == null ? seq : seq.withTag(tag);
  }

  /**
   * {@code list_or_dict}: a list of {@code KEY=VALUE} (or bare {@code KEY}) or a mapping, to a
   * mapping of strings. A bare key is {@code null} where Compose resolves it later (environment,
   * build args) and the empty string elsewhere (labels).
   */
  static YNode dict(YNode value, String path, boolean bareKeyIsNull) {
    Map<String, YNode> out = new LinkedHashMap<>();
    Map<String, SourceLocation> keys = new LinkedHashMap<>();
    if (value instanceof YNode.Seq seq) {
      for (int i = 0; i < seq.items().size(); i++) {
        YNode item = seq.items().get(i);
        String text = Nodes.text(item, path + "[" + i + "]");
        int eq = text.indexOf('=');
        String k = eq < 0 ? text : text.substring(0, eq);
        YNode v =
            eq >= 0
                ? YNodes.string(text.substring(eq + 1), item.location())
                : bareKeyIsNull ? YNodes.nul(item.location()) : YNodes.string("", item.location());
        if (k.isEmpty()) {
          throw error(item, path + "[" + i + "]", "\"" + text + "\" has no name before '='");
        }
        out.put(k, v);
        keys.put(k, item.location());
      }
      YNode.Map m = YNode.Map.of(out, keys, value.location());
      return seq.tag() == null ? m : m.withTag(seq.tag());
    }
    YNode.Map m = Nodes.map(value, path);
    boolean changed = false;
    for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
      YNode v = e.getValue();
      if (v instanceof YNode.Scalar s && !s.isNull() && s.kind() != YNode.Kind.STRING) {
        v = YNodes.string(s.value(), s.location());
        changed = true;
      } else if (v instanceof YNode.Scalar s && s.isNull() && !bareKeyIsNull) {
        v = YNodes.string("", s.location());
        changed = true;
      } else if (!(v instanceof YNode.Scalar)) {
        throw error(
            v,
            child(path, e.getKey()),
            "must be a string, number, boolean or null, not " + YNode.describe(v));
      }
      out.put(e.getKey(), v);
    }
    return changed ? m.withEntries(out) : m;
  }

  /** Short references become {@code {source: x}}; secrets get Compose's default target. */
  private static YNode fileReferences(YNode value, String path, @Nullable String defaultTargetDir) {
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (YNode item : seq.items()) {
      YNode.Map m =
          item instanceof YNode.Scalar s
              ? YNodes.map(mapOf("source", YNodes.string(s.value(), s.location())), s.location())
              : Nodes.map(item, path);
      String source = YNode.text(m.get("source"));
      if (defaultTargetDir != null && m.get("target") == null && source != null) {
        m = Nodes.with(m, "target", YNodes.string(defaultTargetDir + source, m.location()));
      }
      items.add(m);
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode.Seq seq(YNode value, String path) {
    if (value instanceof YNode.Seq s) {
      return s;
    }
    throw error(value, path, "must be a list, not " + YNode.describe(value));
  }

  private static YNode dependsOn(YNode value, String path) {
    Map<String, YNode> out = new LinkedHashMap<>();
    if (value instanceof YNode.Seq seq) {
      for (int i = 0; i < seq.items().size(); i++) {
        YNode item = seq.items().get(i);
        out.put(
            Nodes.text(item, path + "[" + i + "]"), dependency(YNode.Map.empty(item.location())));
      }
      YNode.Map m = YNodes.map(out, value.location());
      return seq.tag() == null ? m : m.withTag(seq.tag());
    }
    // The long form keeps only what it says: defaults are Normalizer's, after merging, so that
    // {required: false} in an override does not reset the base's condition.
    YNode.Map m = Nodes.map(value, path);
    return Nodes.mapValues(m, path, (k, v) -> Nodes.mapOrEmpty(v, child(path, k)));
  }

  static YNode.Map dependency(YNode.Map m) {
    if (!m.entries().containsKey("condition")) {
      m = Nodes.with(m, "condition", YNodes.string("service_started", m.location()));
    }
    if (!m.entries().containsKey("required")) {
      m = Nodes.with(m, "required", YNodes.bool(true, m.location()));
    }
    return m;
  }

  private static YNode devices(YNode value, String path) {
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (YNode item : seq.items()) {
      if (item instanceof YNode.Scalar s) {
        String[] parts = s.value().split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
          throw error(
              item,
              path,
              "invalid device \"" + s.value() + "\": expected SOURCE[:TARGET[:PERMISSIONS]]");
        }
        Map<String, YNode> m = new LinkedHashMap<>();
        m.put("source", YNodes.string(parts[0], s.location()));
        m.put("target", YNodes.string(parts.length > 1 ? parts[1] : parts[0], s.location()));
        m.put("permissions", YNodes.string(parts.length > 2 ? parts[2] : "rwm", s.location()));
        items.add(YNodes.map(m, s.location()));
      } else {
        items.add(item);
      }
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode envFile(YNode value, String path) {
    YNode.Seq seq =
        value instanceof YNode.Scalar s ? YNodes.seq(List.of(s), s.location()) : seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (YNode item : seq.items()) {
      YNode.Map m =
          item instanceof YNode.Scalar s
              ? YNodes.map(mapOf("path", YNodes.string(s.value(), s.location())), s.location())
              : Nodes.map(item, path);
      if (!m.entries().containsKey("required")) {
        m = Nodes.with(m, "required", YNodes.bool(true, m.location()));
      }
      items.add(m);
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode extraHosts(YNode value, String path) {
    List<YNode> items = new ArrayList<>();
    if (value instanceof YNode.Map m) {
      for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
        YNode v = e.getValue();
        List<YNode> ips = v instanceof YNode.Seq s ? s.items() : List.of(v);
        for (YNode ip : ips) {
          items.add(
              YNodes.string(
                  e.getKey() + "=" + Nodes.text(ip, child(path, e.getKey())), ip.location()));
        }
      }
      return YNodes.seq(items, value.location());
    }
    YNode.Seq seq = seq(value, path);
    for (int i = 0; i < seq.items().size(); i++) {
      YNode item = seq.items().get(i);
      String text = Nodes.text(item, path + "[" + i + "]");
      try {
        Map.Entry<String, List<String>> e = ExtraHosts.parse(text);
        for (String address : e.getValue()) {
          items.add(YNodes.string(ExtraHosts.format(e.getKey(), address), item.location()));
        }
      } catch (SyntaxException e) {
        throw error(item, path + "[" + i + "]", String.valueOf(e.getMessage()));
      }
    }
    items.sort(java.util.Comparator.comparing(YNode::text));
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode healthcheck(YNode value, String path) {
    YNode.Map m = Nodes.map(value, path);
    YNode test = m.get("test");
    if (test instanceof YNode.Scalar s && !s.isNull()) {
      List<YNode> words = List.of(YNodes.string("CMD-SHELL", s.location()), s);
      m = Nodes.with(m, "test", YNodes.seq(words, s.location()));
    } else if (test instanceof YNode.Seq) {
      m = Nodes.with(m, "test", scalarList(test, child(path, "test")));
    }
    return m;
  }

  private static YNode logging(YNode value, String path) {
    YNode.Map m = Nodes.map(value, path);
    YNode opts = m.get("options");
    if (opts != null && !Nodes.isNull(opts)) {
      m = Nodes.with(m, "options", dict(opts, child(path, "options"), false));
    }
    return m;
  }

  /** A list of names, or a mapping of name to settings (or null), to the mapping. */
  private static YNode namedMap(YNode value, String path) {
    if (value instanceof YNode.Seq seq) {
      Map<String, YNode> out = new LinkedHashMap<>();
      for (int i = 0; i < seq.items().size(); i++) {
        YNode item = seq.items().get(i);
        out.put(Nodes.text(item, path + "[" + i + "]"), YNodes.nul(item.location()));
      }
      YNode.Map m = YNodes.map(out, value.location());
      return seq.tag() == null ? m : m.withTag(seq.tag());
    }
    return Nodes.mapOrEmpty(value, path);
  }

  private static YNode ports(YNode value, String path) {
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      YNode item = seq.items().get(i);
      String at = path + "[" + i + "]";
      if (item instanceof YNode.Scalar s && !s.isNull()) {
        try {
          for (var p : Ports.parse(s.value())) {
            items.add(YNodes.fromPlain(Writer.toPlain(p, false), s.location()));
          }
        } catch (SyntaxException e) {
          throw error(item, at, String.valueOf(e.getMessage()));
        }
      } else if (item instanceof YNode.Map m) {
        YNode published = m.get("published");
        if (published instanceof YNode.Scalar ps && ps.kind() == YNode.Kind.INT) {
          m = Nodes.with(m, "published", YNodes.string(ps.value(), ps.location()));
        }
        if (!m.entries().containsKey("mode")) {
          m = Nodes.with(m, "mode", YNodes.string("ingress", m.location()));
        }
        if (!m.entries().containsKey("protocol")) {
          m = Nodes.with(m, "protocol", YNodes.string("tcp", m.location()));
        }
        items.add(m);
      } else {
        throw error(item, at, "must be a port mapping, not " + YNode.describe(item));
      }
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode ulimits(YNode value, String path) {
    return Nodes.map(value, path);
  }

  private static YNode volumes(YNode value, String path) {
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      YNode item = seq.items().get(i);
      if (item instanceof YNode.Scalar s && !s.isNull()) {
        try {
          items.add(
              YNodes.fromPlain(Writer.toPlain(Volumes.parseShort(s.value()), false), s.location()));
        } catch (SyntaxException e) {
          throw error(item, path + "[" + i + "]", String.valueOf(e.getMessage()));
        }
      } else if (item instanceof YNode.Map m
          && m.get("bind") instanceof YNode.Map bind
          && !bind.entries().containsKey("create_host_path")) {
        // compose-go's defaults: a bind mapping creates a missing host path unless it says not.
        items.add(
            Nodes.with(
                m,
                "bind",
                Nodes.with(bind, "create_host_path", YNodes.bool(true, bind.location()))));
      } else {
        items.add(item);
      }
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode hooks(YNode value, String path) {
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      items.add(hook(seq.items().get(i), path + "[" + i + "]"));
    }
    return withTag(YNodes.seq(items, seq.location()), seq.tag());
  }

  private static YNode hook(YNode value, String path) {
    YNode.Map m = Nodes.map(value, path);
    return Nodes.mapValues(
        m,
        path,
        (k, v) ->
            switch (k) {
              case "command" -> command(v, child(path, k));
              case "environment" -> dict(v, child(path, k), true);
              default -> v;
            });
  }

  private static YNode develop(YNode value, String path) {
    YNode.Map m = Nodes.map(value, path);
    YNode watch = m.get("watch");
    if (watch instanceof YNode.Seq seq) {
      List<YNode> items = new ArrayList<>();
      for (int i = 0; i < seq.items().size(); i++) {
        YNode.Map w = Nodes.map(seq.items().get(i), child(path, "watch") + "[" + i + "]");
        YNode exec = w.get("exec");
        if (exec != null) {
          w = Nodes.with(w, "exec", hook(exec, child(path, "watch") + "[" + i + "].exec"));
        }
        for (String k : List.of("ignore", "include")) {
          YNode v = w.get(k);
          if (v != null) {
            w = Nodes.with(w, k, stringOrList(v, child(path, "watch") + "[" + i + "]." + k));
          }
        }
        items.add(w);
      }
      m = Nodes.with(m, "watch", YNodes.seq(items, seq.location()));
    }
    return m;
  }

  private static YNode gpus(YNode value, String path) {
    if (value instanceof YNode.Scalar s) {
      return YNodes.seq(
          List.of(YNodes.map(mapOf("count", YNodes.string(s.value(), s.location())), s.location())),
          s.location());
    }
    YNode.Seq seq = seq(value, path);
    List<YNode> items = new ArrayList<>();
    for (YNode item : seq.items()) {
      YNode.Map m = Nodes.map(item, path);
      YNode count = m.get("count");
      if (count instanceof YNode.Scalar c && c.kind() != YNode.Kind.STRING && !c.isNull()) {
        m = Nodes.with(m, "count", YNodes.string(c.value(), c.location()));
      }
      items.add(m);
    }
    return YNodes.seq(items, seq.location());
  }
}
