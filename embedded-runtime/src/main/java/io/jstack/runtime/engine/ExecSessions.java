package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.internal.Daemons;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exec instances of running containers, as Docker's API knows them: made by one call, started
 * by another (then their events {@code exec_start} and {@code exec_die}), inspected afterwards
 * until their container is removed.
 */
final class ExecSessions {
  private final ContainerStore store;
  private final Containers containers;
  private final Events events;
  private final Map<String, Exec> execs = new ConcurrentHashMap<>();

  ExecSessions(ContainerStore store, Containers containers, Events events) {
    this.store = store;
    this.containers = containers;
    this.events = events;
  }

  /** Forgets the exec instances of a removed container. */
  void forget(String containerId) {
    execs.values().removeIf(e -> e.containerId().equals(containerId));
  }

  /**
   * Makes an exec instance in a running container; returns its id.
   *
   * @throws EngineException.Conflict when the container is not running
   */
  String createExec(String idOrName, ExecRequest request) {
    Container c = store.require(idOrName);
    if (c.status() == Container.Status.paused) {
      throw new EngineException.Conflict(
          "container " + c.record().id() + " is paused, unpause the container before exec");
    }
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    if (request.privileged()) {
      throw new UnsupportedOperationException(
          "privileged exec is not supported by the jstack engine; use --engine docker for it");
    }
    ExecConfig config = request.process();
    String id = Ids.random();
    execs.put(id, new Exec(id, c.record().id(), request));
    events.emit(
        c.record(), "exec_create: " + String.join(" ", config.command()), Map.of("execID", id));
    return id;
  }

  /**
   * An exec instance by id.
   *
   * @throws EngineException.NotFound when there is none
   */
  Exec exec(String id) {
    Exec e = execs.get(id);
    if (e == null) {
      throw new EngineException.NotFound("No such exec instance: " + id);
    }
    return e;
  }

  /**
   * Starts an exec instance with a terminal of {@code rows} × {@code columns} (if it has one). When
   * {@code detach}, its output is dropped and its end recorded in the background; otherwise the
   * caller reads its output to the end, then calls {@link Exec#finish} and {@link
   * ExecProcess#release}.
   */
  ExecProcess startExec(String id, boolean detach, int rows, int columns) {
    Exec e = exec(id);
    ExecProcess p;
    synchronized (e) {
      if (e.process() != null) {
        throw new EngineException.Conflict("exec instance " + id + " has already started");
      }
      p = containers.exec(e.containerId(), e.config(), rows, columns);
      e.started(p);
    }
    store
        .record(e.containerId())
        .ifPresent(
            r ->
                events.emit(
                    r,
                    "exec_start: " + String.join(" ", e.config().command()),
                    Map.of("execID", id)));
    Daemons.start(
        "jstack-exec-" + id.substring(0, 12),
        () -> {
          if (detach) {
            Thread errors = Daemons.start("jstack-exec-errors", () -> discard(p.errors()));
            discard(p.output());
            try {
              errors.join();
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
            }
          }
          int code = e.finish();
          if (detach) {
            p.release();
          }
          store
              .record(e.containerId())
              .ifPresent(
                  r ->
                      events.emit(
                          r, "exec_die", Map.of("execID", id, "exitCode", String.valueOf(code))));
        });
    return p;
  }

  /** Reads {@code in} to its end, dropping what comes. */
  private static void discard(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ended) {
      // Nothing more to read.
    }
  }
}
