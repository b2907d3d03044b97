package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.EngineInfo;
import io.jstack.engine.EventStream;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.LogStream;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.Stdio;
import io.jstack.engine.TarWriter;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.HttpTransport;
import io.jstack.engine.http.NettyTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The engine SPI over Docker's Engine API (also Podman's Docker-compatible socket). */
public final class DockerEngine implements Engine, AutoCloseable {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;

  /** Connects to the engine at {@code address} and negotiates the API version. */
  public static DockerEngine connect(EngineAddress address) {
    return new DockerEngine(address, new NettyTransport(address));
  }

  DockerEngine(EngineAddress address, HttpTransport transport) {
    DockerApi a;
    try {
      a = new DockerApi(address, transport);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    this.api = a;
  }

  /** The negotiated API version, e.g. {@code 1.41}. */
  public String apiVersion() {
    return api.apiVersion();
  }

  DockerApi api() {
    return api;
  }

  @Override
  public String describe() {
    return api.describe();
  }

  @Override
  public EngineInfo info() {
    JsonNode i = api.json(HttpRequest.get("/info"), "engine info");
    return new EngineInfo(
        "docker",
        i.path("ServerVersion").asText(),
        api.apiVersion(),
        i.path("OperatingSystem").asText(),
        i.path("Architecture").asText(),
        i.path("NCPU").asInt(),
        i.path("MemTotal").asLong());
  }

  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    JsonNode list =
        api.json(
            HttpRequest.get("/images/json?filters=" + filters("label", labels)), "list images");
    List<ImageInfo> out = new ArrayList<>();
    for (JsonNode i : list) {
      out.add(
          new ImageInfo(
              i.path("Id").asText(),
              strings(i.path("RepoTags")),
              null,
              null,
              List.of(),
              null,
              null,
              labels(i.path("Labels")),
              i.path("Size").asLong(),
              Instant.ofEpochSecond(i.path("Created").asLong())));
    }
    return out;
  }

  @Override
  public void tagImage(String source, String target) {
    RepoTag repoTag = RepoTag.of(target);
    api.call(
        HttpRequest.post(
            "/images/"
                + DockerApi.encode(source)
                + "/tag?repo="
                + DockerApi.encode(repoTag.repository())
                + (repoTag.tag() == null ? "" : "&tag=" + DockerApi.encode(repoTag.tag()))),
        "tag image " + source + " as " + target);
  }

  @Override
  public List<String> loadImages(java.io.InputStream archive) {
    List<String> loaded = new ArrayList<>();
    api.stream(
        HttpRequest.postStream("/images/load?quiet=1", "application/x-tar", archive),
        "load images",
        "load images failed",
        n -> {
          String stream = n.path("stream").asText("");
          for (String prefix : List.of("Loaded image: ", "Loaded image ID: ")) {
            if (stream.startsWith(prefix)) {
              loaded.add(stream.substring(prefix.length()).strip());
            }
          }
        });
    return loaded;
  }

  @Override
  public EventStream events(Map<String, String> labels) {
    HttpResponse r =
        api.send(HttpRequest.get("/events?filters=" + filters("label", labels)), "events");
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    return new EventStream() {
      @Override
      public Event next() {
        try {
          String line;
          while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
              continue;
            }
            JsonNode n = DockerApi.JSON.readTree(line);
            JsonNode actor = n.path("Actor");
            return new Event(
                Instant.ofEpochSecond(0, n.path("timeNano").asLong()),
                n.path("Type").asText(),
                n.path("Action").asText(),
                actor.path("ID").asText(),
                labels(actor.path("Attributes")));
          }
          return null;
        } catch (IOException e) {
          return null;
        }
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  @Override
  public void close() {
    api.close();
  }

  // --- containers ---

  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    JsonNode list =
        api.json(
            HttpRequest.get("/containers/json?all=1&filters=" + filters("label", labels)),
            "list containers");
    List<ContainerInfo> out = new ArrayList<>();
    for (JsonNode c : list) {
      out.add(summary(c));
    }
    return out;
  }

  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    try {
      return Optional.of(
          inspected(
              api.json(
                  HttpRequest.get("/containers/" + DockerApi.encode(idOrName) + "/json"),
                  "container " + idOrName)));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    List<String> networks = new ArrayList<>(spec.networks().keySet());
    String first = spec.networkMode() == null && !networks.isEmpty() ? networks.get(0) : null;
    ObjectNode body = CreateRequest.of(spec, first);
    JsonNode created =
        api.json(
            HttpRequest.postJson(
                "/containers/create?name=" + DockerApi.encode(spec.name()), DockerApi.bytes(body)),
            "create container " + spec.name());
    String id = created.path("Id").asText();
    // Older API versions attach one network at creation; the others are connected before start.
    for (int i = 1; i < networks.size() && first != null; i++) {
      String net = networks.get(i);
      api.call(
          HttpRequest.postJson(
              "/networks/" + DockerApi.encode(net) + "/connect",
              DockerApi.bytes(CreateRequest.connect(id, spec.networks().get(net)))),
          "connect container " + spec.name() + " to network " + net);
    }
    if (!spec.files().isEmpty()) {
      putFiles(id, spec);
    }
    return id;
  }

  /** Writes the spec's files into the created container through the archive API. */
  private void putFiles(String id, ContainerSpec spec) {
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    try {
      java.util.Set<String> dirs = new java.util.TreeSet<>();
      for (ContainerSpec.FileContent f : spec.files()) {
        String rel = f.path().replaceFirst("^/+", "");
        for (int i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
          dirs.add(rel.substring(0, i));
        }
      }
      for (String d : dirs) {
        TarWriter.directory(tar, d, 0755);
      }
      for (ContainerSpec.FileContent f : spec.files()) {
        TarWriter.file(
            tar,
            f.path().replaceFirst("^/+", ""),
            f.mode(),
            f.uid() == null ? 0 : Integer.parseInt(f.uid()),
            f.gid() == null ? 0 : Integer.parseInt(f.gid()),
            f.content());
      }
      TarWriter.end(tar);
    } catch (IOException | NumberFormatException e) {
      throw new EngineException(
          "cannot prepare the files of container " + spec.name() + ": " + e.getMessage(), e);
    }
    api.call(
        new HttpRequest(
            "PUT",
            "/containers/" + DockerApi.encode(id) + "/archive?path=%2F",
            Map.of("Content-Type", "application/x-tar"),
            tar.toByteArray(),
            null),
        "copy secrets and configs into container " + spec.name());
  }

  /** A running container stays as it is (dockerd answers 304). */
  @Override
  public void startContainer(String id) {
    api.change(
        HttpRequest.post("/containers/" + DockerApi.encode(id) + "/start"),
        "start container " + id);
  }

  /** A container that is not running stays as it is (dockerd answers 304). */
  @Override
  public void stopContainer(String id, String signal, Duration timeout) {
    StringBuilder q = new StringBuilder("/containers/" + DockerApi.encode(id) + "/stop?t=");
    q.append(timeout == null ? 10 : timeout.toSeconds());
    if (signal != null) {
      q.append("&signal=").append(DockerApi.encode(signal));
    }
    api.change(HttpRequest.post(q.toString()), "stop container " + id);
  }

  @Override
  public void killContainer(String id, String signal) {
    api.call(
        HttpRequest.post(
            "/containers/"
                + DockerApi.encode(id)
                + "/kill?signal="
                + DockerApi.encode(signal == null ? "SIGKILL" : signal)),
        "kill container " + id);
  }

  @Override
  public void removeContainer(String id, boolean removeVolumes) {
    api.call(
        HttpRequest.delete("/containers/" + DockerApi.encode(id) + "?v=" + (removeVolumes ? 1 : 0)),
        "remove container " + id);
  }

  @Override
  public void renameContainer(String id, String newName) {
    api.call(
        HttpRequest.post(
            "/containers/" + DockerApi.encode(id) + "/rename?name=" + DockerApi.encode(newName)),
        "rename container " + id + " to " + newName);
  }

  @Override
  public java.io.InputStream copyFrom(String id, String path) {
    HttpResponse r =
        api.send(
            HttpRequest.get(
                "/containers/" + DockerApi.encode(id) + "/archive?path=" + DockerApi.encode(path)),
            "copy " + path + " out of container " + id);
    return new java.io.FilterInputStream(r.body()) {
      @Override
      public void close() {
        r.close();
      }
    };
  }

  @Override
  public void copyTo(String id, String dir, java.io.InputStream archive) {
    api.call(
        new HttpRequest(
            "PUT",
            "/containers/" + DockerApi.encode(id) + "/archive?path=" + DockerApi.encode(dir),
            Map.of("Content-Type", "application/x-tar"),
            null,
            archive),
        "copy into " + dir + " of container " + id);
  }

  @Override
  public Processes top(String id) {
    JsonNode t =
        api.json(
            HttpRequest.get("/containers/" + DockerApi.encode(id) + "/top"),
            "processes of container " + id);
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode p : t.path("Processes")) {
      rows.add(strings(p));
    }
    return new Processes(strings(t.path("Titles")), rows);
  }

  @Override
  public void pauseContainer(String id) {
    api.call(
        HttpRequest.post("/containers/" + DockerApi.encode(id) + "/pause"),
        "pause container " + id);
  }

  @Override
  public void unpauseContainer(String id) {
    api.call(
        HttpRequest.post("/containers/" + DockerApi.encode(id) + "/unpause"),
        "unpause container " + id);
  }

  @Override
  public int exec(String id, ExecSpec spec, Stdio stdio) {
    boolean tty = stdio.terminal() != null;
    ObjectNode create = F.objectNode();
    ArrayNode cmd = create.putArray("Cmd");
    spec.command().forEach(cmd::add);
    ArrayNode env = create.putArray("Env");
    spec.env().forEach(env::add);
    if (spec.user() != null) {
      create.put("User", spec.user());
    }
    if (spec.workingDir() != null) {
      create.put("WorkingDir", spec.workingDir());
    }
    create.put("Privileged", spec.privileged());
    create.put("Tty", tty);
    create.put("AttachStdin", !spec.detach() && stdio.in() != null);
    create.put("AttachStdout", !spec.detach());
    create.put("AttachStderr", !spec.detach());
    String what = "exec in container " + id;
    String execId =
        api.json(
                HttpRequest.postJson(
                    "/containers/" + DockerApi.encode(id) + "/exec", DockerApi.bytes(create)),
                what)
            .path("Id")
            .asText();
    HttpRequest start =
        HttpRequest.postJson(
                "/exec/" + execId + "/start",
                ("{\"Detach\":" + spec.detach() + ",\"Tty\":" + tty + "}")
                    .getBytes(StandardCharsets.UTF_8))
            .upgrading();
    if (spec.detach()) {
      api.call(start, what);
      return 0;
    }
    try (HttpResponse r = api.send(start, what)) {
      attached(r, stdio, tty, "/exec/" + execId + "/resize", what);
    }
    return api.json(HttpRequest.get("/exec/" + execId + "/json"), what).path("ExitCode").asInt();
  }

  @Override
  public int startAttached(String id, Stdio stdio) {
    String what = "attach to container " + id;
    String path = "/containers/" + DockerApi.encode(id);
    boolean tty =
        api.json(HttpRequest.get(path + "/json"), what).path("Config").path("Tty").asBoolean();
    HttpRequest attach =
        HttpRequest.post(
                path + "/attach?stream=1&stdout=1&stderr=1&stdin=" + (stdio.in() != null ? 1 : 0))
            .upgrading();
    try (HttpResponse r = api.send(attach, what)) {
      startContainer(id);
      attached(r, stdio, tty, tty && stdio.terminal() != null ? path + "/resize" : null, what);
    }
    return waitContainer(id);
  }

  /**
   * Copies {@code stdio.in()} to an attached process (closing its input at the end) and its output
   * to {@code stdio}, raw with a pseudo-terminal and demultiplexed without one, until the output
   * ends; keeps the process's terminal as large as the caller's through {@code resizePath}.
   */
  private void attached(HttpResponse r, Stdio stdio, boolean tty, String resizePath, String what) {
    if (resizePath != null && stdio.terminal() != null) {
      java.util.function.Consumer<Stdio.Terminal.Size> resize =
          size -> {
            try {
              api.call(
                  HttpRequest.post(resizePath + "?h=" + size.rows() + "&w=" + size.columns()),
                  what);
            } catch (EngineException ended) {
              // The process may have ended meanwhile; its size no longer matters.
            }
          };
      resize.accept(stdio.terminal().size());
      stdio.terminal().onResize(resize);
    }
    try {
      java.io.InputStream in;
      if (r.status() == 101) {
        io.jstack.engine.http.HttpConnection c = r.connection();
        if (stdio.in() == null) {
          c.shutdownOutput();
        } else {
          Thread feeder = new Thread(() -> feed(stdio.in(), c), "jstack-stdin");
          feeder.setDaemon(true);
          feeder.start();
        }
        in = c.input();
      } else {
        in = r.body();
      }
      if (tty) {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          stdio.out().write(buffer, 0, n);
          stdio.out().flush();
        }
      } else {
        DockerLogStream.demultiplex(in, stdio.out(), stdio.err());
      }
    } catch (IOException e) {
      throw api.unreachable(e);
    }
  }

  /** Copies the caller's input to the process until it ends, then closes the process's input. */
  private static void feed(java.io.InputStream in, io.jstack.engine.http.HttpConnection c) {
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        c.output().write(buffer, 0, n);
        c.output().flush();
      }
      c.shutdownOutput();
    } catch (IOException gone) {
      // The process ended (or the caller's input failed): nothing more to send either way.
    }
  }

  @Override
  public int waitContainer(String id) {
    JsonNode r =
        api.json(
            HttpRequest.post("/containers/" + DockerApi.encode(id) + "/wait"),
            "wait for container " + id);
    return r.path("StatusCode").asInt();
  }

  @Override
  public LogStream logs(String id, LogStream.Options o) {
    JsonNode inspect =
        api.json(
            HttpRequest.get("/containers/" + DockerApi.encode(id) + "/json"), "container " + id);
    boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
    StringBuilder q =
        new StringBuilder("/containers/" + DockerApi.encode(id) + "/logs?stdout=1&stderr=1");
    q.append("&follow=").append(o.follow() ? 1 : 0);
    q.append("&timestamps=").append(o.timestamps() ? 1 : 0);
    q.append("&tail=").append(o.tail() == null ? "all" : o.tail().toString());
    if (o.since() != null) {
      q.append("&since=").append(DockerApi.encode(o.since()));
    }
    if (o.until() != null) {
      q.append("&until=").append(DockerApi.encode(o.until()));
    }
    HttpResponse r = api.send(HttpRequest.get(q.toString()), "logs of container " + id);
    return new DockerLogStream(r, !tty, o.timestamps());
  }

  // --- networks ---

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    JsonNode list =
        api.json(HttpRequest.get("/networks?filters=" + filters("label", labels)), "list networks");
    List<NetworkInfo> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(network(n));
    }
    return out;
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    try {
      JsonNode n =
          api.json(HttpRequest.get("/networks/" + DockerApi.encode(name)), "network " + name);
      // Docker matches ids by prefix too; only an exact name or id counts.
      if (!n.path("Name").asText().equals(name) && !n.path("Id").asText().equals(name)) {
        return Optional.empty();
      }
      return Optional.of(network(n));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public void createNetwork(NetworkSpec spec) {
    ObjectNode body = F.objectNode();
    body.put("Name", spec.name());
    body.put("CheckDuplicate", true);
    body.put("Driver", spec.driver());
    body.put("Internal", spec.internal());
    body.put("Attachable", spec.attachable());
    body.put("EnableIPv6", spec.enableIpv6());
    ObjectNode opts = F.objectNode();
    spec.driverOptions().forEach(opts::put);
    body.set("Options", opts);
    ObjectNode labels = F.objectNode();
    spec.labels().forEach(labels::put);
    body.set("Labels", labels);
    if (!spec.ipam().isEmpty()) {
      ArrayNode config = F.arrayNode();
      for (NetworkSpec.IpamPool p : spec.ipam()) {
        ObjectNode pool = F.objectNode();
        if (p.subnet() != null) {
          pool.put("Subnet", p.subnet());
        }
        if (p.ipRange() != null) {
          pool.put("IPRange", p.ipRange());
        }
        if (p.gateway() != null) {
          pool.put("Gateway", p.gateway());
        }
        config.add(pool);
      }
      body.set("IPAM", F.objectNode().put("Driver", "default").set("Config", config));
    }
    api.call(
        HttpRequest.postJson("/networks/create", DockerApi.bytes(body)),
        "create network " + spec.name());
  }

  @Override
  public void removeNetwork(String name) {
    api.call(HttpRequest.delete("/networks/" + DockerApi.encode(name)), "remove network " + name);
  }

  // --- volumes ---

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    JsonNode r =
        api.json(HttpRequest.get("/volumes?filters=" + filters("label", labels)), "list volumes");
    List<VolumeInfo> out = new ArrayList<>();
    for (JsonNode v : r.path("Volumes")) {
      out.add(volume(v));
    }
    return out;
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    try {
      return Optional.of(
          volume(
              api.json(HttpRequest.get("/volumes/" + DockerApi.encode(name)), "volume " + name)));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    ObjectNode body = F.objectNode();
    body.put("Name", spec.name());
    body.put("Driver", spec.driver());
    ObjectNode opts = F.objectNode();
    spec.driverOptions().forEach(opts::put);
    body.set("DriverOpts", opts);
    ObjectNode labels = F.objectNode();
    spec.labels().forEach(labels::put);
    body.set("Labels", labels);
    api.call(
        HttpRequest.postJson("/volumes/create", DockerApi.bytes(body)),
        "create volume " + spec.name());
  }

  @Override
  public void removeVolume(String name) {
    api.call(HttpRequest.delete("/volumes/" + DockerApi.encode(name)), "remove volume " + name);
  }

  // --- images ---

  @Override
  public Optional<ImageInfo> image(String reference) {
    try {
      JsonNode i =
          api.json(
              HttpRequest.get("/images/" + DockerApi.encode(reference) + "/json"),
              "image " + reference);
      JsonNode cfg = i.path("Config");
      return Optional.of(
          new ImageInfo(
              i.path("Id").asText(),
              strings(i.path("RepoTags")),
              cfg.path("Entrypoint").isArray() ? strings(cfg.path("Entrypoint")) : null,
              cfg.path("Cmd").isArray() ? strings(cfg.path("Cmd")) : null,
              strings(cfg.path("Env")),
              emptyToNull(cfg.path("WorkingDir").asText("")),
              emptyToNull(cfg.path("User").asText("")),
              labels(cfg.path("Labels")),
              i.path("Size").asLong(),
              parseInstant(i.path("Created").asText())));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    RepoTag repoTag = RepoTag.of(reference);
    String path =
        "/images/create?fromImage="
            + DockerApi.encode(repoTag.repository())
            + (repoTag.tag() == null ? "" : "&tag=" + DockerApi.encode(repoTag.tag()));
    api.stream(
        HttpRequest.post(path),
        "pull image " + reference,
        "pull image " + reference,
        n -> progress.accept(progressOf(reference, n)));
  }

  /** A pull's or push's progress object. */
  private static PullProgress progressOf(String reference, JsonNode n) {
    JsonNode detail = n.path("progressDetail");
    return new PullProgress(
        reference,
        n.path("id").asText(""),
        n.path("status").asText(""),
        detail.path("current").asLong(0),
        detail.path("total").asLong(0));
  }

  @Override
  public void pushImage(String reference, Consumer<PullProgress> progress) {
    RepoTag repoTag = RepoTag.of(reference);
    String path =
        "/images/"
            + DockerApi.encode(repoTag.repository())
            + "/push"
            + (repoTag.tag() == null ? "" : "?tag=" + DockerApi.encode(repoTag.tag()));
    // The engine wants credentials even when the registry needs none: an empty JSON object.
    String auth =
        java.util.Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
    api.stream(
        HttpRequest.post(path).withHeader("X-Registry-Auth", auth),
        "push image " + reference,
        "push image " + reference,
        n -> progress.accept(progressOf(reference, n)));
  }

  @Override
  public void removeImage(String reference) {
    api.call(
        HttpRequest.delete("/images/" + DockerApi.encode(reference)), "remove image " + reference);
  }

  @Override
  public String buildImage(BuildSpec spec, Consumer<String> progress) {
    String dockerfile = spec.dockerfile() == null ? "Dockerfile" : spec.dockerfile();
    String[] extra = null;
    if (spec.dockerfileInline() != null) {
      dockerfile = ".jstack-inline.Dockerfile";
      extra = new String[] {dockerfile, spec.dockerfileInline()};
    }
    StringBuilder q = new StringBuilder("/build?rm=1&forcerm=1");
    for (String tag : spec.tags()) {
      q.append("&t=").append(DockerApi.encode(tag));
    }
    q.append("&dockerfile=").append(DockerApi.encode(dockerfile));
    ObjectNode args = F.objectNode();
    spec.args().forEach(args::put);
    q.append("&buildargs=").append(DockerApi.encode(args.toString()));
    ObjectNode labels = F.objectNode();
    new java.util.TreeMap<>(spec.labels()).forEach(labels::put);
    q.append("&labels=").append(DockerApi.encode(labels.toString()));
    if (spec.target() != null) {
      q.append("&target=").append(DockerApi.encode(spec.target()));
    }
    if (spec.noCache()) {
      q.append("&nocache=1");
    }
    if (spec.pull()) {
      q.append("&pull=1");
    }
    if (spec.network() != null) {
      q.append("&networkmode=").append(DockerApi.encode(spec.network()));
    }
    if (spec.shmSizeBytes() != null) {
      q.append("&shmsize=").append(spec.shmSizeBytes());
    }
    if (spec.platform() != null) {
      q.append("&platform=").append(DockerApi.encode(spec.platform()));
    }
    java.io.PipedInputStream tar = new java.io.PipedInputStream(256 * 1024);
    java.io.PipedOutputStream sink;
    try {
      sink = new java.io.PipedOutputStream(tar);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String inlineName = dockerfile;
    String[] inline = extra;
    Thread writer =
        new Thread(
            () -> {
              try (sink) {
                ContextTar.write(spec.context(), inlineName, inline, sink);
              } catch (IOException e) {
                // The reader sees the stream end early and the engine reports the broken context.
              }
            },
            "jstack-build-context");
    writer.setDaemon(true);
    writer.start();
    String[] id = {null};
    String what = "build image " + (spec.tags().isEmpty() ? spec.context() : spec.tags().get(0));
    api.stream(
        HttpRequest.postStream(q.toString(), "application/x-tar", tar),
        what,
        what + " failed",
        n -> {
          for (String l : n.path("stream").asText("").split("\n")) {
            if (!l.isBlank()) {
              progress.accept(l);
            }
            if (l.startsWith("Successfully built ")) {
              id[0] = l.substring("Successfully built ".length()).strip();
            }
          }
          if (n.path("aux").has("ID")) {
            id[0] = n.path("aux").path("ID").asText();
          }
        });
    if (id[0] == null) {
      throw new EngineException(what + " failed: the engine did not report an image id");
    }
    return image(spec.tags().isEmpty() ? id[0] : spec.tags().get(0))
        .map(ImageInfo::id)
        .orElse(id[0]);
  }

  // --- decoding ---

  private static ContainerInfo summary(JsonNode c) {
    String name = c.path("Names").path(0).asText("");
    List<String> networks = new ArrayList<>();
    c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
    List<ContainerInfo.PublishedPort> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.has("PublicPort")) {
        ports.add(
            new ContainerInfo.PublishedPort(
                p.path("IP").asText("0.0.0.0"),
                p.path("PublicPort").asInt(),
                p.path("PrivatePort").asInt(),
                p.path("Type").asText("tcp")));
      }
    }
    return new ContainerInfo(
        c.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        c.path("Image").asText(),
        c.path("ImageID").asText(),
        labels(c.path("Labels")),
        state(c.path("State").asText()),
        healthFromStatus(c.path("Status").asText("")),
        exitCodeFromStatus(c.path("Status").asText("")),
        Instant.ofEpochSecond(c.path("Created").asLong()),
        networks,
        c.path("Command").asText(""),
        c.path("Status").asText(""),
        ports);
  }

  private static ContainerInfo inspected(JsonNode c) {
    String name = c.path("Name").asText("");
    JsonNode state = c.path("State");
    List<String> networks = new ArrayList<>();
    c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
    String health = state.path("Health").path("Status").asText("");
    return new ContainerInfo(
        c.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        c.path("Config").path("Image").asText(),
        c.path("Image").asText(),
        labels(c.path("Config").path("Labels")),
        state(state.path("Status").asText()),
        switch (health) {
          case "starting" -> ContainerInfo.Health.STARTING;
          case "healthy" -> ContainerInfo.Health.HEALTHY;
          case "unhealthy" -> ContainerInfo.Health.UNHEALTHY;
          default -> ContainerInfo.Health.NONE;
        },
        state.path("ExitCode").asInt(),
        parseInstant(c.path("Created").asText()),
        networks);
  }

  private static ContainerInfo.State state(String s) {
    return switch (s) {
      case "running" -> ContainerInfo.State.RUNNING;
      case "paused" -> ContainerInfo.State.PAUSED;
      case "restarting" -> ContainerInfo.State.RESTARTING;
      case "exited" -> ContainerInfo.State.EXITED;
      case "dead" -> ContainerInfo.State.DEAD;
      case "removing" -> ContainerInfo.State.REMOVING;
      default -> ContainerInfo.State.CREATED;
    };
  }

  private static ContainerInfo.Health healthFromStatus(String status) {
    if (status.contains("(healthy)")) {
      return ContainerInfo.Health.HEALTHY;
    }
    if (status.contains("(unhealthy)")) {
      return ContainerInfo.Health.UNHEALTHY;
    }
    if (status.contains("(health: starting)")) {
      return ContainerInfo.Health.STARTING;
    }
    return ContainerInfo.Health.NONE;
  }

  private static int exitCodeFromStatus(String status) {
    // "Exited (137) 5 seconds ago"
    int open = status.indexOf("Exited (");
    if (open < 0) {
      return 0;
    }
    int close = status.indexOf(')', open);
    try {
      return Integer.parseInt(status.substring(open + 8, close));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static Instant parseInstant(String s) {
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private static NetworkInfo network(JsonNode n) {
    return new NetworkInfo(
        n.path("Id").asText(),
        n.path("Name").asText(),
        n.path("Driver").asText(),
        n.path("Internal").asBoolean(),
        labels(n.path("Labels")));
  }

  private static VolumeInfo volume(JsonNode v) {
    return new VolumeInfo(
        v.path("Name").asText(), v.path("Driver").asText(), labels(v.path("Labels")));
  }

  static Map<String, String> labels(JsonNode n) {
    Map<String, String> m = new java.util.TreeMap<>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /** {@code {"label":["k=v", "k2"]}}, URL-encoded. */
  static String filters(String kind, Map<String, String> labels) {
    ObjectNode f = F.objectNode();
    ArrayNode values = f.putArray(kind);
    new java.util.TreeMap<>(labels).forEach((k, v) -> values.add(v.isEmpty() ? k : k + "=" + v));
    return DockerApi.encode(f.toString());
  }
}
