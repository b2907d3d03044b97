package io.jstack.cli;

import io.jstack.cli.internal.LogPrinter;
import io.jstack.cli.internal.ProgressView;
import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.Executor;
import io.jstack.planner.Plan;
import io.jstack.planner.PlanFormat;
import io.jstack.planner.UpOptions;
import io.jstack.runtime.ProjectLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack up}: converge the project to its compose files, then follow its logs or return. */
@Command(
    name = "up",
    description = "Create and start containers.",
    footer = {
      "",
      "Examples:",
      "  jstack up -d                 # in the background",
      "  jstack up -d --wait          # and wait until everything is running or healthy",
      "  jstack up --dry-run          # print the plan, change nothing",
      "  jstack up --dry-run --format dot | dot -Tpng -o plan.png  # draw it",
      "  jstack up -d --scale web=3 web"
    })
final class UpCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services (and their dependencies).")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-d", "--detach"},
      description = "Run in the background and return.")
  boolean detach;

  @Option(
      names = "--wait",
      description = "Wait until services are running or healthy (implies -d).")
  boolean waitReady;

  @Option(
      names = "--wait-timeout",
      paramLabel = "SECONDS",
      description = "How long --wait may wait.")
  @Nullable Integer waitTimeout;

  @Option(
      names = {"-V", "--renew-anon-volumes"},
      description =
          "Give recreated containers fresh anonymous volumes instead of the old containers' data.")
  boolean renewAnonVolumes;

  @Mixin ConvergeOptions converge = new ConvergeOptions();

  @Option(names = "--no-deps", description = "Do not start the services they depend on.")
  boolean noDeps;

  @Option(names = "--no-start", description = "Create, but do not start.")
  boolean noStart;

  @Option(
      names = "--push",
      description =
          "With --engine swarm and --build: build on the manager, push each built image to the registry its name gives, and run it by the pushed digest.")
  boolean push;

  @Option(
      names = "--format",
      paramLabel = "text|json|dot|mermaid",
      description =
          "With --dry-run: the plan's format (default: text); dot (Graphviz) and mermaid draw its"
              + " DAG, each operation with its reason.")
  String format = "text";

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      description = "Stop timeout when shutting down after Ctrl-C.")
  @Nullable Integer timeout;

  @Option(
      names = "--abort-on-container-exit",
      description = "Stop everything when any container stops.")
  boolean abortOnContainerExit;

  @Option(
      names = "--abort-on-container-failure",
      description = "Stop everything when a container exits non-zero.")
  boolean abortOnContainerFailure;

  @Option(
      names = "--exit-code-from",
      paramLabel = "SERVICE",
      description = "Return this service's exit code (implies --abort-on-container-exit).")
  @Nullable String exitCodeFrom;

  @Option(
      names = "--attach",
      paramLabel = "SERVICE",
      description = "Show only these services' output; repeatable.")
  List<String> attach = new ArrayList<>();

  @Option(
      names = "--no-attach",
      paramLabel = "SERVICE",
      description = "Do not show this service's output; repeatable.")
  List<String> noAttach = new ArrayList<>();

  @Option(names = "--timestamps", description = "Show timestamps in the output.")
  boolean timestamps;

  @Option(
      names = {"-w", "--watch"},
      description =
          "Watch the services' develop.watch paths while following the logs: sync, restart or"
              + " rebuild on change.")
  boolean watch;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "At most N engine operations at once.")
  int parallel;

  @Override
  @SuppressWarnings("try") // The lock is used by holding it.
  public Integer call() throws Exception {
    PlanFormat.Kind planFormat = planFormat(format);
    UpOptions options =
        new UpOptions(
            services,
            converge.forceRecreate,
            converge.noRecreate,
            noDeps,
            noStart,
            converge.removeOrphans,
            converge.scales(this),
            converge.pull,
            waitReady,
            waitTimeout == null ? null : Duration.ofSeconds(waitTimeout),
            renewAnonVolumes);
    LoadedProject loaded = load();
    if (push && !(root.swarm() && converge.build)) {
      throw new ParameterException(
          spec.commandLine(),
          "--push goes with --engine swarm --build: on one engine, up runs what it builds where"
              + " it is; push with jstack push");
    }
    if (root.swarm()) {
      if (converge.dryRun && planFormat != PlanFormat.Kind.TEXT) {
        throw new ParameterException(
            spec.commandLine(),
            "with --engine swarm, up --dry-run prints the stack's plan as text only; drop --format "
                + format);
      }
      if (converge.build != push
          || !services.isEmpty()
          || !converge.scale.isEmpty()
          || noDeps
          || noStart) {
        throw new ParameterException(
            spec.commandLine(),
            "with --engine swarm, up takes the whole stack: no services, --scale, --no-deps or"
                + " --no-start, and --build only with --push (the nodes pull what is built from"
                + " its registry)");
      }
      try (ProjectLock lock = converge.dryRun ? null : lock(loaded)) {
        return SwarmCommands.up(
            root,
            loaded,
            out(),
            err(),
            converge.dryRun,
            converge.build && push,
            converge.removeOrphans,
            waitReady,
            waitTimeout == null ? Duration.ofSeconds(120) : Duration.ofSeconds(waitTimeout));
      }
    }
    requireServices(loaded, services);
    if (watch && (detach || waitReady || noStart || converge.dryRun)) {
      throw new ParameterException(
          spec.commandLine(),
          "--watch follows the stack: it cannot be combined with -d, --wait, --no-start or"
              + " --dry-run");
    }
    List<io.jstack.cli.internal.watch.WatchRule> rules =
        watch ? WatchCommand.rules(loaded, services) : List.of();
    Instant began = Instant.now();
    return ConvergeRun.run(
        this,
        loaded,
        options,
        converge.settings(planFormat, parallel),
        engine -> {
          if (detach || waitReady || noStart) {
            return Jstack.EXIT_OK;
          }
          Thread watcher = watch ? watchInBackground(loaded, rules) : null;
          try {
            return attach(engine, loaded, began);
          } finally {
            if (watcher != null) {
              watcher.interrupt();
            }
          }
        });
  }

  /**
   * Runs the watch rules in a thread of their own, on an engine of their own, until interrupted.
   */
  private Thread watchInBackground(
      LoadedProject loaded, List<io.jstack.cli.internal.watch.WatchRule> rules) {
    Thread t =
        new Thread(
            () -> {
              Engine own = engine();
              try {
                new WatchLoop(this, loaded, own, rules).run();
              } catch (InterruptedException | java.nio.channels.ClosedByInterruptException done) {
                // up is done.
              } catch (Exception e) {
                err().println("jstack: watch stopped: " + e.getMessage());
                err().flush();
              } finally {
                close(own);
              }
            },
            "jstack-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Follows the logs of the project's containers until they stop or Ctrl-C stops them. */
  @SuppressWarnings("try") // The lock is used by holding it.
  private int attach(Engine engine, LoadedProject loaded, Instant since) throws Exception {
    List<ContainerInfo> containers = new ArrayList<>();
    for (ContainerInfo c :
        engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
      String service = c.label(ComposeLabels.SERVICE);
      boolean selected = services.isEmpty() || services.contains(service);
      boolean shown = (attach.isEmpty() || attach.contains(service)) && !noAttach.contains(service);
      // A container that already exited was started by this up too (a one-shot command can end
      // before attaching begins): its logs and exit code are shown as well.
      boolean started = c.isRunning() || c.state() == ContainerInfo.State.EXITED;
      if (selected && shown && started && !"True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))) {
        containers.add(c);
      }
    }
    AtomicBoolean stopping = new AtomicBoolean();
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runnable stopStack =
        () -> {
          if (!stopping.compareAndSet(false, true)) {
            return;
          }
          try (ProjectLock held = lock(loaded)) {
            Plan stop =
                planner(engine, loaded)
                    .stop(services, timeout == null ? null : Duration.ofSeconds(timeout));
            try (ProgressView v = progressView()) {
              Executor.run(stop, engine, Executor.Options.defaults(), v);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            stopped.countDown();
          }
        };
    boolean abortOnExit = abortOnContainerExit || exitCodeFrom != null;
    java.util.concurrent.atomic.AtomicReference<String> aborted =
        new java.util.concurrent.atomic.AtomicReference<>();
    LogPrinter printer = LogPrinter.forTerminal(out(), root.ansi(), false, false, timestamps);
    Signals.Registration signals =
        root.caller()
            .interrupts()
            .stopOnInterrupt(
                () -> {
                  err().println("Gracefully stopping... (press Ctrl+C again to force)");
                  err().flush();
                  stopStack.run();
                });
    try {
      printer.follow(
          engine,
          containers,
          since.getEpochSecond() + "",
          null,
          null,
          ended -> {
            if (stopping.get()) {
              return;
            }
            int code = engine.container(ended.id()).map(ContainerInfo::exitCode).orElse(0);
            out()
                .println(
                    io.jstack.cli.internal.LogPrinter.shortName(ended)
                        + " exited with code "
                        + code);
            out().flush();
            if (abortOnExit || abortOnContainerFailure && code != 0) {
              aborted.compareAndSet(null, ended.name());
              out().println("Aborting on container exit...");
              out().flush();
              // In this follower's thread, so that following ends only once the stack stopped.
              stopStack.run();
            }
          });
    } finally {
      signals.close();
    }
    if (stopping.get()) {
      // The logs end as containers stop; let the stop finish reporting before returning.
      stopped.await();
      if (aborted.get() == null) {
        return 130;
      }
    }
    if (exitCodeFrom != null) {
      for (ContainerInfo c :
          engine.containers(
              Map.of(
                  ComposeLabels.PROJECT,
                  loaded.project().name(),
                  ComposeLabels.SERVICE,
                  exitCodeFrom))) {
        return c.exitCode();
      }
    }
    return Jstack.EXIT_OK;
  }
}
