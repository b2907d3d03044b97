package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.WaitFor;
import io.jstack.runtime.engine.internal.Archives;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code /containers}: list, create, inspect, the lifecycle, wait, top and file copies. */
final class ContainerRoutes {
  private final ContainerService engine;
  private final ContainerJson json;

  ContainerRoutes(ContainerService engine) {
    this.engine = engine;
    this.json = new ContainerJson(engine);
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/containers/json", this::list)
        .add(HttpMethod.POST, "/containers/create", this::create)
        .add(HttpMethod.POST, "/containers/prune", this::prune)
        .add(
            HttpMethod.GET,
            "/containers/{id}/json",
            x -> x.json(HttpResponseStatus.OK, json.inspect(engine.require(x.path("id")))))
        .add(HttpMethod.POST, "/containers/{id}/start", this::start)
        .add(HttpMethod.POST, "/containers/{id}/stop", this::stop)
        .add(HttpMethod.POST, "/containers/{id}/restart", this::restart)
        .add(HttpMethod.GET, "/containers/{id}/top", this::top)
        .add(HttpMethod.POST, "/containers/{id}/pause", x -> pause(x, true))
        .add(HttpMethod.POST, "/containers/{id}/unpause", x -> pause(x, false))
        .add(HttpMethod.POST, "/containers/{id}/kill", this::kill)
        .add(HttpMethod.POST, "/containers/{id}/rename", this::rename)
        .add(HttpMethod.POST, "/containers/{id}/wait", this::await)
        .addStreaming(HttpMethod.PUT, "/containers/{id}/archive", this::copyTo)
        .add(HttpMethod.GET, "/containers/{id}/archive", this::copyFrom)
        .add(HttpMethod.HEAD, "/containers/{id}/archive", this::stat)
        .add(HttpMethod.GET, "/containers/{id}/export", this::export)
        .add(HttpMethod.POST, "/containers/{id}/resize", this::resize)
        .add(HttpMethod.DELETE, "/containers/{id}", this::remove);
  }

  private void list(Exchange x) {
    Map<String, List<String>> filters = x.filters();
    boolean all = x.flag("all");
    ArrayNode out = Exchange.JSON.createArrayNode();
    for (Container c : engine.list()) {
      String state = json.state(c);
      // Without all, what runs: a container its policy is about to start again too.
      boolean shown = all || c.alive() || state.equals("restarting");
      if (shown && Filters.matches(c, state, filters)) {
        out.add(json.summary(c));
      }
    }
    x.json(HttpResponseStatus.OK, out);
  }

  private void create(Exchange x) {
    String name = x.param("name");
    if (name != null && !name.isEmpty()) {
      // Checked here too (the engine checks again): a name reaches paths, logs and DNS.
      io.jstack.engine.Names.container(name);
    }
    String id =
        engine.create(name == null || name.isEmpty() ? null : name, CreateBody.settings(x.json()));
    ObjectNode r = Exchange.JSON.createObjectNode();
    r.put("Id", id);
    r.putArray("Warnings");
    x.json(HttpResponseStatus.CREATED, r);
  }

  private void start(Exchange x) {
    String id = x.path("id");
    boolean was = engine.require(id).status() == Container.Status.running;
    engine.start(id);
    x.empty(was ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.NO_CONTENT);
  }

  /** {@code t}, in seconds (-1: no SIGKILL); null for the container's own (by default 10). */
  private static @Nullable Duration timeout(Exchange x) {
    String t = x.param("t");
    if (t == null || t.isEmpty()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new EngineException.InvalidArgument(
          "t=" + t + " is not a number of seconds: give the stop timeout in whole seconds");
    }
  }

  private void stop(Exchange x) {
    engine.stop(x.path("id"), x.param("signal"), timeout(x));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void restart(Exchange x) {
    engine.stop(x.path("id"), null, timeout(x));
    engine.start(x.path("id"));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void top(Exchange x) {
    Container c = engine.require(x.path("id"));
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    x.json(HttpResponseStatus.OK, ContainerJson.top(engine.pids(c.record().id())));
  }

  private void pause(Exchange x, boolean pause) {
    engine.pause(x.path("id"), pause);
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void kill(Exchange x) {
    engine.kill(x.path("id"), x.param("signal"));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void rename(Exchange x) {
    String name = x.param("name");
    if (name == null || name.isEmpty()) {
      throw new EngineException.InvalidArgument("the rename needs a new name (?name=...)");
    }
    engine.rename(x.path("id"), name);
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void await(Exchange x) throws IOException {
    String id = x.path("id");
    String condition = x.param("condition");
    WaitFor until =
        condition == null || condition.isEmpty() ? WaitFor.NOT_RUNNING : WaitFor.of(condition);
    engine.require(id);
    // The head goes first, as Docker's does: clients start the container once they see it.
    x.startChunked("application/json");
    ObjectNode r = Exchange.JSON.createObjectNode();
    r.put("StatusCode", engine.await(id, until));
    r.putNull("Error");
    x.chunk(Unpooled.wrappedBuffer(Exchange.JSON.writeValueAsBytes(r)));
    x.end();
  }

  private void copyTo(Exchange x) {
    engine.copyTo(x.path("id"), archivePath(x), x.body());
    x.empty(HttpResponseStatus.OK);
  }

  /** What the path is, in a header (the docker CLI's {@code cp} asks before it copies). */
  private void stat(Exchange x) {
    String asked = archivePath(x);
    x.header(PathStat.HEADER, PathStat.of(engine.pathIn(x.path("id"), asked), asked));
    x.empty(HttpResponseStatus.OK);
  }

  /**
   * {@code docker export}: the container's root file system as a tar, without its volumes and bind
   * mounts (which live elsewhere on the host) and without the files the engine made for it.
   */
  private void export(Exchange x) {
    Path root = engine.pathIn(x.path("id"), "/");
    x.startChunked("application/x-tar");
    try (OutputStream out = x.chunks()) {
      Archives.tarBelow(root, out);
    } catch (IOException e) {
      // The client sees the stream end early.
    }
    x.end();
  }

  private void copyFrom(Exchange x) {
    String asked = archivePath(x);
    Path source = engine.pathIn(x.path("id"), asked);
    x.header(PathStat.HEADER, PathStat.of(source, asked));
    x.startChunked("application/x-tar");
    try (OutputStream out = x.chunks()) {
      // The top entry has the asked path's name (the root's own name when it asks for /).
      Path named = Path.of("/").resolve(asked).normalize().getFileName();
      Archives.tar(source, String.valueOf(named != null ? named : source.getFileName()), out);
    } catch (IOException e) {
      // The client sees the stream end early.
    }
    x.end();
  }

  /**
   * The {@code path} of an archive request, {@code /} when not given. It is resolved inside the
   * container ({@code ..} stops at its root); control characters, which no path of a Docker client
   * has, are refused.
   */
  private static String archivePath(Exchange x) {
    String path = x.param("path");
    if (path == null) {
      return "/";
    }
    if (path.chars().anyMatch(Character::isISOControl)) {
      throw new EngineException.InvalidArgument(
          "path="
              + io.jstack.engine.Names.printable(path)
              + " is not a path in the container: give one without control characters, such as"
              + " /etc");
    }
    return path;
  }

  private void resize(Exchange x) {
    engine.resize(engine.require(x.path("id")).record().id(), x.intParam("h"), x.intParam("w"));
    x.empty(HttpResponseStatus.OK);
  }

  /**
   * {@code POST /containers/prune}, as dockerd answers it: removes every container that does not
   * run (created or exited; one running, paused or about to restart stays, and so does a build
   * step's, which the builder removes), of the {@code until} (created before) and {@code label} and
   * {@code label!} filters, leaving its volumes; {@code SpaceReclaimed} is the bytes of their
   * writable layers. One that cannot be removed is left, as dockerd leaves it, and the rest go.
   */
  private void prune(Exchange x) {
    io.jstack.engine.ListFilters f = new io.jstack.engine.ListFilters(x.filters());
    f.requireOnly("container prune", "until", "label", "label!");
    java.time.Instant until = Durations.until(f, java.time.Instant.now());
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode deleted = r.putArray("ContainersDeleted");
    long reclaimed = 0;
    for (Container c : engine.list()) {
      if (c.alive()
          || engine.restarting(c)
          || engine.buildStep(c.record().id())
          || !f.labelsMatch(c.record().labels())
          || until != null && !c.record().created().isBefore(until)) {
        continue;
      }
      String id = c.record().id();
      long size = engine.writableLayerSize(id);
      try {
        engine.remove(id, false, false);
      } catch (io.jstack.engine.EngineException kept) {
        continue; // removed or started meanwhile, or not removable: kept, as dockerd keeps it
      }
      deleted.add(id);
      reclaimed += size;
    }
    r.put("SpaceReclaimed", reclaimed);
    x.json(HttpResponseStatus.OK, r);
  }

  private void remove(Exchange x) {
    engine.remove(x.path("id"), x.flag("force"), x.flag("v"));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }
}
