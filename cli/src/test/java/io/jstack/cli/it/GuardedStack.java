package io.jstack.cli.it;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectOptions;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.engine.session.SessionGuard;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.DownOptions;
import io.jstack.planner.Executor;
import io.jstack.planner.ObservedState;
import io.jstack.planner.Plan;
import io.jstack.planner.Planner;
import io.jstack.planner.UpOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A test JVM in miniature, for {@link SessionGuardIT}: opens a session guard on the engine at
 * {@code ARGS[0]}, watches project {@code ARGS[1]}, brings up the compose file {@code ARGS[2]} as
 * it through the planner, prints {@code ready} (with the guard's kind), then waits for a line on
 * its input: {@code down} takes the project down ({@code down -v}), releases it and closes the
 * guard; {@code keep} releases it and closes the guard, leaving the stack; then it prints {@code
 * done} and exits. Killed before that, its guard is what removes the stack.
 */
public final class GuardedStack {
  private GuardedStack() {}

  public static void main(String[] args) throws Exception {
    EngineAddress address = EngineAddress.parse(args[0]);
    String project = args[1];
    Path file = Path.of(args[2]);
    try (DockerEngine engine = DockerEngine.connect(address);
        SessionGuard guard = SessionGuard.open(address, Duration.ofSeconds(2))) {
      guard.watch(project);
      LoadedProject loaded = load(file, project);
      run(engine, planner(engine, loaded).up(UpOptions.defaults()));
      System.out.println("ready " + (guard.embedded() ? "engine" : "watchdog"));
      System.out.flush();
      String command =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if ("down".equals(command)) {
        run(
            engine,
            planner(engine, loaded).down(new DownOptions(true, true, null, Duration.ofSeconds(1))));
      } else if (!"keep".equals(command)) {
        throw new IllegalStateException("expected down or keep, not " + command);
      }
      guard.release(project);
    }
    System.out.println("done");
    System.out.flush();
    // The Docker client's threads must not keep the JVM.
    System.exit(0);
  }

  private static LoadedProject load(Path file, String project) {
    return ComposeLoader.load(
        ProjectOptions.of(List.of(file), Map.of(), file.getParent()).withProjectName(project));
  }

  private static Planner planner(DockerEngine engine, LoadedProject loaded) {
    return new Planner(
        loaded.project(),
        loaded.disabledServices().keySet(),
        ObservedState.read(engine, loaded.project()),
        new ContainerSpecs.Origin(
            loaded.workingDirectory().toString(), loaded.configFiles(), loaded.environment()));
  }

  private static void run(DockerEngine engine, Plan plan) throws InterruptedException {
    Executor.Result r = Executor.run(plan, engine, Executor.Options.defaults(), e -> {});
    if (!r.succeeded()) {
      throw new IllegalStateException(
          r.failures().get(0).operation().describe() + ": " + r.failures().get(0).cause());
    }
  }
}
