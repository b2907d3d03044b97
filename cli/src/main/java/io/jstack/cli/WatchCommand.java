package io.jstack.cli;

import io.jstack.cli.internal.Signals;
import io.jstack.cli.internal.watch.WatchRule;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack watch}: brings the services up, then applies their {@code develop.watch} rules to
 * every change of the host files they name until Ctrl-C (Docker Compose's {@code watch}).
 */
@Command(
    name = "watch",
    description =
        "Watch the services' develop.watch paths and sync, restart or rebuild them on change.",
    footer = {"", "Example:", "  jstack watch web"})
final class WatchCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services (default: all).")
  List<String> services = new ArrayList<>();

  @Option(names = "--no-up", description = "Do not build and start the services first.")
  boolean noUp;

  @Override
  public Integer call() throws Exception {
    LoadedProject loaded = load();
    requireServices(loaded, services);
    List<WatchRule> rules = rules(loaded, services);
    if (!noUp) {
      int code =
          ConvergeRun.run(
              this,
              loaded,
              new UpOptions(
                  services, false, false, false, false, false, Map.of(), null, false, null, false),
              new ConvergeRun.Settings(false, false, false, PlanFormat.Kind.TEXT, 0),
              e -> Jstack.EXIT_OK);
      if (code != Jstack.EXIT_OK) {
        return code;
      }
    }
    return watch(this, loaded, rules);
  }

  /**
   * The watch rules of {@code services}, or a one-line error when there are none or one is wrong.
   */
  static List<WatchRule> rules(LoadedProject loaded, List<String> services) {
    List<WatchRule> rules;
    try {
      rules = WatchRule.of(loaded.project(), services);
    } catch (IllegalArgumentException e) {
      throw new io.jstack.engine.EngineException(
          "watch: " + e.getMessage() + " (in " + loaded.project().name() + "'s compose files)");
    }
    if (rules.isEmpty()) {
      throw new io.jstack.engine.EngineException(
          "watch: "
              + (services.isEmpty() ? "no service" : "none of " + services)
              + " has develop.watch rules: add a develop: watch: section to a service");
    }
    return rules;
  }

  /** Watches until Ctrl-C, on an engine of its own. */
  static int watch(ProjectCommand command, LoadedProject loaded, List<WatchRule> rules)
      throws Exception {
    Engine engine = command.engine();
    Signals.Registration signals = command.root.caller().interrupts().exitOnInterrupt();
    try {
      new WatchLoop(command, loaded, engine, rules).run();
      return Jstack.EXIT_OK;
    } catch (InterruptedException stopped) {
      return 130;
    } finally {
      signals.close();
      ProjectCommand.close(engine);
    }
  }
}
