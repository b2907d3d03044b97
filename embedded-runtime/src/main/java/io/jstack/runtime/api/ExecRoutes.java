package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.engine.Exec;
import io.jstack.runtime.internal.Daemons;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/** {@code POST /containers/{id}/exec} and {@code /exec/{id}}: inspect, resize and start. */
final class ExecRoutes {
  private final ExecService engine;

  ExecRoutes(ExecService engine) {
    this.engine = engine;
  }

  void register(Router r) {
    r.add(HttpMethod.POST, "/containers/{id}/exec", this::create)
        .add(
            HttpMethod.GET,
            "/exec/{id}/json",
            x -> x.json(HttpResponseStatus.OK, inspect(engine.exec(x.path("id")))))
        .add(HttpMethod.POST, "/exec/{id}/resize", this::resize)
        .addHijacking(HttpMethod.POST, "/exec/{id}/start", this::start);
  }

  private void create(Exchange x) {
    ObjectNode r = Exchange.JSON.createObjectNode();
    r.put("Id", engine.createExec(x.path("id"), CreateBody.exec(x.json())));
    x.json(HttpResponseStatus.CREATED, r);
  }

  private void resize(Exchange x) {
    String id = x.path("id");
    ExecProcess p = engine.exec(id).process();
    if (p == null) {
      throw new EngineException.Conflict("exec instance " + id + " has not started");
    }
    try {
      p.resize(x.intParam("h"), x.intParam("w"));
    } catch (IOException ex) {
      throw new EngineException("cannot resize exec " + id + ": " + ex.getMessage(), ex);
    }
    x.empty(HttpResponseStatus.CREATED);
  }

  private void start(Exchange x) {
    String id = x.path("id");
    Exec e = engine.exec(id);
    JsonNode body = x.json();
    JsonNode size = body.path("ConsoleSize");
    int rows = size.size() == 2 ? size.get(0).asInt() : 24;
    int columns = size.size() == 2 ? size.get(1).asInt() : 80;
    boolean detach = body.path("Detach").asBoolean();
    ExecProcess p = engine.startExec(id, detach, rows, columns);
    if (detach) {
      x.empty(HttpResponseStatus.OK);
      return;
    }
    boolean stdin = e.request().attachStdin();
    if (!stdin && !p.tty()) {
      try {
        p.input().close();
      } catch (IOException ignored) {
        // It has no input either way.
      }
    }
    try (Hijacked out =
        Hijacked.take(
            x.channel(),
            x.request(),
            p.tty() ? Hijacked.RAW : Hijacked.MULTIPLEXED,
            stdin ? p.input() : null)) {
      Thread errors = null;
      if (!p.tty()) {
        errors = Daemons.start("jstack-exec-stderr", () -> out.copy(p.errors(), Hijacked.STDERR));
      }
      out.copy(p.output(), p.tty() ? Hijacked.TERMINAL : Hijacked.STDOUT);
      if (errors != null) {
        errors.join();
      }
      // Recorded before the client sees the end, so its next inspect has the exit code.
      e.finish();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } finally {
      p.release();
    }
  }

  private static ObjectNode inspect(Exec e) {
    ObjectNode i = Exchange.JSON.createObjectNode();
    i.put("ID", e.id());
    i.put("Running", e.running());
    if (e.exitCode() == null) {
      i.putNull("ExitCode");
    } else {
      i.put("ExitCode", e.exitCode());
    }
    ObjectNode pc = i.putObject("ProcessConfig");
    pc.put("tty", e.config().tty());
    pc.put("entrypoint", e.config().command().get(0));
    ArrayNode args = pc.putArray("arguments");
    e.config().command().subList(1, e.config().command().size()).forEach(args::add);
    pc.put("privileged", false);
    pc.put("user", e.config().user() == null ? "" : e.config().user());
    i.put("OpenStdin", e.request().attachStdin());
    i.put("OpenStdout", e.request().attachStdout());
    i.put("OpenStderr", e.request().attachStderr());
    i.put("CanRemove", false);
    i.put("ContainerID", e.containerId());
    i.put("DetachKeys", "");
    ExecProcess p = e.process();
    i.put("Pid", p == null ? 0 : p.pid());
    return i;
  }
}
