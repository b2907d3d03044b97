package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.Stdio;
import io.jstack.engine.http.HttpConnection;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Processes whose standard streams the caller holds: an exec ({@code /exec}), and a container
 * started attached ({@code /containers/{id}/attach}). Both upgrade the HTTP connection to carry the
 * process's input one way and its output the other, as moby's client "hijacks" it.
 */
final class AttachedProcesses {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;
  private final DockerContainers containers;

  AttachedProcesses(DockerApi api, DockerContainers containers) {
    this.api = api;
    this.containers = containers;
  }

  /** Runs {@code spec} in container {@code id}; its exit code (0 for a detached one). */
  int exec(String id, Engine.ExecSpec spec, Stdio stdio) {
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
                HttpRequest.postJson(DockerContainers.path(id) + "/exec", DockerApi.bytes(create)),
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

  /** Attaches to container {@code id}, starts it, and returns its exit code once it ends. */
  int startAttached(String id, Stdio stdio) {
    return attach(id, stdio, true);
  }

  int attach(String id, Stdio stdio) {
    return attach(id, stdio, false);
  }

  private int attach(String id, Stdio stdio, boolean start) {
    String what = "attach to container " + id;
    String path = DockerContainers.path(id);
    JsonNode inspected = containers.inspectJson(id, what);
    if (!start && !inspected.path("State").path("Running").asBoolean()) {
      throw new EngineException.Conflict(
          "container "
              + inspected.path("Name").asText(id).replaceFirst("^/", "")
              + " does not run: start it first, then attach");
    }
    boolean tty = inspected.path("Config").path("Tty").asBoolean();
    HttpRequest attach =
        HttpRequest.post(
                path + "/attach?stream=1&stdout=1&stderr=1&stdin=" + (stdio.in() != null ? 1 : 0))
            .upgrading();
    try (HttpResponse r = api.send(attach, what)) {
      if (start) {
        containers.start(id);
      }
      attached(r, stdio, tty, tty && stdio.terminal() != null ? path + "/resize" : null, what);
    }
    return containers.waitFor(id);
  }

  /**
   * Copies {@code stdio.in()} to an attached process (closing its input at the end) and its output
   * to {@code stdio}, raw with a pseudo-terminal and demultiplexed without one, until the output
   * ends; keeps the process's terminal as large as the caller's through {@code resizePath}.
   */
  private void attached(
      HttpResponse r, Stdio stdio, boolean tty, @Nullable String resizePath, String what) {
    if (resizePath != null && stdio.terminal() != null) {
      Consumer<Stdio.Terminal.Size> resize =
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
      InputStream in;
      if (r.status() == 101) {
        HttpConnection c = r.connection();
        InputStream stdin = stdio.in();
        if (stdin == null) {
          c.shutdownOutput();
        } else {
          Thread feeder = new Thread(() -> feed(stdin, c), "jstack-stdin");
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
  private static void feed(InputStream in, HttpConnection c) {
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
}
