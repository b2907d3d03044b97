package io.jstack.compose.internal.load;

import static io.jstack.compose.internal.load.Nodes.child;

import io.jstack.compose.ComposeException;
import io.jstack.compose.SourceLocation;
import io.jstack.compose.internal.yaml.YNode;
import io.jstack.compose.internal.yaml.YNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Completes a merged, canonical document with what depends on the project: absolute paths, the
 * default network, engine-side resource names, env files read into {@code environment}, bare
 * environment keys resolved, and the implicit dependencies of {@code links}, {@code volumes_from}
 * and {@code service:} network, IPC and PID modes. Applying it twice changes nothing.
 */
final class Normalizer {
  private final String project;
  private final Path projectDir;
  private final Map<String, String> env;
  private final List<String> warnings;

  Normalizer(String project, Path projectDir, Map<String, String> env, List<String> warnings) {
    this.project = project;
    this.projectDir = projectDir;
    this.env = env;
    this.warnings = warnings;
  }

  YNode.Map document(YNode.Map doc) {
    doc = new Paths(projectDir, env).document(doc);
    YNode.Map services =
        doc.get("services") instanceof YNode.Map m ? m : YNode.Map.empty(doc.location());
    services = Nodes.mapValues(services, "services", (name, svc) -> service(name, (YNode.Map) svc));
    doc = Nodes.with(doc, "services", services);

    boolean usesDefault = false;
    for (YNode svc : services.entries().values()) {
      if (((YNode.Map) svc).get("networks") instanceof YNode.Map nets
          && nets.get("default") != null) {
        usesDefault = true;
      }
    }
    YNode.Map networks =
        doc.get("networks") instanceof YNode.Map m ? m : YNode.Map.empty(doc.location());
    if (usesDefault && networks.get("default") == null) {
      networks = Nodes.with(networks, "default", YNode.Map.empty(doc.location()));
    }
    YNode.Map volumes = undeclaredVolumes(services, doc);
    for (String section : List.of("networks", "volumes", "secrets", "configs")) {
      YNode.Map m =
          section.equals("networks")
              ? networks
              : section.equals("volumes")
                  ? volumes
                  : doc.get(section) instanceof YNode.Map x ? x : null;
      if (m == null || m.entries().isEmpty()) {
        if (m != null) {
          doc = Nodes.without(doc, section);
        }
        continue;
      }
      doc = Nodes.with(doc, section, Nodes.mapValues(m, section, this::named));
    }
    return doc;
  }

  /**
   * Docker Compose refuses a named volume that the top-level {@code volumes:} does not declare;
   * real files (e.g. docker-library's yourls example) do it anyway, so jstack declares it as a
   * project volume and warns.
   */
  private YNode.Map undeclaredVolumes(YNode.Map services, YNode.Map doc) {
    YNode.Map volumes =
        doc.get("volumes") instanceof YNode.Map m ? m : YNode.Map.empty(doc.location());
    for (Map.Entry<String, YNode> svc : services.entries().entrySet()) {
      if (!(((YNode.Map) svc.getValue()).get("volumes") instanceof YNode.Seq mounts)) {
        continue;
      }
      for (YNode mount : mounts.items()) {
        String name =
            mount instanceof YNode.Map m && "volume".equals(YNode.text(m.get("type")))
                ? YNode.text(m.get("source"))
                : null;
        if (name != null && !name.isEmpty() && volumes.get(name) == null) {
          warnings.add(
              (mount.location() == null ? "" : mount.location() + ": ")
                  + "service \""
                  + svc.getKey()
                  + "\" uses volume \""
                  + name
                  + "\", which the top-level volumes: does not declare; jstack declares it"
                  + " (Docker Compose refuses this: add it under volumes:)");
          volumes = Nodes.with(volumes, name, YNode.Map.empty(mount.location()));
        }
      }
    }
    return volumes;
  }

  /** Gives a top-level resource its engine-side name. */
  private YNode named(String key, YNode value) {
    YNode.Map m = Nodes.mapOrEmpty(value, key);
    if (m.get("name") != null) {
      return m;
    }
    boolean external =
        m.get("external") instanceof YNode.Scalar s && "true".equalsIgnoreCase(s.value());
    String name = external ? key : project + "_" + key;
    return Nodes.with(m, "name", YNodes.string(name, m.location()));
  }

  private YNode.Map service(String name, YNode.Map svc) {
    String path = child("services", name);
    if (svc.get("network_mode") == null && Nodes.isNull(svc.get("networks"))) {
      Map<String, YNode> nets = new LinkedHashMap<>();
      nets.put("default", YNodes.nul(svc.location()));
      svc = Nodes.with(svc, "networks", YNodes.map(nets, svc.location()));
    }
    svc = environment(svc, path);
    svc = labels(svc, path);
    if (svc.get("build") instanceof YNode.Map b
        && b.get("dockerfile") == null
        && b.get("dockerfile_inline") == null) {
      svc =
          Nodes.with(
              svc, "build", Nodes.with(b, "dockerfile", YNodes.string("Dockerfile", b.location())));
    }
    svc = sortedExtraHosts(svc);
    return implicitDependencies(dependencyDefaults(svc));
  }

  /**
   * {@code condition: service_started} and {@code required: true} where a dependency omits them.
   */
  private static YNode.Map dependencyDefaults(YNode.Map svc) {
    if (!(svc.get("depends_on") instanceof YNode.Map deps)) {
      return svc;
    }
    return Nodes.with(
        svc,
        "depends_on",
        Nodes.mapValues(deps, "", (k, v) -> Canonical.dependency(Nodes.mapOrEmpty(v, k))));
  }

  /**
   * Extra hosts sorted, as compose-go keeps them (a map of host to addresses, written sorted), so
   * that the order of merged files does not matter.
   */
  private static YNode.Map sortedExtraHosts(YNode.Map svc) {
    svc = sortedList(svc, "extra_hosts");
    if (svc.get("build") instanceof YNode.Map b) {
      YNode.Map sorted = sortedList(b, "extra_hosts");
      if (sorted != b) {
        svc = Nodes.with(svc, "build", sorted);
      }
    }
    return svc;
  }

  private static YNode.Map sortedList(YNode.Map m, String key) {
    if (!(m.get(key) instanceof YNode.Seq seq) || seq.items().size() < 2) {
      return m;
    }
    List<YNode> items = new java.util.ArrayList<>(seq.items());
    items.sort(java.util.Comparator.comparing(n -> String.valueOf(YNode.text(n))));
    return items.equals(seq.items()) ? m : Nodes.with(m, key, YNode.Seq.of(items, seq.location()));
  }

  /**
   * Env files under the service's own environment; bare keys from the project environment. As
   * compose-go ({@code WithServicesEnvironmentResolved}): the files are read in order into one map,
   * a later file or line overriding an earlier one; {@code ${VAR}} in them resolves from the
   * project environment, then the service's {@code environment}, then what the files set so far;
   * finally the service's {@code environment} overrides the files, also with keys left unset.
   */
  private YNode.Map environment(YNode.Map svc, String path) {
    YNode.Map environment = svc.get("environment") instanceof YNode.Map m ? m : null;
    Map<String, String> own = new LinkedHashMap<>();
    if (environment != null) {
      environment
          .entries()
          .forEach(
              (k, v) -> {
                String t = YNode.text(v);
                if (t == null && Nodes.isNull(v)) {
                  t = env.get(k);
                }
                if (t != null) {
                  own.put(k, t);
                }
              });
    }
    Map<String, String> fromFiles = new LinkedHashMap<>();
    Map<String, SourceLocation> where = new LinkedHashMap<>();
    if (svc.get("env_file") instanceof YNode.Seq files) {
      for (int i = 0; i < files.items().size(); i++) {
        YNode.Map f = (YNode.Map) files.items().get(i);
        String file = Nodes.text(f.get("path"), child(path, "env_file") + "[" + i + "]");
        boolean required =
            !(f.get("required") instanceof YNode.Scalar r && "false".equalsIgnoreCase(r.value()));
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
          if (required) {
            throw new ComposeException(
                f.location(),
                child(path, "env_file") + "[" + i + "]",
                "env file " + file + " not found: create it or mark it required: false");
          }
          continue;
        }
        Map<String, String> before = fromFiles;
        fromFiles =
            Environment.read(
                p,
                before,
                name ->
                    Optional.ofNullable(env.get(name))
                        .or(() -> Optional.ofNullable(own.get(name))));
        for (Map.Entry<String, String> e : fromFiles.entrySet()) {
          if (!e.getValue().equals(before.get(e.getKey()))) {
            where.put(e.getKey(), f.location());
          }
        }
      }
    }
    if (environment == null && fromFiles.isEmpty()) {
      return svc;
    }
    Map<String, YNode> out = new LinkedHashMap<>();
    fromFiles.forEach((k, v) -> out.put(k, YNodes.string(v, where.get(k))));
    if (environment != null) {
      out.putAll(environment.entries());
    }
    Map<String, YNode> resolved = new LinkedHashMap<>();
    out.forEach(
        (k, v) -> {
          if (Nodes.isNull(v) && env.containsKey(k)) {
            resolved.put(k, YNodes.string(env.get(k), v.location()));
          } else {
            resolved.put(k, v);
          }
        });
    SourceLocation at = environment != null ? environment.location() : svc.location();
    return Nodes.with(svc, "environment", YNodes.map(resolved, at));
  }

  /** Label files under the service's own labels, later files over earlier ones. */
  private YNode.Map labels(YNode.Map svc, String path) {
    if (!(svc.get("label_file") instanceof YNode.Seq files) || files.items().isEmpty()) {
      return svc;
    }
    Map<String, YNode> out = new LinkedHashMap<>();
    for (int i = 0; i < files.items().size(); i++) {
      YNode f = files.items().get(i);
      String file = Nodes.text(f, child(path, "label_file") + "[" + i + "]");
      Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw new ComposeException(
            f.location(),
            child(path, "label_file") + "[" + i + "]",
            "label file " + file + " not found: create it or remove it from label_file");
      }
      // compose-go resolves ${VAR} in a label file from the labels of the files before it only.
      Map<String, String> earlier = new LinkedHashMap<>();
      out.forEach((k, v) -> earlier.put(k, YNode.text(v)));
      Environment.read(p, earlier, Map.of())
          .forEach((k, v) -> out.put(k, YNodes.string(v, f.location())));
    }
    if (svc.get("labels") instanceof YNode.Map own) {
      out.putAll(own.entries());
    }
    return Nodes.with(svc, "labels", YNodes.map(out, files.location()));
  }

  private YNode.Map implicitDependencies(YNode.Map svc) {
    Map<String, YNode> deps =
        svc.get("depends_on") instanceof YNode.Map m
            ? new LinkedHashMap<>(m.entries())
            : new LinkedHashMap<>();
    int before = deps.size();
    if (svc.get("links") instanceof YNode.Seq links) {
      for (YNode l : links.items()) {
        String t = YNode.text(l);
        if (t != null) {
          addDependency(deps, t.split(":", 2)[0], l.location());
        }
      }
    }
    if (svc.get("volumes_from") instanceof YNode.Seq from) {
      for (YNode v : from.items()) {
        String t = YNode.text(v);
        if (t != null && !t.startsWith("container:")) {
          addDependency(deps, t.split(":", 2)[0], v.location());
        }
      }
    }
    for (String key : List.of("network_mode", "ipc", "pid")) {
      YNode n = svc.get(key);
      String t = YNode.text(n);
      if (n != null && t != null && t.startsWith("service:")) {
        addDependency(deps, t.substring("service:".length()), n.location());
      }
    }
    if (deps.size() == before) {
      return svc;
    }
    SourceLocation at =
        svc.get("depends_on") != null ? svc.get("depends_on").location() : svc.location();
    return Nodes.with(svc, "depends_on", YNodes.map(deps, at));
  }

  private static void addDependency(
      Map<String, YNode> deps, String service, @Nullable SourceLocation at) {
    if (deps.containsKey(service)) {
      return;
    }
    Map<String, YNode> d = new LinkedHashMap<>();
    d.put("condition", YNodes.string("service_started", at));
    d.put("required", YNodes.bool(true, at));
    deps.put(service, YNodes.map(d, at));
  }
}
