package io.jstack.planner.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.compose.FileObject;
import io.jstack.compose.FileReference;
import io.jstack.compose.Network;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.planner.ServiceGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Compose project as a stack on a Docker Swarm, reconciled: the desired services, overlay
 * networks, configs and secrets are compared with what the manager has under the stack's label
 * ({@link SwarmSpecs#NAMESPACE}, as {@code docker stack} marks them, so each sees the other's), and
 * the difference is a plan whose every step says why. A service is updated only when its spec
 * changed (a hash of the spec jstack made rides on it as a label); configs and secrets are named by
 * a hash of their content, so a changed file rolls out as a new object and the old one goes once no
 * service uses it. Named volumes are the nodes' and are never removed here.
 */
public final class SwarmStack {
  /** The label that keeps the hash of the spec jstack made of a service. */
  public static final String SPEC_HASH = "io.jstack.swarm.spec-hash";

  /** The label that names the Compose key a config or secret object was made for. */
  public static final String KEY = "io.jstack.swarm.key";

  /** The wave of removals: after every creation and update. */
  private static final int REMOVALS = 1_000_000;

  /** How many requests a wave has in flight at once. */
  private static final int PARALLEL = 8;

  private static final String CONFIGS = "configs";
  private static final String SECRETS = "secrets";

  private final DockerSwarm swarm;
  private final Project project;
  private final Map<String, String> environment;
  private final Map<String, String> pushed;

  /** The stack of {@code project}, its secrets and configs from the process's environment. */
  public SwarmStack(DockerSwarm swarm, Project project) {
    this(swarm, project, System.getenv(), Map.of());
  }

  /**
   * The stack of {@code project} where {@code up --build --push} built and pushed the images of
   * some services: {@code pushed} maps each to the image by its pushed digest ({@code
   * registry/app:1@sha256:…}), which its tasks run (the stack's image label keeps the name the file
   * gives, as with {@code docker stack deploy}); {@code environment} is where secrets and configs
   * of {@code environment:} are read (the variables the project was loaded with).
   */
  public SwarmStack(
      DockerSwarm swarm,
      Project project,
      Map<String, String> environment,
      Map<String, String> pushed) {
    this.swarm = swarm;
    this.project = project;
    this.environment = Map.copyOf(environment);
    this.pushed = Map.copyOf(pushed);
  }

  /**
   * One step: what it does to what, why, and the work itself. Steps of one {@code wave} have no
   * order among them and run at once; waves run one after the other (networks, configs and secrets
   * first, then services a dependency level at a time, then removals).
   */
  public record Step(String verb, String target, String reason, int wave, Work work) {
    /** A step in the wave its verb says: creations first, removals last. */
    public Step(String verb, String target, String reason, Work work) {
      this(
          verb,
          target,
          reason,
          verb.equals("remove service")
              ? REMOVALS
              : verb.startsWith("remove") ? REMOVALS + 1 : 0, // what services used, once they go
          work);
    }

    /** {@code create service shop_web}. */
    public String describe() {
      return verb + " " + target;
    }
  }

  /**
   * The work of a step, against the swarm; {@code ids} holds the configs and secrets made earlier
   * in the same run, by name, for the services that refer to them.
   */
  @FunctionalInterface
  public interface Work {
    void run(DockerSwarm swarm, Map<String, String> ids) throws IOException, InterruptedException;
  }

  /** What to do, in order, and what the user should know that no step says. */
  public record Plan(List<Step> steps, List<String> warnings) {
    public boolean isEmpty() {
      return steps.isEmpty();
    }
  }

  private Map<String, String> stackLabel() {
    return Map.of(SwarmSpecs.NAMESPACE, project.name());
  }

  /**
   * The plan that brings the swarm to the project: networks, then configs and secrets, then
   * services in dependency order, then the configs and secrets no service uses any more; services
   * of the stack the project no longer has are removed with {@code removeOrphans}, else named in a
   * warning.
   *
   * <p>What Swarm keeps only in part or not at all is in the plan's warnings, from {@link
   * SwarmFeatures}, before those about the stack's other services.
   *
   * @throws IllegalArgumentException when a service sets what the table of {@link SwarmFeatures}
   *     refuses, or has no Swarm form (see {@link SwarmSpecs})
   */
  public Plan up(boolean removeOrphans) {
    // Refused before the swarm is asked anything: a plan that cannot be made changes nothing.
    SwarmFeatures.refuse(project);
    List<Step> steps = new ArrayList<>();
    List<String> warnings = new ArrayList<>(SwarmFeatures.warnings(project, pushed.keySet()));
    String ns = project.name();

    // Networks: every overlay network a service uses, attachable, labelled for the stack.
    Map<String, String> networkIds = swarm.networks(Map.of());
    Set<String> haveNetworks = networkIds.keySet();
    for (String net : usedNetworks()) {
      Network n = project.networks().get(net);
      String name = n != null ? n.name() : ns + "_default";
      if (n != null && n.external()) {
        if (!haveNetworks.contains(name)) {
          throw new EngineException(
              "network "
                  + name
                  + " is external but the swarm has none of that name: create it (docker network create --driver overlay --attachable "
                  + name
                  + ")");
        }
        continue;
      }
      ObjectNode body = SwarmSpecs.network(project, net, n);
      if (!haveNetworks.contains(name)) {
        steps.add(
            new Step("create network", name, "no network", (s, ids) -> s.createNetwork(body)));
      } else {
        List<String> drift =
            networkDrift(
                body, swarm.network(java.util.Objects.requireNonNull(networkIds.get(name))));
        if (!drift.isEmpty()) {
          warnings.add(
              "network "
                  + name
                  + " was made with other options than the file gives ("
                  + String.join(", ", drift)
                  + "): a swarm cannot change a network in place; run down, then up, to make it"
                  + " again");
        }
      }
    }

    // Configs and secrets, named by their content.
    Map<String, SwarmSpecs.Stored> configs = new LinkedHashMap<>();
    Map<String, SwarmSpecs.Stored> secrets = new LinkedHashMap<>();
    Set<String> keptNames = new LinkedHashSet<>();
    for (String kind : List.of(CONFIGS, SECRETS)) {
      Map<String, FileObject> defined =
          kind.equals(CONFIGS) ? project.configs() : project.secrets();
      Map<String, SwarmSpecs.Stored> into = kind.equals(CONFIGS) ? configs : secrets;
      Map<String, String> have = new TreeMap<>();
      for (DockerSwarm.Stored st : swarm.stored(kind, Map.of())) {
        have.put(st.name(), st.id());
      }
      for (String key : used(kind)) {
        FileObject fo = defined.get(key);
        if (fo == null) {
          throw new IllegalArgumentException(
              (kind.equals(CONFIGS) ? "config " : "secret ")
                  + key
                  + " is used but not defined in the project");
        }
        if (fo.external()) {
          String id = have.get(fo.name());
          if (id == null) {
            throw new EngineException(
                (kind.equals(CONFIGS) ? "config " : "secret ")
                    + fo.name()
                    + " is external but the swarm has none of that name: create it (docker "
                    + singular(kind)
                    + " create "
                    + fo.name()
                    + " FILE)");
          }
          into.put(key, new SwarmSpecs.Stored(fo.name(), id));
          continue;
        }
        byte[] data = content(kind, key, fo);
        String name = fo.name() + "-" + hash(data).substring(0, 10);
        keptNames.add(name);
        String id = have.get(name);
        into.put(key, new SwarmSpecs.Stored(name, id == null ? "" : id));
        if (id == null) {
          Map<String, String> labels = new TreeMap<>(fo.labels());
          labels.putAll(stackLabel());
          labels.put(KEY, key);
          String what = singular(kind);
          steps.add(
              new Step(
                  "create " + what,
                  name,
                  have.keySet().stream().anyMatch(n -> n.startsWith(fo.name() + "-"))
                      ? "content changed"
                      : "no " + what,
                  (s, ids) -> ids.put(name, s.createStored(kind, name, data, labels))));
        }
      }
    }

    // Services, in dependency order for their first creation.
    Map<String, DockerSwarm.Service> have = new TreeMap<>();
    for (DockerSwarm.Service s : swarm.services(stackLabel())) {
      have.put(s.name(), s);
    }
    ServiceGraph graph = ServiceGraph.of(project);
    Map<String, Integer> depth = new java.util.HashMap<>();
    for (String name : graph.order()) {
      Service s = java.util.Objects.requireNonNull(project.services().get(name), name);
      // After the services it depends on: created in dependency order, a level at a time.
      int wave = 1 + graph.dependencies(name).stream().mapToInt(depth::get).max().orElse(-1) + 1;
      depth.put(name, wave - 1);
      ObjectNode spec = SwarmSpecs.service(project, s, configs, secrets);
      if (pushed.containsKey(name)) {
        ((ObjectNode) spec.path("TaskTemplate").path("ContainerSpec"))
            .put("Image", pushed.get(name));
      }
      String specHash = hash(withoutIds(spec).toString().getBytes(StandardCharsets.UTF_8));
      ((ObjectNode) spec.get("Labels")).put(SPEC_HASH, specHash);
      String full = spec.path("Name").asText();
      DockerSwarm.Service current = have.remove(full);
      if (current == null) {
        steps.add(
            new Step(
                "create service",
                full,
                "no service",
                wave,
                (sw, ids) -> sw.createService(withIds(spec, ids))));
      } else {
        String old = current.labels().get(SPEC_HASH);
        if (!specHash.equals(old)) {
          String why =
              old == null
                  ? "made without jstack (no spec hash)"
                  : "spec changed: "
                      + String.join(
                          ", ",
                          changes(
                              withoutIds(spec),
                              SwarmSpecs.namedNetworks(withoutIds(current.spec()), networkIds)));
          steps.add(
              new Step(
                  "update service",
                  full,
                  why,
                  wave,
                  (sw, ids) ->
                      sw.updateService(current.id(), current.version(), withIds(spec, ids))));
        }
      }
    }
    for (DockerSwarm.Service orphan : have.values()) {
      if (removeOrphans) {
        steps.add(
            new Step(
                "remove service",
                orphan.name(),
                "not in the project (--remove-orphans)",
                (sw, ids) -> sw.removeService(orphan.id())));
      } else {
        warnings.add(
            "service "
                + orphan.name()
                + " of stack "
                + project.name()
                + " is not in the project: remove it with up --remove-orphans");
      }
    }

    // Configs and secrets of the stack that nothing desired names any more.
    for (String kind : List.of(CONFIGS, SECRETS)) {
      for (DockerSwarm.Stored st : swarm.stored(kind, stackLabel())) {
        if (st.labels().containsKey(KEY) && !keptNames.contains(st.name())) {
          steps.add(removal(kind, st, "replaced or no longer used"));
        }
      }
    }
    return new Plan(steps, warnings);
  }

  /**
   * The plan that removes the stack: its services, then its networks, configs and secrets; named
   * volumes stay on the nodes, as with {@code docker stack rm}.
   */
  public Plan down() {
    List<Step> steps = new ArrayList<>();
    for (DockerSwarm.Service s : swarm.services(stackLabel())) {
      steps.add(
          new Step("remove service", s.name(), "down", (sw, ids) -> sw.removeService(s.id())));
    }
    for (Map.Entry<String, String> n : swarm.networks(stackLabel()).entrySet()) {
      steps.add(
          new Step(
              "remove network",
              n.getKey(),
              "down",
              (sw, ids) -> {
                retryWhileInUse(() -> sw.removeNetwork(n.getValue()));
                awaitNetworkGone(sw, n.getKey());
              }));
    }
    for (String kind : List.of(CONFIGS, SECRETS)) {
      for (DockerSwarm.Stored st : swarm.stored(kind, stackLabel())) {
        steps.add(removal(kind, st, "down"));
      }
    }
    return new Plan(
        steps,
        List.of(
            "named volumes stay on the nodes, as with docker stack rm: remove them with docker"
                + " volume rm on each node"));
  }

  /** The step that removes config or secret {@code st} ({@code kind}) once no service uses it. */
  private static Step removal(String kind, DockerSwarm.Stored st, String reason) {
    return new Step(
        "remove " + singular(kind),
        st.name(),
        reason,
        (sw, ids) -> removeWhenUnused(sw, kind, st.id()));
  }

  /** Runs {@code plan}'s steps in order, telling {@code progress} each as it is done. */
  public void apply(Plan plan, Consumer<String> progress) throws IOException, InterruptedException {
    Map<String, String> ids = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Integer, List<Step>> waves = new TreeMap<>();
    for (Step s : plan.steps()) {
      waves.computeIfAbsent(s.wave(), w -> new ArrayList<>()).add(s);
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            PARALLEL,
            r -> {
              Thread t = new Thread(r, "swarm-step");
              t.setDaemon(true);
              return t;
            });
    try {
      for (List<Step> wave : waves.values()) {
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (Step s : wave) {
          running.add(
              pool.submit(
                  () -> {
                    s.work().run(swarm, ids);
                    synchronized (progress) {
                      progress.accept(s.describe() + " (" + s.reason() + ")");
                    }
                    return null;
                  }));
        }
        // The whole wave finishes, then the first failure stops the plan.
        Throwable failed = null;
        for (java.util.concurrent.Future<?> f : running) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (failed == null) {
              failed = e.getCause();
            }
          }
        }
        if (failed instanceof IOException io) {
          throw io;
        } else if (failed instanceof RuntimeException re) {
          throw re;
        } else if (failed instanceof InterruptedException ie) {
          throw ie;
        } else if (failed != null) {
          throw new IllegalStateException(failed);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Waits until every service of the stack runs as many tasks as it wants, and no update is under
   * way; a rollback the manager made of an update in {@code applied} fails the wait, one of an
   * earlier run does not.
   *
   * @throws EngineException naming each service that did not converge and its last task's error, or
   *     an update of {@code applied} that the manager rolled back, with the failed task's error
   */
  public void awaitConverged(Plan applied, Duration timeout) throws InterruptedException {
    Set<String> updated = new LinkedHashSet<>();
    for (Step s : applied.steps()) {
      if (s.verb().equals("update service")) {
        updated.add(s.target());
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<String> pending = new ArrayList<>();
      List<DockerSwarm.Service> services = swarm.services(stackLabel());
      Map<String, List<DockerSwarm.Task>> wanted = new TreeMap<>();
      for (DockerSwarm.Task t :
          swarm.tasksWantedRunning(services.stream().map(DockerSwarm.Service::id).toList())) {
        wanted.computeIfAbsent(t.serviceId(), k -> new ArrayList<>()).add(t);
      }
      for (DockerSwarm.Service s : services) {
        boolean rolledBack = s.updateState().equals("rollback_completed");
        if (rolledBack && updated.contains(s.name())) {
          throw new EngineException(
              "the update of service "
                  + s.name()
                  + " was rolled back: "
                  + failedTask(s).orElse(s.updateMessage())
                  + "; its previous spec runs again: fix the change and run up again");
        }
        if (s.updateState().startsWith("rollback") && !rolledBack) {
          pending.add(s.name() + " (rolling back)");
        } else if (!isJob(s)) {
          List<DockerSwarm.Task> tasks = wanted.getOrDefault(s.id(), List.of());
          long current = tasks.stream().filter(t -> isCurrent(t, s)).count();
          if (s.updateState().equals("updating")
              || s.desiredTasks() == 0
              || current < s.desiredTasks()
              || current < tasks.size()) {
            pending.add(
                s.name()
                    + " ("
                    + current
                    + "/"
                    + s.desiredTasks()
                    + " running"
                    + (current < tasks.size()
                        ? ", " + (tasks.size() - current) + " to replace"
                        : "")
                    + lastError(tasks)
                    + ")");
          }
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new EngineException(
            "the stack did not converge within "
                + timeout.toSeconds()
                + " s: "
                + String.join("; ", pending));
      }
      Thread.sleep(250);
    }
  }

  /**
   * Whether {@code t} runs {@code s}'s current spec: the manager answers an update at once but
   * replaces tasks later, so the service's counters alone would call an update done before it
   * began.
   */
  private static boolean isCurrent(DockerSwarm.Task t, DockerSwarm.Service s) {
    // The manager fills in the service's Runtime ("container") but not its tasks'.
    ObjectNode template = s.spec().path("TaskTemplate").deepCopy();
    ObjectNode made = t.spec().deepCopy();
    template.remove("Runtime");
    made.remove("Runtime");
    return t.state().equals("running") && made.equals(SAME_VALUE, template);
  }

  /** {@code "task ID failed: ERROR"} for the latest of {@code s}'s tasks that failed. */
  private java.util.Optional<String> failedTask(DockerSwarm.Service s) {
    return swarm.tasks(s.id()).stream()
        .filter(
            t -> (t.state().equals("failed") || t.state().equals("rejected")) && t.since() != null)
        .max(java.util.Comparator.comparing(DockerSwarm.Task::since))
        .map(
            t ->
                "task "
                    + t.id().substring(0, Math.min(12, t.id().length()))
                    + " failed: "
                    + (t.error().isEmpty() ? t.state() : t.error()));
  }

  private static boolean isJob(DockerSwarm.Service s) {
    JsonNode mode = s.spec().path("Mode");
    return mode.has("ReplicatedJob") || mode.has("GlobalJob");
  }

  /** {@code "; task ID: ERROR"} for the first of {@code tasks} that reports an error, or "". */
  private static String lastError(List<DockerSwarm.Task> tasks) {
    for (DockerSwarm.Task t : tasks) {
      if (!t.error().isEmpty()) {
        return "; task " + t.id().substring(0, Math.min(12, t.id().length())) + ": " + t.error();
      }
    }
    return "";
  }

  private Set<String> usedNetworks() {
    Set<String> out = new LinkedHashSet<>();
    for (Service s : project.services().values()) {
      if (s.networks().isEmpty()) {
        out.add("default");
      } else {
        out.addAll(s.networks().keySet());
      }
    }
    return out;
  }

  private Set<String> used(String kind) {
    Set<String> out = new LinkedHashSet<>();
    for (Service s : project.services().values()) {
      for (FileReference r : kind.equals(CONFIGS) ? s.configs() : s.secrets()) {
        out.add(r.source());
      }
    }
    return out;
  }

  /** {@code config} for configs, {@code secret} for secrets. */
  private static String singular(String kind) {
    return kind.substring(0, kind.length() - 1);
  }

  private byte[] content(String kind, String key, FileObject fo) {
    try {
      if (fo.file() != null) {
        return Files.readAllBytes(Path.of(fo.file()));
      }
      if (fo.content() != null) {
        return fo.content().getBytes(StandardCharsets.UTF_8);
      }
      if (fo.environment() != null) {
        String v = environment.get(fo.environment());
        if (v == null) {
          throw new IllegalArgumentException(
              singular(kind) + " " + key + ": the variable " + fo.environment() + " is not set");
        }
        return v.getBytes(StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          singular(kind) + " " + key + ": cannot read " + fo.file() + ": " + e.getMessage());
    }
    throw new IllegalArgumentException(
        singular(kind) + " " + key + " has no file, content or environment");
  }

  /** {@code spec} without the ids of configs and secrets (which the swarm gives at create). */
  private static ObjectNode withoutIds(JsonNode spec) {
    ObjectNode copy = (ObjectNode) spec.deepCopy();
    JsonNode c = copy.path("TaskTemplate").path("ContainerSpec");
    for (String list : List.of("Configs", "Secrets")) {
      for (JsonNode ref : c.path(list)) {
        ((ObjectNode) ref).remove(List.of("ConfigID", "SecretID"));
      }
    }
    ((ObjectNode) copy.get("Labels")).remove(SPEC_HASH);
    return copy;
  }

  /**
   * {@code spec} with the ids of the configs and secrets made in this run ({@code made}: name to
   * id) filled in where they were not known when it was planned.
   */
  private static ObjectNode withIds(ObjectNode spec, Map<String, String> made) {
    ObjectNode copy = spec.deepCopy();
    JsonNode c = copy.path("TaskTemplate").path("ContainerSpec");
    for (String[] f :
        new String[][] {
          {"Configs", "ConfigID", "ConfigName"}, {"Secrets", "SecretID", "SecretName"}
        }) {
      for (JsonNode ref : c.path(f[0])) {
        String id = made.get(ref.path(f[2]).asText());
        if (ref.path(f[1]).asText().isEmpty() && id != null) {
          ((ObjectNode) ref).put(f[1], id);
        }
      }
    }
    return copy;
  }

  /**
   * What of {@code desired} (a network create body) the network {@code actual} (as the manager
   * describes it) does not have, in the file's words; options and labels the manager or others
   * added are not counted.
   */
  static List<String> networkDrift(JsonNode desired, JsonNode actual) {
    List<String> out = new ArrayList<>();
    for (String[] flag : new String[][] {{"Internal", "internal"}, {"EnableIPv6", "enable_ipv6"}}) {
      if (desired.path(flag[0]).asBoolean(false) != actual.path(flag[0]).asBoolean(false)) {
        out.add(flag[1]);
      }
    }
    for (Map.Entry<String, JsonNode> e : desired.path("Options").properties()) {
      if (!e.getValue().equals(actual.path("Options").path(e.getKey()))) {
        out.add("driver_opts " + e.getKey());
      }
    }
    List<String> want = new ArrayList<>();
    desired.path("IPAM").path("Config").forEach(c -> want.add(c.path("Subnet").asText("")));
    List<String> have = new ArrayList<>();
    actual.path("IPAM").path("Config").forEach(c -> have.add(c.path("Subnet").asText("")));
    if (!want.isEmpty() && !want.equals(have)) {
      out.add("ipam subnets " + want + " (it has " + have + ")");
    }
    for (Map.Entry<String, JsonNode> e : desired.path("Labels").properties()) {
      if (!e.getValue().equals(actual.path("Labels").path(e.getKey()))) {
        out.add("label " + e.getKey());
      }
    }
    return out;
  }

  /** The first-level sections where {@code desired} and {@code current} differ, as paths. */
  static List<String> changes(JsonNode desired, JsonNode current) {
    List<String> out = new ArrayList<>();
    diff("", desired, current, out);
    return out.isEmpty()
        ? List.of("fields the manager keeps differently")
        : out.subList(0, Math.min(out.size(), 4));
  }

  /** Equal leaves; numbers by value (1 is 1 whether it was read as an int or a long). */
  private static final java.util.Comparator<JsonNode> SAME_VALUE =
      (x, y) ->
          x.isNumber() && y.isNumber()
              ? x.decimalValue().compareTo(y.decimalValue())
              : x.equals(y) ? 0 : 1;

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.isObject()) {
      a.fieldNames()
          .forEachRemaining(
              f -> {
                JsonNode bv = b.path(f);
                String p = path.isEmpty() ? f : path + "." + f;
                if (!a.get(f).equals(SAME_VALUE, bv)) {
                  if (a.get(f).isObject() && bv.isObject() && !p.endsWith("Labels")) {
                    diff(p, a.get(f), bv, out);
                  } else {
                    out.add(p);
                  }
                }
              });
      return;
    }
    if (!a.equals(SAME_VALUE, b)) {
      out.add(path);
    }
  }

  /**
   * Waits until the manager no longer lists network {@code name}: it accepts the removal at once,
   * and lets the network go once the tasks of the removed services have left it.
   */
  private static void awaitNetworkGone(DockerSwarm sw, String name) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (sw.networks(Map.of()).containsKey(name)) {
      if (Instant.now().isAfter(deadline)) {
        throw new EngineException(
            "network "
                + name
                + " is still there 60 s after its removal: see docker network inspect "
                + name);
      }
      Thread.sleep(200);
    }
  }

  private static void removeWhenUnused(DockerSwarm sw, String kind, String id)
      throws InterruptedException {
    retryWhileInUse(() -> sw.removeStored(kind, id));
  }

  /** Runs {@code removal}, again while the manager says what it removes is still in use. */
  private static void retryWhileInUse(Runnable removal) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      try {
        removal.run();
        return;
      } catch (EngineException.NotFound gone) {
        return;
      } catch (EngineException inUse) {
        String m = String.valueOf(inUse.getMessage());
        if (!(m.contains("in use") || m.contains("has active endpoints"))
            || Instant.now().isAfter(deadline)) {
          throw inUse;
        }
        Thread.sleep(250);
      }
    }
  }

  private static String hash(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
