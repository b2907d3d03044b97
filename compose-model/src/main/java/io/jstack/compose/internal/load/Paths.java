package io.jstack.compose.internal.load;

import static io.jstack.compose.internal.load.Nodes.child;

import io.jstack.compose.internal.yaml.YNode;
import io.jstack.compose.internal.yaml.YNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes the relative paths of a canonical document absolute against a base directory: build
 * contexts, bind sources ({@code ~} is the home directory), env and label files, secret and config
 * files, watch paths. Absolute paths and remote build contexts are left alone, so applying it again
 * changes nothing.
 */
final class Paths {
  private final Path base;
  private final String home;

  Paths(Path base, Map<String, String> environment) {
    this.base = base;
    this.home = environment.getOrDefault("HOME", System.getProperty("user.home"));
  }

  YNode.Map document(YNode.Map doc) {
    return Nodes.mapValues(
        doc,
        "",
        (key, value) ->
            switch (key) {
              case "services" ->
                  Nodes.mapValues(
                      (YNode.Map) value,
                      key,
                      (name, svc) -> service((YNode.Map) svc, child(key, name)));
              case "secrets", "configs" ->
                  Nodes.mapValues(
                      (YNode.Map) value,
                      key,
                      (name, res) -> {
                        YNode.Map m = (YNode.Map) res;
                        YNode file = m.get("file");
                        return file == null ? m : Nodes.with(m, "file", path(file));
                      });
              default -> value;
            });
  }

  YNode.Map service(YNode.Map svc, String path) {
    return Nodes.mapValues(
        svc,
        path,
        (key, value) ->
            switch (key) {
              case "build" -> build(value);
              case "env_file" -> eachMap(value, "path");
              case "label_file" -> eachScalar(value);
              case "volumes" -> volumes(value);
              case "develop" -> develop(value);
              default -> value;
            });
  }

  private YNode build(YNode value) {
    if (!(value instanceof YNode.Map m)) {
      return value;
    }
    YNode context = m.get("context");
    if (context == null) {
      m = Nodes.with(m, "context", YNodes.string(base.toString(), m.location()));
    } else if (!isRemote(YNode.text(context))) {
      m = Nodes.with(m, "context", path(context));
    }
    YNode extra = m.get("additional_contexts");
    if (extra instanceof YNode.Map em) {
      m =
          Nodes.with(
              m,
              "additional_contexts",
              Nodes.mapValues(
                  em,
                  "",
                  (k, v) -> {
                    String t = YNode.text(v);
                    return t == null || isRemote(t) || t.contains(":") && !t.startsWith(".")
                        ? v
                        : path(v);
                  }));
    }
    return m;
  }

  private YNode volumes(YNode value) {
    if (!(value instanceof YNode.Seq seq)) {
      return value;
    }
    List<YNode> out = new ArrayList<>();
    for (YNode item : seq.items()) {
      if (item instanceof YNode.Map m
          && "bind".equals(YNode.text(m.get("type")))
          && m.get("source") != null) {
        out.add(Nodes.with(m, "source", path(m.get("source"))));
      } else {
        out.add(item);
      }
    }
    return YNode.Seq.of(out, seq.location());
  }

  private YNode develop(YNode value) {
    if (!(value instanceof YNode.Map m) || !(m.get("watch") instanceof YNode.Seq seq)) {
      return value;
    }
    List<YNode> out = new ArrayList<>();
    for (YNode item : seq.items()) {
      out.add(
          item instanceof YNode.Map w && w.get("path") != null
              ? Nodes.with(w, "path", path(w.get("path")))
              : item);
    }
    return Nodes.with(m, "watch", YNode.Seq.of(out, seq.location()));
  }

  private YNode eachMap(YNode value, String field) {
    if (!(value instanceof YNode.Seq seq)) {
      return value;
    }
    List<YNode> out = new ArrayList<>();
    for (YNode item : seq.items()) {
      YNode given = item instanceof YNode.Map m ? m.get(field) : null;
      out.add(given != null ? Nodes.with((YNode.Map) item, field, path(given)) : item);
    }
    return YNode.Seq.of(out, seq.location());
  }

  private YNode eachScalar(YNode value) {
    if (!(value instanceof YNode.Seq seq)) {
      return value;
    }
    List<YNode> out = new ArrayList<>();
    for (YNode item : seq.items()) {
      out.add(path(item));
    }
    return YNode.Seq.of(out, seq.location());
  }

  private YNode path(YNode node) {
    String text = YNode.text(node);
    if (text == null) {
      return node;
    }
    String resolved = resolve(text);
    return resolved.equals(text)
        ? node
        : ((YNode.Scalar) node).withValue(resolved, YNode.Kind.STRING);
  }

  /** {@code text} as an absolute, normalised path. */
  String resolve(String text) {
    if (text.equals("~") || text.startsWith("~/")) {
      return Path.of(home + text.substring(1)).normalize().toString();
    }
    if (isWindowsPath(text)) {
      return text;
    }
    return base.resolve(text).normalize().toString();
  }

  static boolean isRemote(@Nullable String context) {
    if (context == null) {
      return false;
    }
    return context.contains("://")
        || context.startsWith("git@")
        || context.startsWith("github.com/")
        || context.startsWith("docker-image:")
        || context.startsWith("service:");
  }

  private static boolean isWindowsPath(String s) {
    return s.length() >= 3
            && Character.isLetter(s.charAt(0))
            && s.charAt(1) == ':'
            && (s.charAt(2) == '\\' || s.charAt(2) == '/')
        || s.startsWith("\\\\");
  }
}
