package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Docker Swarm through its manager's Engine API: nodes, services (with the version an update must
 * name), their tasks, overlay networks, configs and secrets. Specs go as Docker's own JSON ({@code
 * ServiceSpec}, {@code ConfigSpec}, ...): what {@code docker stack deploy} sends.
 */
public final class DockerSwarm implements AutoCloseable {
  private final DockerApi api;

  private DockerSwarm(DockerApi api) {
    this.api = api;
  }

  /**
   * Connects to the manager at {@code address}.
   *
   * @throws EngineException when it cannot be reached, or is not a swarm manager
   */
  public static DockerSwarm connect(EngineAddress address) {
    DockerSwarm swarm = new DockerSwarm(new DockerApi(address, new SocketTransport(address)));
    JsonNode info = swarm.api.json(HttpRequest.get("/info"), "read the engine's info");
    JsonNode s = info.path("Swarm");
    if (!s.path("ControlAvailable").asBoolean()) {
      swarm.close();
      String state = s.path("LocalNodeState").asText("inactive");
      throw new EngineException(
          "the engine at "
              + address
              + " is not a swarm manager (its node is "
              + (state.isEmpty() ? "inactive" : state)
              + "): point --host or DOCKER_HOST at a manager, or make one with docker swarm init");
    }
    return swarm;
  }

  /** A node of the swarm. */
  public record Node(
      String id,
      String hostname,
      String role,
      String state,
      String availability,
      Map<String, String> labels) {}

  public List<Node> nodes() {
    List<Node> out = new ArrayList<>();
    for (JsonNode n : api.json(HttpRequest.get("/nodes"), "list the swarm's nodes")) {
      out.add(
          new Node(
              n.path("ID").asText(),
              n.path("Description").path("Hostname").asText(),
              n.path("Spec").path("Role").asText(),
              n.path("Status").path("State").asText(),
              n.path("Spec").path("Availability").asText(),
              DockerApi.labels(n.path("Spec").path("Labels"))));
    }
    return out;
  }

  /**
   * A service as the manager keeps it: the version an update names, its spec, how many of its tasks
   * run of how many it wants, and the state of its last update ({@code updating}, {@code
   * completed}, {@code rollback_completed}, ... with the manager's message; empty when none).
   */
  public record Service(
      String id,
      String name,
      long version,
      JsonNode spec,
      long runningTasks,
      long desiredTasks,
      String updateState,
      String updateMessage) {
    public Map<String, String> labels() {
      return DockerApi.labels(spec.path("Labels"));
    }
  }

  /** The services carrying every label of {@code labels} ("" matches any value). */
  public List<Service> services(Map<String, String> labels) {
    List<Service> out = new ArrayList<>();
    for (JsonNode s :
        api.json(
            HttpRequest.get("/services?status=true&filters=" + DockerApi.labelFilter(labels)),
            "list services")) {
      out.add(service(s));
    }
    return out;
  }

  public Optional<Service> service(String idOrName) {
    try {
      return Optional.of(
          service(
              api.json(
                  HttpRequest.get("/services/" + DockerApi.encode(idOrName)),
                  "inspect service " + idOrName)));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  private static Service service(JsonNode s) {
    return new Service(
        s.path("ID").asText(),
        s.path("Spec").path("Name").asText(),
        s.path("Version").path("Index").asLong(),
        s.path("Spec"),
        s.path("ServiceStatus").path("RunningTasks").asLong(),
        s.path("ServiceStatus").path("DesiredTasks").asLong(),
        s.path("UpdateStatus").path("State").asText(""),
        s.path("UpdateStatus").path("Message").asText(""));
  }

  /** Creates a service of {@code spec}; its id. */
  public String createService(JsonNode spec) {
    return api.json(
            HttpRequest.postJson("/services/create", DockerApi.bytes(spec)),
            "create service " + spec.path("Name").asText())
        .path("ID")
        .asText();
  }

  /**
   * Replaces the spec of the service at {@code version} (what it read; a newer one is refused as a
   * conflict); the manager rolls the change out as the spec's update config says.
   */
  public void updateService(String id, long version, JsonNode spec) {
    api.call(
        HttpRequest.postJson(
            "/services/" + DockerApi.encode(id) + "/update?version=" + version,
            DockerApi.bytes(spec)),
        "update service " + spec.path("Name").asText());
  }

  public void removeService(String id) {
    api.call(HttpRequest.delete("/services/" + DockerApi.encode(id)), "remove service " + id);
  }

  /**
   * A task: one run of a service's container on a node.
   *
   * @param slot its replica's number (0 for a global service's)
   * @param state where it is ({@code running}, {@code failed}, ...)
   * @param desired where the manager wants it ({@code running}, {@code shutdown})
   * @param error why it failed, or empty
   * @param spec the task template of its service when the task was made
   */
  public record Task(
      String id,
      String serviceId,
      String nodeId,
      int slot,
      String state,
      String desired,
      String error,
      @Nullable String containerId,
      @Nullable Instant since,
      JsonNode spec) {}

  /** The tasks of service {@code serviceId}, every state. */
  public List<Task> tasks(String serviceId) {
    ObjectNode f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    f.putArray("service").add(serviceId);
    return tasks(f, "list the tasks of service " + serviceId);
  }

  /**
   * The tasks of the services {@code serviceIds} that the manager wants running, in one request
   * (none for no services).
   */
  public List<Task> tasksWantedRunning(java.util.Collection<String> serviceIds) {
    if (serviceIds.isEmpty()) {
      return List.of();
    }
    ObjectNode f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    serviceIds.forEach(f.putArray("service")::add);
    f.putArray("desired-state").add("running");
    return tasks(f, "list the running tasks of " + serviceIds.size() + " services");
  }

  private List<Task> tasks(ObjectNode filters, String what) {
    List<Task> out = new ArrayList<>();
    for (JsonNode t :
        api.json(
            HttpRequest.get("/tasks?filters=" + DockerApi.encode(JsonTrees.text(filters))), what)) {
      JsonNode status = t.path("Status");
      String container = status.path("ContainerStatus").path("ContainerID").asText("");
      String ts = status.path("Timestamp").asText("");
      out.add(
          new Task(
              t.path("ID").asText(),
              t.path("ServiceID").asText(),
              t.path("NodeID").asText(),
              t.path("Slot").asInt(),
              status.path("State").asText(),
              t.path("DesiredState").asText(),
              status.path("Err").asText(""),
              container.isEmpty() ? null : container,
              ts.isEmpty() ? null : DockerApi.instant(ts),
              t.path("Spec")));
    }
    return out;
  }

  /**
   * What the tasks of service {@code id} wrote, as the manager gathers it from the nodes ({@code
   * o.until} is not a filter Swarm has); each line's text starts with the task's details, which
   * {@link #taskLine} takes apart. {@code tty}: whether the service's containers have a terminal
   * (their output is then one stream, not multiplexed).
   */
  public LogStream logs(String id, LogStream.Options o, boolean tty) {
    StringBuilder q =
        new StringBuilder(
            "/services/" + DockerApi.encode(id) + "/logs?stdout=1&stderr=1&details=1");
    q.append("&follow=").append(o.follow() ? 1 : 0);
    q.append("&timestamps=").append(o.timestamps() ? 1 : 0);
    q.append("&tail=").append(o.tail() == null ? "all" : o.tail().toString());
    if (o.since() != null) {
      q.append("&since=").append(DockerApi.encode(o.since()));
    }
    HttpResponse r = api.send(HttpRequest.get(q.toString()), "logs of service " + id);
    return new DockerLogStream(r, !tty, o.timestamps());
  }

  /** A line of a service's log with the task and node it came from. */
  public record TaskLine(String taskId, String nodeId, LogStream.Line line) {}

  /**
   * {@code line} of {@link #logs} with its details ({@code com.docker.swarm.task.id=…,…} and a
   * space, URL-encoded as the manager writes them) taken off the text; empty ids when it has none.
   */
  public static TaskLine taskLine(LogStream.Line line) {
    String text = line.text();
    int space = text.indexOf(' ');
    String details = space < 0 ? text : text.substring(0, space);
    if (!details.contains("com.docker.swarm.")) {
      return new TaskLine("", "", line);
    }
    Map<String, String> attrs = new java.util.HashMap<>();
    for (String kv : details.split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        attrs.put(
            java.net.URLDecoder.decode(
                kv.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(
                kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return new TaskLine(
        attrs.getOrDefault("com.docker.swarm.task.id", ""),
        attrs.getOrDefault("com.docker.swarm.node.id", ""),
        new LogStream.Line(
            line.source(), line.timestamp(), space < 0 ? "" : text.substring(space + 1)));
  }

  /** Creates the network {@code body} describes (Docker's {@code NetworkCreateRequest}). */
  public void createNetwork(JsonNode body) {
    api.json(
        HttpRequest.postJson("/networks/create", DockerApi.bytes(body)),
        "create network " + body.path("Name").asText());
  }

  /** The swarm-scoped networks carrying {@code labels}: name to id. */
  public Map<String, String> networks(Map<String, String> labels) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (JsonNode n :
        api.json(
            HttpRequest.get("/networks?filters=" + DockerApi.labelFilter(labels)),
            "list networks")) {
      if (n.path("Scope").asText().equals("swarm")) {
        out.put(n.path("Name").asText(), n.path("Id").asText());
      }
    }
    return out;
  }

  /** The network {@code idOrName} as the manager describes it (Docker's network inspect). */
  public JsonNode network(String idOrName) {
    return api.json(
        HttpRequest.get("/networks/" + DockerApi.encode(idOrName)), "inspect network " + idOrName);
  }

  public void removeNetwork(String idOrName) {
    api.call(
        HttpRequest.delete("/networks/" + DockerApi.encode(idOrName)),
        "remove network " + idOrName);
  }

  /** A config or a secret: its id, name and labels (a secret's content is never read back). */
  public record Stored(String id, String name, Map<String, String> labels) {}

  /** The configs ({@code kind} "configs") or secrets ("secrets") carrying {@code labels}. */
  public List<Stored> stored(String kind, Map<String, String> labels) {
    requireKind(kind);
    List<Stored> out = new ArrayList<>();
    for (JsonNode c :
        api.json(
            HttpRequest.get("/" + kind + "?filters=" + DockerApi.labelFilter(labels)),
            "list " + kind)) {
      out.add(
          new Stored(
              c.path("ID").asText(),
              c.path("Spec").path("Name").asText(),
              DockerApi.labels(c.path("Spec").path("Labels"))));
    }
    return out;
  }

  /** Creates a config or a secret ({@code kind}) {@code name} holding {@code data}; its id. */
  public String createStored(String kind, String name, byte[] data, Map<String, String> labels) {
    requireKind(kind);
    ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("Name", name);
    body.put("Data", java.util.Base64.getEncoder().encodeToString(data));
    ObjectNode l = body.putObject("Labels");
    labels.forEach(l::put);
    return api.json(
            HttpRequest.postJson("/" + kind + "/create", DockerApi.bytes(body)),
            "create " + kind.substring(0, kind.length() - 1) + " " + name)
        .path("ID")
        .asText();
  }

  public void removeStored(String kind, String idOrName) {
    requireKind(kind);
    api.call(
        HttpRequest.delete("/" + kind + "/" + DockerApi.encode(idOrName)),
        "remove " + kind + " " + idOrName);
  }

  private static void requireKind(String kind) {
    if (!kind.equals("configs") && !kind.equals("secrets")) {
      throw new IllegalArgumentException("configs or secrets, not " + kind);
    }
  }

  @Override
  public void close() {
    api.close();
  }
}
