package io.jstack.cli;

import io.jstack.cli.internal.ProgressView;
import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.Executor;
import io.jstack.planner.ImageBuilds;
import io.jstack.planner.Plan;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.ServiceGraph;
import io.jstack.planner.UpOptions;
import io.jstack.runtime.ProjectLock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ParameterException;

/**
 * What {@code up}, {@code create} and {@code scale} share: under the project's lock, build the
 * images that are missing (or all, with {@code --build}), plan the convergence and run it, with
 * Ctrl-C stopping the scheduling.
 */
final class ConvergeRun {
  private ConvergeRun() {}

  /**
   * How a convergence runs.
   *
   * @param build {@code --build}: build every image that has a build section
   * @param noBuild {@code --no-build}: build nothing, even what is missing
   * @param dryRun print the plan in {@code format} and change nothing
   * @param parallel at most this many engine operations at once (0: the executor's default)
   */
  record Settings(
      boolean build, boolean noBuild, boolean dryRun, PlanFormat.Kind format, int parallel) {}

  /** What a command does once its convergence ran, with the engine still open and no lock held. */
  interface Then {
    int run(Engine engine) throws Exception;
  }

  /**
   * Converges {@code loaded} with {@code options} on the engine {@code command}'s flags select,
   * then, when that succeeded and was no dry run, does {@code then}.
   *
   * @return the exit code: the convergence's when it failed, else {@code then}'s
   */
  @SuppressWarnings("try") // The lock is used by holding it.
  static int run(
      ProjectCommand command, LoadedProject loaded, UpOptions options, Settings settings, Then then)
      throws Exception {
    // Taken before the engine is opened, so that two of these also start the embedded engine one
    // after the other; held while images are built (the second finds them) and the plan runs, not
    // while the logs are followed.
    ProjectLock lock = settings.dryRun() ? null : command.lock(loaded);
    Engine engine;
    try {
      engine = command.engine();
    } catch (RuntimeException | Error e) {
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
    try {
      try {
        int code = converge(command, loaded, engine, options, settings);
        if (code != Jstack.EXIT_OK || settings.dryRun()) {
          return code;
        }
      } finally {
        if (lock != null) {
          lock.close();
        }
      }
      return then.run(engine);
    } finally {
      ProjectCommand.close(engine);
    }
  }

  /**
   * Converges {@code loaded} with {@code options} on {@code engine}, which the caller opened and
   * keeps open (watch's rebuild, beside its sync), under the project's lock.
   *
   * @return the convergence's exit code
   */
  @SuppressWarnings("try") // The lock is used by holding it.
  static int runOn(
      ProjectCommand command,
      Engine engine,
      LoadedProject loaded,
      UpOptions options,
      Settings settings)
      throws InterruptedException {
    try (ProjectLock lock = settings.dryRun() ? null : command.lock(loaded)) {
      return converge(command, loaded, engine, options, settings);
    }
  }

  private static int converge(
      ProjectCommand command,
      LoadedProject loaded,
      Engine engine,
      UpOptions options,
      Settings settings)
      throws InterruptedException {
    if (!settings.dryRun() && !settings.noBuild()) {
      Set<String> selected =
          options.services().isEmpty()
              ? loaded.project().services().keySet()
              : options.noDeps()
                  ? new java.util.LinkedHashSet<>(options.services())
                  : ServiceGraph.of(loaded.project()).withDependencies(options.services());
      var toBuild = ImageBuilds.needed(loaded.project(), engine, selected, settings.build());
      BuildCommand.build(engine, loaded, toBuild, false, false, Map.of(), false, command.out());
    }
    Plan plan = ProjectCommand.planner(engine, loaded).up(options);
    plan.warnings().forEach(w -> command.err().println("jstack: warning: " + w));
    if (settings.dryRun()) {
      command.printPlan(plan, settings.format());
      return Jstack.EXIT_OK;
    }
    if (plan.isEmpty()) {
      command.out().println("nothing to do");
      return Jstack.EXIT_OK;
    }
    return execute(command, engine, plan, options, settings.parallel());
  }

  /** Runs the plan with progress lines; Ctrl-C stops scheduling, a second one exits at once. */
  private static int execute(
      ProjectCommand command, Engine engine, Plan plan, UpOptions options, int parallel)
      throws InterruptedException {
    Executor.Options exec =
        new Executor.Options(parallel, Duration.ofMillis(200), options.waitTimeout());
    ProgressView view = command.progressView();
    Executor.Run run = Executor.start(plan, engine, exec, view);
    Executor.Result result;
    Signals.Registration signals =
        command
            .root
            .caller()
            .interrupts()
            .stopOnInterrupt(
                () -> {
                  command
                      .err()
                      .println(
                          "jstack: stopping after the running operations (Ctrl-C again to quit now)");
                  command.err().flush();
                  run.cancel();
                });
    try {
      result = run.await();
    } finally {
      signals.close();
      view.close();
    }
    if (result.cancelled()) {
      command
          .err()
          .println("jstack: cancelled; " + result.notRun().size() + " operations did not run");
      return 130;
    }
    if (!result.succeeded()) {
      command.err().println("jstack: " + result.firstFailure());
      return Jstack.EXIT_FAILURE;
    }
    return Jstack.EXIT_OK;
  }

  /**
   * {@code SERVICE=NUM} pairs as replicas per service, or a usage error naming {@code flag} and the
   * pair that is not one.
   */
  static Map<String, Integer> scales(ProjectCommand command, String flag, List<String> pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String s : pairs) {
      int eq = s.indexOf('=');
      try {
        int n = Integer.parseInt(s.substring(eq + 1));
        if (eq <= 0 || n < 0) {
          throw new IllegalArgumentException(s);
        }
        m.put(s.substring(0, eq), n);
      } catch (RuntimeException e) {
        throw new ParameterException(
            command.spec.commandLine(), flag + " takes SERVICE=NUM (NUM ≥ 0), not " + s);
      }
    }
    return m;
  }

  /** Refuses {@code --pull} values other than Compose's. */
  static void checkPull(ProjectCommand command, @org.jspecify.annotations.Nullable String pull) {
    if (pull != null && !List.of("always", "missing", "never").contains(pull)) {
      throw new ParameterException(
          command.spec.commandLine(), "--pull takes always, missing or never, not " + pull);
    }
  }

  /** Refuses {@code --force-recreate} with {@code --no-recreate}. */
  static void checkRecreate(ProjectCommand command, boolean force, boolean no) {
    if (force && no) {
      throw new ParameterException(
          command.spec.commandLine(), "--force-recreate and --no-recreate cannot be combined");
    }
  }
}
