package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.Plan;
import io.jstack.planner.Planner;
import io.jstack.runtime.ProjectLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The verbs that change the state of existing containers: start, stop, restart, kill, pause,
 * unpause; like down, also of a project named without compose files ({@code -p NAME}).
 */
final class LifecycleCommands {
  private LifecycleCommands() {}

  /** One verb: which plan it makes, given the planner and its services. */
  abstract static class Verb extends ProjectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE", description = "Only these services (default: all).")
    List<String> services = new ArrayList<>();

    abstract Plan plan(Planner planner);

    /** A second plan to run after the first on a fresh reading of the engine, or null. */
    @Nullable Plan then(Planner planner) {
      return null;
    }

    @Override
    @SuppressWarnings("try") // The lock is used by holding it.
    public Integer call() throws InterruptedException {
      LoadedProject loaded = loadOrNamed();
      requireServices(loaded, services);
      try (ProjectLock lock = lock(loaded)) {
        Engine engine = engine();
        try {
          int code = runPlan(engine, plan(planner(engine, loaded)), 0);
          if (code != Jstack.EXIT_OK) {
            return code;
          }
          Plan next = then(planner(engine, loaded));
          return next == null ? code : runPlan(engine, next, 0);
        } finally {
          close(engine);
        }
      }
    }
  }

  @Command(name = "start", description = "Start existing containers.")
  static final class Start extends Verb {
    @Override
    Plan plan(Planner planner) {
      return planner.start(services);
    }
  }

  @Command(name = "stop", description = "Stop running containers without removing them.")
  static final class Stop extends Verb {
    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "SECONDS",
        description = "Stop timeout, over stop_grace_period.")
    @Nullable Integer timeout;

    @Override
    Plan plan(Planner planner) {
      return planner.stop(services, timeout == null ? null : Duration.ofSeconds(timeout));
    }
  }

  @Command(name = "restart", description = "Restart containers.")
  static final class Restart extends Verb {
    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "SECONDS",
        description = "Stop timeout, over stop_grace_period.")
    @Nullable Integer timeout;

    @Override
    Plan plan(Planner planner) {
      return planner.stop(services, timeout == null ? null : Duration.ofSeconds(timeout));
    }

    @Override
    @Nullable Plan then(Planner planner) {
      return planner.start(services);
    }
  }

  @Command(name = "kill", description = "Send a signal to running containers (SIGKILL by default).")
  static final class Kill extends Verb {
    @Option(
        names = {"-s", "--signal"},
        paramLabel = "SIGNAL",
        description = "The signal (default: SIGKILL).")
    String signal = "SIGKILL";

    @Override
    Plan plan(Planner planner) {
      return planner.kill(services, signal);
    }
  }

  @Command(name = "pause", description = "Pause running containers.")
  static final class Pause extends Verb {
    @Override
    Plan plan(Planner planner) {
      return planner.pause(services, true);
    }
  }

  @Command(name = "unpause", description = "Unpause paused containers.")
  static final class Unpause extends Verb {
    @Override
    Plan plan(Planner planner) {
      return planner.pause(services, false);
    }
  }
}
