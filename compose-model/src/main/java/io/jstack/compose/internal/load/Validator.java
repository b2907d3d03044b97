package io.jstack.compose.internal.load;

import io.jstack.compose.ComposeException;
import io.jstack.compose.DependsOn;
import io.jstack.compose.FileReference;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.SourceLocation;
import io.jstack.compose.VolumeMount;
import io.jstack.compose.internal.bind.PathNames;
import io.jstack.compose.internal.yaml.YNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The checks that follow binding: references between services and top-level resources, values
 * Compose restricts to a set, {@code container_name} with several replicas, dependency cycles.
 */
final class Validator {
  private static final Set<String> CONDITIONS =
      Set.of("service_started", "service_healthy", "service_completed_successfully");
  private static final Pattern RESTART =
      Pattern.compile("no|always|unless-stopped|on-failure(:[0-9]+)?");
  private static final Pattern PULL_POLICY =
      Pattern.compile(
          "always|never|missing|if_not_present|build|refresh|daily|weekly|every_[0-9]+[smhdw]");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  private static final Set<String> PORT_MODES = Set.of("ingress", "host");
  private static final Set<String> VOLUME_TYPES =
      Set.of("bind", "volume", "tmpfs", "npipe", "cluster", "image");

  private final Project project;
  private final YNode.Map doc;
  private final YNode.Map written;

  private Validator(Project project, YNode.Map doc, YNode.Map written) {
    this.project = project;
    this.doc = doc;
    this.written = written;
  }

  /**
   * Checks {@code project}; {@code doc} is the normalised document it was bound from and {@code
   * written} the document before normalisation, whose paths errors name.
   */
  static void validate(
      Project project, YNode.Map doc, YNode.Map written, Map<String, Service> disabled) {
    new Validator(project, doc, written).run(disabled);
  }

  /**
   * Where a dependency was written: under depends_on, or implied by links, volumes_from or a {@code
   * service:} network, IPC or PID mode.
   */
  private List<String> dependencyOrigin(String service, String dep) {
    YNode.Map svc =
        written.get("services") instanceof YNode.Map m && m.get(service) instanceof YNode.Map s
            ? s
            : YNode.Map.empty(null);
    if (svc.get("depends_on") instanceof YNode.Map d && d.get(dep) != null) {
      return List.of(service, "depends_on", dep);
    }
    for (String key : List.of("links", "volumes_from")) {
      if (svc.get(key) instanceof YNode.Seq seq) {
        for (int i = 0; i < seq.items().size(); i++) {
          String t = YNode.text(seq.items().get(i));
          if (t != null && t.split(":", 2)[0].equals(dep)) {
            return List.of(service, key, "[" + i + "]");
          }
        }
      }
    }
    for (String key : List.of("network_mode", "ipc", "pid")) {
      if (("service:" + dep).equals(YNode.text(svc.get(key)))) {
        return List.of(service, key);
      }
    }
    return List.of(service, "depends_on", dep);
  }

  private void run(Map<String, Service> disabled) {
    for (Service s : project.services().values()) {
      service(s, disabled);
    }
    cycles();
  }

  private void service(Service s, Map<String, Service> disabled) {
    String name = s.name();
    check(
        SERVICE_NAME.matcher(name).matches(),
        List.of(name),
        "invalid service name \""
            + PathNames.printable(name)
            + "\": only [a-zA-Z0-9._-] are allowed (the Compose specification's rule)");
    if (s.containerName() != null) {
      check(
          CONTAINER_NAME.matcher(s.containerName()).matches(),
          List.of(name, "container_name"),
          "invalid container_name \""
              + PathNames.printable(s.containerName())
              + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two of them (Docker's rule for container names)");
    }
    if (s.image() == null && s.build() == null && s.provider() == null) {
      throw fail(
          List.of(name),
          "service \""
              + name
              + "\" has neither an image nor a build context specified: add image: or build:");
    }
    s.dependsOn()
        .forEach(
            (dep, d) -> {
              check(
                  d != null && d.condition() != null && CONDITIONS.contains(d.condition()),
                  List.of(name, "depends_on", dep, "condition"),
                  "invalid condition \""
                      + (d == null ? null : d.condition())
                      + "\": use one of "
                      + String.join(", ", sorted(CONDITIONS)));
              if (!project.services().containsKey(dep) && d.required()) {
                Service off = disabled.get(dep);
                throw fail(
                    dependencyOrigin(name, dep),
                    off != null
                        ? "service \""
                            + name
                            + "\" depends on service \""
                            + dep
                            + "\", which is disabled by its profiles "
                            + off.profiles()
                            + ": enable one with --profile, or mark the dependency required: false"
                        : "service \""
                            + name
                            + "\" depends on undefined service \""
                            + dep
                            + "\": define it, or mark the dependency required: false");
              }
            });
    if (s.restart() != null) {
      check(
          RESTART.matcher(s.restart()).matches(),
          List.of(name, "restart"),
          "invalid restart policy \""
              + s.restart()
              + "\": use no, always, on-failure[:N] or unless-stopped");
    }
    if (s.pullPolicy() != null) {
      check(
          PULL_POLICY.matcher(s.pullPolicy()).matches(),
          List.of(name, "pull_policy"),
          "invalid pull_policy \""
              + s.pullPolicy()
              + "\": use always, never, missing, build, daily, weekly or every_<duration>");
    }
    if (s.networkMode() == null) {
      s.networks()
          .keySet()
          .forEach(
              n ->
                  check(
                      project.networks().containsKey(n),
                      List.of(name, "networks", n),
                      "service \""
                          + name
                          + "\" refers to undefined network "
                          + n
                          + ": define it under the top-level networks:"));
    } else if (!s.networks().isEmpty()
        && !(s.networks().size() == 1 && s.networks().containsKey("default"))) {
      throw fail(
          List.of(name, "network_mode"),
          "service \"" + name + "\" declares both network_mode and networks: use one of them");
    }
    for (int i = 0; i < s.ports().size(); i++) {
      PortConfig p = s.ports().get(i);
      List<String> at = List.of(name, "ports", "[" + i + "]");
      check(
          p.target() > 0 && p.target() <= 65535,
          at,
          "invalid port: target must be 1-65535, not " + p.target());
      check(
          p.protocol() != null && PROTOCOLS.contains(p.protocol()),
          at,
          "invalid protocol \"" + p.protocol() + "\": use tcp, udp or sctp");
      check(
          p.mode() != null && PORT_MODES.contains(p.mode()),
          at,
          "invalid mode \"" + p.mode() + "\": use ingress or host");
    }
    for (int i = 0; i < s.volumes().size(); i++) {
      VolumeMount v = s.volumes().get(i);
      List<String> at = List.of(name, "volumes", "[" + i + "]");
      check(
          v.type() != null && VOLUME_TYPES.contains(v.type()),
          at,
          "invalid volume type \""
              + v.type()
              + "\": use bind, volume, tmpfs, npipe, cluster or image");
      check(
          v.target() != null && !v.target().isEmpty(),
          at,
          "a volume needs a target path in the container");
    }
    references(s.secrets(), project.secrets().keySet(), name, "secrets");
    references(s.configs(), project.configs().keySet(), name, "configs");
    int replicas =
        s.scale() != null
            ? s.scale()
            : s.deploy() != null && s.deploy().replicas() != null ? s.deploy().replicas() : 1;
    if (s.containerName() != null && replicas > 1) {
      throw fail(
          List.of(name, "container_name"),
          "service \""
              + name
              + "\" has container_name set and "
              + replicas
              + " replicas: a container name must be unique, so remove container_name or use one replica");
    }
  }

  private void references(
      List<FileReference> refs, Set<String> defined, String service, String kind) {
    for (int i = 0; i < refs.size(); i++) {
      String source = refs.get(i).source();
      check(
          source != null && defined.contains(source),
          List.of(service, kind, "[" + i + "]"),
          "service \""
              + service
              + "\" refers to undefined "
              + kind.substring(0, kind.length() - 1)
              + " "
              + source
              + ": define it under the top-level "
              + kind
              + ":");
    }
  }

  private void cycles() {
    Map<String, Integer> state = new HashMap<>();
    for (String s : project.services().keySet()) {
      List<String> path = new ArrayList<>();
      String cycle = walk(s, state, path);
      if (cycle != null) {
        throw fail(
            List.of(path.isEmpty() ? s : cycle.split(" -> ")[0], "depends_on"),
            "dependency cycle detected: " + cycle + ": remove one of these depends_on entries");
      }
    }
  }

  private @Nullable String walk(String node, Map<String, Integer> state, List<String> path) {
    Integer st = state.get(node);
    if (st != null && st == 2) {
      return null;
    }
    if (st != null && st == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return String.join(" -> ", cycle);
    }
    Service s = project.services().get(node);
    if (s == null) {
      return null;
    }
    state.put(node, 1);
    path.add(node);
    for (Map.Entry<String, DependsOn> e : s.dependsOn().entrySet()) {
      String found = walk(e.getKey(), state, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return null;
  }

  private void check(boolean ok, List<String> at, String problem) {
    if (!ok) {
      throw fail(at, problem);
    }
  }

  /** An error at services.{at...}, located at the deepest node of that path that exists. */
  private ComposeException fail(List<String> at, String problem) {
    YNode node = doc.get("services");
    SourceLocation loc = doc.location();
    for (String part : at) {
      if (node instanceof YNode.Seq seq && part.startsWith("[")) {
        int i = Integer.parseInt(part.substring(1, part.length() - 1));
        node = i < seq.items().size() ? seq.items().get(i) : null;
        if (node != null && node.location() != null) {
          loc = node.location();
        }
      } else if (node instanceof YNode.Map m) {
        if (m.keyLocations().get(part) != null) {
          loc = m.keyLocations().get(part);
        }
        node = m.get(part);
      } else {
        node = null;
      }
    }
    return new ComposeException(loc, render(at), problem);
  }

  private static String render(List<String> at) {
    String p = "services";
    for (String part : at) {
      p = part.startsWith("[") ? p + part : Nodes.child(p, part);
    }
    return p;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
