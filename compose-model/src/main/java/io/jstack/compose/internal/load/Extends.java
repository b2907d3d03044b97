package io.jstack.compose.internal.load;

import static io.jstack.compose.internal.load.Nodes.child;

import io.jstack.compose.ComposeException;
import io.jstack.compose.internal.yaml.YNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code extends:}: a service becomes its base service (from the same document or another
 * file, itself resolved first) with the service's own settings merged on top. Paths of a base from
 * another file are made absolute against that file's folder. Cycles are refused.
 */
final class Extends {
  private final Loader loader;
  private final Map<String, String> env;
  private final Map<Path, YNode.Map> files = new HashMap<>();

  private Extends(Loader loader, Map<String, String> env) {
    this.loader = loader;
    this.env = env;
  }

  static YNode.Map resolve(YNode.Map doc, Loader loader, Map<String, String> env, Path dir) {
    if (!(doc.get("services") instanceof YNode.Map services)) {
      return doc;
    }
    boolean any =
        services.entries().values().stream()
            .anyMatch(s -> s instanceof YNode.Map m && m.get("extends") != null);
    if (!any) {
      return doc;
    }
    Extends ext = new Extends(loader, env);
    Map<String, YNode> out = new LinkedHashMap<>();
    for (String name : services.entries().keySet()) {
      out.put(name, ext.service(services, name, dir, null, new ArrayList<>()));
    }
    return Nodes.with(doc, "services", services.withEntries(out));
  }

  private YNode.Map service(
      YNode.Map services, String name, Path dir, @Nullable Path file, List<String> chain) {
    String id = (file == null ? "" : file + ":") + name;
    if (chain.contains(id)) {
      List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(id), chain.size()));
      cycle.add(id);
      throw new ComposeException(
          "circular reference in extends: "
              + String.join(" -> ", cycle)
              + ": a service cannot extend itself, directly or through others");
    }
    YNode node = services.get(name);
    YNode.Map svc = Nodes.mapOrEmpty(node, child("services", name));
    YNode extNode = svc.get("extends");
    if (extNode == null) {
      return svc;
    }
    String path = child(child("services", name), "extends");
    YNode.Map ext = Nodes.map(extNode, path);
    if (Nodes.isNull(ext.get("service"))) {
      // compose-go's words, so that both tools' messages can be searched for alike.
      throw Nodes.error(
          extNode,
          path,
          "extends." + name + ".service is required: name the service to extend with service:");
    }
    String baseName = Nodes.text(ext.get("service"), child(path, "service"));
    List<String> nextChain = new ArrayList<>(chain);
    nextChain.add(id);
    YNode.Map base;
    if (ext.get("file") != null) {
      String fileText = Nodes.text(ext.get("file"), child(path, "file"));
      Path other = dir.resolve(fileText).normalize();
      YNode.Map otherDoc =
          files.computeIfAbsent(
              other,
              p -> {
                YNode.Map d =
                    new Loader.FileLoader(loader, env)
                        .file(p, p.toString(), ComposeFiles.folderOf(p), new ArrayList<>());
                return (YNode.Map) Merger.stripTags(d);
              });
      YNode.Map otherServices =
          otherDoc.get("services") instanceof YNode.Map m ? m : YNode.Map.empty(null);
      if (otherServices.get(baseName) == null) {
        throw new ComposeException(
            ext.locationOf("service"),
            path,
            "cannot extend service \"" + baseName + "\": it is not defined in " + fileText);
      }
      base = service(otherServices, baseName, ComposeFiles.folderOf(other), other, nextChain);
      base =
          new Paths(ComposeFiles.folderOf(other), env).service(base, child("services", baseName));
    } else {
      if (services.get(baseName) == null) {
        throw new ComposeException(
            ext.locationOf("service"),
            path,
            "cannot extend service \"" + baseName + "\": no such service in this file");
      }
      base = service(services, baseName, dir, file, nextChain);
    }
    YNode.Map merged =
        Merger.services(Nodes.without(base, "extends"), Nodes.without(svc, "extends"));
    return (YNode.Map) Merger.stripTags(merged);
  }
}
