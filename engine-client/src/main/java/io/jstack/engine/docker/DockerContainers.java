package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;
import static io.jstack.engine.docker.DockerApi.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.TarWriter;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The container resource of the Engine API ({@code /containers}): list and inspect, create (with
 * its further networks and its files), the lifecycle, archive copies, processes, wait and logs.
 */
final class DockerContainers {
  private final DockerApi api;

  DockerContainers(DockerApi api) {
    this.api = api;
  }

  List<ContainerInfo> list(Map<String, String> labels) {
    JsonNode list =
        api.json(
            HttpRequest.get("/containers/json?all=1&filters=" + DockerApi.labelFilter(labels)),
            "list containers");
    List<ContainerInfo> out = new ArrayList<>();
    for (JsonNode c : list) {
      out.add(ContainerJson.summary(c));
    }
    return out;
  }

  Optional<ContainerInfo> inspect(String idOrName) {
    try {
      return Optional.of(ContainerJson.inspected(inspectJson(idOrName, "container " + idOrName)));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  /** The raw answer of {@code GET /containers/{id}/json}, for what {@link ContainerInfo} lacks. */
  JsonNode inspectJson(String id, String what) {
    return api.json(HttpRequest.get(path(id) + "/json"), what);
  }

  String create(ContainerSpec spec) {
    List<String> networks = new ArrayList<>(spec.networks().keySet());
    String first = spec.networkMode() == null && !networks.isEmpty() ? networks.get(0) : null;
    ObjectNode body = CreateRequest.of(spec, first);
    JsonNode created =
        api.json(
            HttpRequest.postJson(
                "/containers/create?name=" + encode(spec.name()), DockerApi.bytes(body)),
            "create container " + spec.name());
    String id = created.path("Id").asText();
    // Older API versions attach one network at creation; the others are connected before start.
    for (int i = 1; i < networks.size() && first != null; i++) {
      String net = networks.get(i);
      api.call(
          HttpRequest.postJson(
              "/networks/" + encode(net) + "/connect",
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
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try {
      Set<String> dirs = new TreeSet<>();
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
            path(id) + "/archive?path=%2F",
            Map.of("Content-Type", "application/x-tar"),
            tar.toByteArray(),
            null),
        "copy secrets and configs into container " + spec.name());
  }

  /** A running container stays as it is (dockerd answers 304). */
  void start(String id) {
    api.change(HttpRequest.post(path(id) + "/start"), "start container " + id);
  }

  /** A container that is not running stays as it is (dockerd answers 304). */
  void stop(String id, @Nullable String signal, Duration timeout) {
    StringBuilder q = new StringBuilder(path(id) + "/stop?t=");
    q.append(timeout == null ? 10 : timeout.toSeconds());
    if (signal != null) {
      q.append("&signal=").append(encode(signal));
    }
    api.change(HttpRequest.post(q.toString()), "stop container " + id);
  }

  void kill(String id, @Nullable String signal) {
    api.call(
        HttpRequest.post(path(id) + "/kill?signal=" + encode(signal == null ? "SIGKILL" : signal)),
        "kill container " + id);
  }

  void remove(String id, boolean removeVolumes, boolean force) {
    api.call(
        HttpRequest.delete(path(id) + "?v=" + (removeVolumes ? 1 : 0) + (force ? "&force=1" : "")),
        "remove container " + id);
  }

  void rename(String id, String newName) {
    api.call(
        HttpRequest.post(path(id) + "/rename?name=" + encode(newName)),
        "rename container " + id + " to " + newName);
  }

  InputStream copyFrom(String id, String path) {
    HttpResponse r =
        api.send(
            HttpRequest.get(path(id) + "/archive?path=" + encode(path)),
            "copy " + path + " out of container " + id);
    return new FilterInputStream(r.body()) {
      @Override
      public void close() {
        r.close();
      }
    };
  }

  void copyTo(String id, String dir, InputStream archive) {
    api.call(
        new HttpRequest(
            "PUT",
            path(id) + "/archive?path=" + encode(dir),
            Map.of("Content-Type", "application/x-tar"),
            null,
            archive),
        "copy into " + dir + " of container " + id);
  }

  InputStream export(String id) {
    HttpResponse r = api.send(HttpRequest.get(path(id) + "/export"), "export container " + id);
    return new FilterInputStream(r.body()) {
      @Override
      public void close() {
        r.close();
      }
    };
  }

  String commit(String id, Engine.CommitSpec spec) {
    StringBuilder q = new StringBuilder("/commit?container=").append(encode(id));
    if (spec.reference() != null) {
      RepoTag repoTag = RepoTag.of(spec.reference());
      q.append("&repo=").append(encode(repoTag.repository()));
      if (repoTag.tag() != null) {
        q.append("&tag=").append(encode(repoTag.tag()));
      }
    }
    if (spec.message() != null) {
      q.append("&comment=").append(encode(spec.message()));
    }
    if (spec.author() != null) {
      q.append("&author=").append(encode(spec.author()));
    }
    for (String change : spec.changes()) {
      q.append("&changes=").append(encode(change));
    }
    q.append("&pause=").append(spec.pause());
    JsonNode r =
        api.json(
            HttpRequest.postJson(
                q.toString(), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "commit container " + id);
    return r.path("Id").asText();
  }

  /** One sample of {@code /stats}, its figures read as Docker's CLI reads them. */
  io.jstack.engine.ContainerStats stats(String id) {
    JsonNode s = api.json(HttpRequest.get(path(id) + "/stats?stream=false"), "stats of " + id);
    if (s.path("read").asText().startsWith("0001-01-01")) {
      // dockerd answers a container that does not run with an empty sample, not an error.
      throw new EngineException.Conflict("container " + id + " is not running");
    }
    JsonNode cpu = s.path("cpu_stats");
    JsonNode pre = s.path("precpu_stats");
    double cpuDelta =
        cpu.path("cpu_usage").path("total_usage").asDouble()
            - pre.path("cpu_usage").path("total_usage").asDouble();
    double systemDelta =
        cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
    int cpus = cpu.path("online_cpus").asInt(0);
    if (cpus == 0) {
      cpus = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
    }
    double cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
    JsonNode memory = s.path("memory_stats");
    long usage = memory.path("usage").asLong();
    // As Docker's CLI: without the inactive page cache (cgroup v1's total_inactive_file, v2's
    // inactive_file), which the kernel takes back before it runs short.
    JsonNode stat = memory.path("stats");
    JsonNode inactive =
        stat.has("total_inactive_file")
            ? stat.path("total_inactive_file")
            : stat.path("inactive_file");
    if (inactive.isNumber() && inactive.asLong() < usage) {
      usage -= inactive.asLong();
    }
    long rx = 0;
    long tx = 0;
    for (JsonNode n : s.path("networks")) {
      rx += n.path("rx_bytes").asLong();
      tx += n.path("tx_bytes").asLong();
    }
    long read = 0;
    long write = 0;
    for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
      String op = e.path("op").asText().toLowerCase(java.util.Locale.ROOT);
      if (op.equals("read")) {
        read += e.path("value").asLong();
      } else if (op.equals("write")) {
        write += e.path("value").asLong();
      }
    }
    String name = s.path("name").asText(id);
    return new io.jstack.engine.ContainerStats(
        s.path("id").asText(id),
        name.startsWith("/") ? name.substring(1) : name,
        cpuPercent,
        usage,
        memory.path("limit").asLong(),
        rx,
        tx,
        read,
        write,
        s.path("pids_stats").path("current").asLong());
  }

  Engine.Processes top(String id) {
    JsonNode t = api.json(HttpRequest.get(path(id) + "/top"), "processes of container " + id);
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode p : t.path("Processes")) {
      rows.add(strings(p));
    }
    return new Engine.Processes(strings(t.path("Titles")), rows);
  }

  void pause(String id) {
    api.call(HttpRequest.post(path(id) + "/pause"), "pause container " + id);
  }

  void unpause(String id) {
    api.call(HttpRequest.post(path(id) + "/unpause"), "unpause container " + id);
  }

  int waitFor(String id) {
    JsonNode r = api.json(HttpRequest.post(path(id) + "/wait"), "wait for container " + id);
    return r.path("StatusCode").asInt();
  }

  LogStream logs(String id, LogStream.Options o) {
    boolean tty = inspectJson(id, "container " + id).path("Config").path("Tty").asBoolean(false);
    StringBuilder q = new StringBuilder(path(id) + "/logs?stdout=1&stderr=1");
    q.append("&follow=").append(o.follow() ? 1 : 0);
    q.append("&timestamps=").append(o.timestamps() ? 1 : 0);
    q.append("&tail=").append(o.tail() == null ? "all" : o.tail().toString());
    if (o.since() != null) {
      q.append("&since=").append(encode(o.since()));
    }
    if (o.until() != null) {
      q.append("&until=").append(encode(o.until()));
    }
    HttpResponse r = api.send(HttpRequest.get(q.toString()), "logs of container " + id);
    return new DockerLogStream(r, !tty, o.timestamps());
  }

  /** The API path of a container by id or name ({@code /name} too: dockerd redirects that). */
  static String path(String id) {
    return "/containers/" + encode(id.startsWith("/") ? id.substring(1) : id);
  }
}
