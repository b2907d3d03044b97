package io.jstack.cli;

import io.jstack.cli.internal.watch.FileChanges;
import io.jstack.cli.internal.watch.Sync;
import io.jstack.cli.internal.watch.WatchRule;
import io.jstack.compose.Hook;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import io.jstack.runtime.ProjectLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What {@code watch} and {@code up --watch} run: the {@code develop.watch} rules of a project's
 * services applied to each batch of host changes, until the thread is interrupted. A service with a
 * rebuild rule that a batch touches is rebuilt and recreated (with the builder's cache; nothing
 * else is); otherwise its sync rules copy what changed into its running containers, then restart
 * them once ({@code sync+restart}) or run a command in them ({@code sync+exec}). A batch that fails
 * for a service is reported on one line, and watching goes on.
 */
final class WatchLoop {
  private final ProjectCommand command;
  private final LoadedProject loaded;
  private final Engine engine;
  private final List<WatchRule> rules;

  WatchLoop(ProjectCommand command, LoadedProject loaded, Engine engine, List<WatchRule> rules) {
    this.command = command;
    this.loaded = loaded;
    this.engine = engine;
    this.rules = List.copyOf(rules);
  }

  /** Watches until interrupted; returns only by an exception. */
  void run() throws IOException, InterruptedException {
    Set<Path> roots = new LinkedHashSet<>();
    rules.forEach(r -> roots.add(r.path()));
    try (FileChanges changes = new FileChanges(new ArrayList<>(roots))) {
      initialSync();
      say("Watch enabled (" + rules.size() + " rules; Ctrl-C to stop)");
      while (!Thread.currentThread().isInterrupted()) {
        apply(changes.next());
      }
      throw new InterruptedException();
    }
  }

  private void initialSync() throws IOException {
    Map<String, Map<WatchRule, List<Path>>> byService = new TreeMap<>();
    for (WatchRule r : rules) {
      if (r.initialSync() && r.action() != WatchRule.Action.REBUILD && Files.exists(r.path())) {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(r.path())) {
          all = walk.filter(r::takes).toList();
        }
        byService.computeIfAbsent(r.service(), s -> new LinkedHashMap<>()).put(r, all);
      }
    }
    byService.forEach((service, matched) -> sync(service, matched, "initial sync"));
  }

  /** Applies one batch of changed host paths. */
  void apply(Set<Path> changed) throws InterruptedException {
    Map<String, Map<WatchRule, List<Path>>> byService = new TreeMap<>();
    for (WatchRule r : rules) {
      List<Path> mine = changed.stream().filter(r::takes).toList();
      if (!mine.isEmpty()) {
        byService.computeIfAbsent(r.service(), s -> new LinkedHashMap<>()).put(r, mine);
      }
    }
    List<String> rebuild = new ArrayList<>();
    for (Map.Entry<String, Map<WatchRule, List<Path>>> e : byService.entrySet()) {
      if (e.getValue().keySet().stream().anyMatch(r -> r.action() == WatchRule.Action.REBUILD)) {
        rebuild.add(e.getKey());
      } else {
        int n = e.getValue().values().stream().mapToInt(List::size).sum();
        sync(e.getKey(), e.getValue(), "after " + n + " changes were detected");
      }
    }
    if (!rebuild.isEmpty()) {
      rebuild(rebuild);
    }
  }

  private void sync(String service, Map<WatchRule, List<Path>> matched, String why) {
    try {
      List<ContainerInfo> running = running(service);
      say("Syncing service \"" + service + "\" " + why);
      boolean restart = false;
      List<Hook> execs = new ArrayList<>();
      for (Map.Entry<WatchRule, List<Path>> m : matched.entrySet()) {
        WatchRule r = m.getKey();
        Map<Path, String> changes = new LinkedHashMap<>();
        m.getValue().forEach(p -> changes.put(p, r.targetOf(p)));
        for (ContainerInfo c : running) {
          Sync.apply(engine, c.id(), changes);
        }
        restart |= r.action() == WatchRule.Action.SYNC_RESTART;
        if (r.exec() != null) {
          execs.add(r.exec());
        }
      }
      if (restart) {
        restart(service);
      }
      for (Hook h : execs) {
        for (ContainerInfo c : running(service)) {
          Engine.ExecResult x =
              engine.exec(
                  c.id(),
                  new Engine.ExecSpec(
                      h.command(),
                      h.environment().entrySet().stream()
                          .map(v -> v.getKey() + "=" + v.getValue())
                          .toList(),
                      h.user(),
                      h.workingDir(),
                      h.privileged(),
                      false),
                  (byte[]) null);
          if (x.exitCode() != 0) {
            say(
                "exec in "
                    + c.name()
                    + " exited with "
                    + x.exitCode()
                    + ": "
                    + new String(x.stderr(), java.nio.charset.StandardCharsets.UTF_8).strip());
          }
        }
      }
    } catch (IOException | EngineException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      say("jstack: watch: sync of service " + service + " failed: " + e.getMessage());
    }
  }

  private List<ContainerInfo> running(String service) {
    return engine
        .containers(
            Map.of(ComposeLabels.PROJECT, loaded.project().name(), ComposeLabels.SERVICE, service))
        .stream()
        .filter(c -> c.state() == ContainerInfo.State.RUNNING)
        .filter(c -> !"True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF)))
        .toList();
  }

  @SuppressWarnings("try") // The lock is used by holding it.
  private void restart(String service) throws InterruptedException {
    try (ProjectLock lock = command.lock(loaded)) {
      var planner = ProjectCommand.planner(engine, loaded);
      command.runPlan(engine, planner.stop(List.of(service), null), 0);
      command.runPlan(engine, ProjectCommand.planner(engine, loaded).start(List.of(service)), 0);
    }
    say("Restarted service \"" + service + "\"");
  }

  private void rebuild(List<String> services) {
    say("Rebuilding service(s) " + services + " after changes were detected...");
    try {
      UpOptions options =
          new UpOptions(
              services, false, false, true, false, false, Map.of(), null, false, null, false);
      int code =
          ConvergeRun.runOn(
              command,
              engine,
              loaded,
              options,
              new ConvergeRun.Settings(true, false, false, PlanFormat.Kind.TEXT, 0));
      say(
          code == Jstack.EXIT_OK
              ? "service(s) " + services + " successfully built"
              : "jstack: watch: rebuild of " + services + " failed (exit " + code + ")");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      say("jstack: watch: rebuild of " + services + " failed: " + e.getMessage());
    }
  }

  private void say(String line) {
    command.out().println(line);
    command.out().flush();
  }
}
