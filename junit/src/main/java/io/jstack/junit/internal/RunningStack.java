package io.jstack.junit.internal;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.Stdio;
import io.jstack.junit.Endpoint;
import io.jstack.junit.ExecResult;
import io.jstack.junit.Stack;
import io.jstack.junit.StackException;
import io.jstack.planner.DownOptions;
import io.jstack.planner.Executor;
import io.jstack.planner.Plan;
import io.jstack.planner.Planner;
import io.jstack.planner.ServiceContainers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stack that {@link StackStarter} brought up: every operation goes through the planner and the
 * engine client exactly as the CLI's verbs do ({@link Planner#of}, {@link Executor}, {@link
 * ServiceContainers}).
 */
final class RunningStack implements Stack {
  /**
   * How often a wait of the plan (a dependency healthy, {@code up --wait}) asks the engine again: a
   * test waits for its first test on it, and a look is one local request.
   */
  private static final Duration POLL = Duration.ofMillis(50);

  private final Engine engine;
  private final LoadedProject loaded;
  private final boolean keep;
  private final CrashGuard guard;
  private final Duration timeout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean reused;

  /**
   * A stack of {@code loaded} on {@code engine}, not started yet; {@code keep}: left running at
   * {@link #close()} for the next run.
   */
  RunningStack(
      Engine engine, LoadedProject loaded, boolean keep, CrashGuard guard, Duration timeout) {
    this.engine = engine;
    this.loaded = loaded;
    this.keep = keep;
    this.guard = guard;
    this.timeout = timeout;
  }

  Engine engine() {
    return engine;
  }

  LoadedProject loaded() {
    return loaded;
  }

  CrashGuard guard() {
    return guard;
  }

  void markReused(boolean found) {
    this.reused = found;
  }

  Duration timeout() {
    return timeout;
  }

  @Override
  public String project() {
    return loaded.project().name();
  }

  @Override
  public Set<String> services() {
    return loaded.project().services().keySet();
  }

  @Override
  public boolean reused() {
    return reused;
  }

  @Override
  public java.util.Map<String, java.util.Map<Integer, Endpoint>> endpoints() {
    java.util.Map<String, java.util.Map<Integer, Endpoint>> all = new java.util.TreeMap<>();
    for (String service : services()) {
      List<ContainerInfo> containers = ServiceContainers.of(engine, project(), service);
      if (containers.isEmpty()) {
        continue;
      }
      java.util.Map<Integer, Endpoint> ports = new java.util.TreeMap<>();
      for (ContainerInfo.PublishedPort p : containers.get(0).ports()) {
        if (p.protocol().equals("tcp") && p.hostPort() > 0) {
          ports.computeIfAbsent(p.containerPort(), port -> published(containers.get(0), port));
        }
      }
      if (!ports.isEmpty()) {
        all.put(service, java.util.Collections.unmodifiableMap(ports));
      }
    }
    return java.util.Collections.unmodifiableMap(all);
  }

  @Override
  public Endpoint endpoint(String service, int containerPort) {
    Endpoint e = published(first(service), containerPort);
    if (e == null) {
      throw new StackException(
          "stack "
              + project()
              + ": port "
              + containerPort
              + "/tcp of service "
              + service
              + " is not published; publish it under ports: in the compose file (\""
              + containerPort
              + "\" lets the engine pick the host port)");
    }
    return e;
  }

  /** Where {@code containerPort}/tcp of {@code c} is published, an IPv4 binding first; or null. */
  private @org.jspecify.annotations.Nullable Endpoint published(
      ContainerInfo c, int containerPort) {
    ContainerInfo.PublishedPort found = null;
    for (ContainerInfo.PublishedPort p : c.ports()) {
      if (p.containerPort() == containerPort && p.protocol().equals("tcp") && p.hostPort() > 0) {
        // An IPv4 binding first: every test host reaches 127.0.0.1.
        if (found == null || found.hostIp().contains(":") && !p.hostIp().contains(":")) {
          found = p;
        }
      }
    }
    if (found == null) {
      return null;
    }
    String ip = found.hostIp();
    String host = found.reachableHost(engine.remoteHost(), ip.equals("::") ? "::1" : "127.0.0.1");
    return new Endpoint(host, found.hostPort());
  }

  @Override
  public ExecResult exec(String service, String... command) {
    ContainerInfo c = first(service);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      code =
          engine.exec(
              c.id(),
              new Engine.ExecSpec(List.of(command), List.of(), null, null, false, false),
              new Stdio(null, out, err, null));
    } catch (EngineException e) {
      throw new StackException(
          "stack " + project() + ": exec in " + service + " failed: " + e.getMessage(), e);
    }
    return new ExecResult(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String logs(String service) {
    requireService(service);
    StringBuilder text = new StringBuilder();
    for (ContainerInfo c : ServiceContainers.of(engine, project(), service)) {
      try (LogStream lines = engine.logs(c.id(), LogStream.Options.all())) {
        for (LogStream.Line l = lines.next(); l != null; l = lines.next()) {
          text.append(l.text()).append('\n');
        }
      }
    }
    return text.toString();
  }

  @Override
  public void stop(String service) {
    requireService(service);
    run(Planner.of(engine, loaded).stop(List.of(service), null), "stop " + service);
  }

  @Override
  public void start(String service) {
    requireService(service);
    run(Planner.of(engine, loaded).start(List.of(service)), "start " + service);
  }

  @Override
  public void restart(String service) {
    stop(service);
    start(service);
  }

  @Override
  public List<Path> dumpLogs(Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (String service : services()) {
        Path file = dir.resolve(service + ".log");
        Files.writeString(file, logs(service));
        written.add(file);
      }
    } catch (IOException e) {
      throw new StackException(
          "stack " + project() + ": cannot write its logs to " + dir + ": " + e, e);
    }
    return written;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (keep) {
        guard.release(project());
      } else {
        down();
      }
    } finally {
      EngineChoice.close(engine);
    }
  }

  /** {@code down -v --remove-orphans} of this project, then the guard lets go of it. */
  void down() {
    run(Planner.of(engine, loaded).down(new DownOptions(true, true, null, null)), "down");
    guard.release(project());
  }

  /** Closes the connection without taking the stack down (a start that failed took it down). */
  void disconnect() {
    if (closed.compareAndSet(false, true)) {
      EngineChoice.close(engine);
    }
  }

  /**
   * Runs {@code plan} as the CLI does, without progress output.
   *
   * @throws StackException naming the first operation that failed
   */
  void run(Plan plan, String what) {
    Executor.Result result;
    try {
      result = Executor.run(plan, engine, new Executor.Options(0, POLL, timeout), e -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("stack " + project() + ": interrupted during " + what, e);
    }
    if (!result.succeeded()) {
      throw new StackException(
          "stack " + project() + ": " + what + ": " + result.firstFailure(),
          result.failures().get(0).cause());
    }
  }

  private ContainerInfo first(String service) {
    requireService(service);
    List<ContainerInfo> containers = ServiceContainers.of(engine, project(), service);
    if (containers.isEmpty()) {
      throw new StackException(
          "stack " + project() + ": service " + service + " has no container; start it first");
    }
    return containers.get(0);
  }

  private void requireService(String service) {
    if (!loaded.project().services().containsKey(service)) {
      throw new StackException(
          "stack "
              + project()
              + " has no service \""
              + service
              + "\" (services: "
              + String.join(", ", services())
              + ")");
    }
  }
}
