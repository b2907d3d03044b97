package io.jstack.junit.internal;

import io.jstack.compose.ComposeException;
import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.junit.SharedStacks;
import io.jstack.junit.Stack;
import io.jstack.junit.StackException;
import io.jstack.junit.StackSpec;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.ImageBuilds;
import io.jstack.planner.PlanException;
import io.jstack.planner.Planner;
import io.jstack.planner.UpOptions;
import io.jstack.runtime.Engines;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Starts a {@link StackSpec}: load (profiles, env, overrides), free the host ports, name the
 * project, connect to the engine, then {@code up --wait} through the planner as {@code jstack up}
 * does, then the declared waits. A stack that fails to start is taken down again, reused or not.
 */
public final class StackStarter {
  private StackStarter() {}

  /**
   * See {@link StackSpec#start()}; {@code attachable}: the stack the build published for the same
   * model, if any, is attached instead ({@link SharedStacks#attachOrStart}).
   */
  public static Stack start(StackSpec spec, boolean attachable) {
    Map<String, String> env = environment(spec);
    boolean reuse = reuseAllowed(spec.reuse(), env);
    // The model's hash (the whole model loaded, and its JSON through Jackson: a few hundred ms in
    // a cold JVM) only when a stack may be reused or attached. The project is loaded under its own
    // name below: the loader derives the names of networks and volumes from the project's.
    @Nullable Project first =
        reuse || attachable && SharedStacks.offered() ? load(spec, env, null).project() : null;
    String model = first != null ? StackNames.modelKey(first) : "";
    java.util.Optional<java.util.Properties> shared =
        attachable && first != null ? SharedStacks.forModel(model) : java.util.Optional.empty();
    if (shared.isPresent()) {
      return attach(spec, env, shared.get());
    }
    Engines.Kind kind = EngineChoice.kind(spec.engine(), env);
    // The engine's connection and crash guard come while the model loads: in a test JVM's first
    // stack each costs about as much as the load (classes loaded, the engine asked).
    CompletableFuture<Engine> connecting =
        CompletableFuture.supplyAsync(() -> EngineChoice.open(kind, env));
    CompletableFuture<CrashGuard> guarding =
        reuse
            ? CompletableFuture.completedFuture(CrashGuard.NONE)
            : connecting.thenApply(e -> CrashGuard.on(kind, env));
    String base;
    String name;
    LoadedProject named;
    try {
      base =
          spec.projectName() != null
              ? spec.projectName()
              : first != null ? first.name() : projectName(spec, env);
      name = reuse ? StackNames.reused(base, model) : StackNames.unique(base);
      named = load(spec, env, name);
    } catch (RuntimeException e) {
      connecting.thenAccept(EngineChoice::close);
      throw e;
    }
    Engine engine = joined(connecting, kind, name);
    CrashGuard guard;
    try {
      guard = joined(guarding, kind, name);
    } catch (RuntimeException e) {
      EngineChoice.close(engine);
      throw e;
    }
    RunningStack stack = new RunningStack(engine, named, reuse, guard, spec.timeout());
    try {
      if (reuse) {
        removeOtherModels(stack, spec, env, base);
      }
      up(stack, reuse, kind, env);
      Waits.await(stack, spec.waits(), spec.timeout());
      return stack;
    } catch (RuntimeException e) {
      try {
        stack.down();
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      } finally {
        stack.disconnect();
      }
      throw e;
    }
  }

  /**
   * The stack the build published for this model ({@link SharedStacks}): attached, never started or
   * removed here.
   */
  private static Stack attach(
      StackSpec spec, Map<String, String> env, java.util.Properties shared) {
    String name = shared.getProperty("project");
    Engines.Kind kind;
    try {
      kind = Engines.Kind.valueOf(shared.getProperty("engine", ""));
    } catch (IllegalArgumentException e) {
      throw new StackException(
          "stack "
              + name
              + " published by the build names no engine (\""
              + shared.getProperty("engine")
              + "\"); run the build again",
          e);
    }
    RunningStack stack =
        new RunningStack(
            connect(kind, env, name), load(spec, env, name), true, CrashGuard.NONE, spec.timeout());
    if (stack.engine().containers(Map.of(ComposeLabels.PROJECT, name)).isEmpty()) {
      stack.disconnect();
      throw new StackException(
          "stack "
              + name
              + ", which the build started for its tests ("
              + SharedStacks.PROPERTY
              + "), has no container left; run the build again");
    }
    stack.markReused(true);
    try {
      Waits.await(stack, spec.waits(), spec.timeout());
    } catch (RuntimeException e) {
      stack.disconnect();
      throw e;
    }
    return stack;
  }

  private static Engine connect(Engines.Kind kind, Map<String, String> env, String name) {
    try {
      return EngineChoice.open(kind, env);
    } catch (EngineException e) {
      throw unreachable(kind, name, e);
    }
  }

  /** What {@code connecting} (started before the project's name was known) gave, or its failure. */
  private static <T> T joined(CompletableFuture<T> connecting, Engines.Kind kind, String name) {
    try {
      return connecting.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof EngineException ee) {
        throw unreachable(kind, name, ee);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new StackException("stack " + name + ": " + cause, cause);
    }
  }

  private static StackException unreachable(Engines.Kind kind, String name, EngineException e) {
    return new StackException(
        "stack " + name + ": cannot reach the " + kind + " engine: " + e.getMessage(), e);
  }

  /** The hash of {@code spec}'s resolved model, as {@link SharedStacks} and reuse key stacks. */
  public static String modelKey(StackSpec spec) {
    return StackNames.modelKey(load(spec, environment(spec), null).project());
  }

  /** The engine {@code spec} runs on here ({@code docker} or {@code embedded}). */
  public static String engineOf(StackSpec spec) {
    return EngineChoice.kind(spec.engine(), environment(spec)).name();
  }

  private static Map<String, String> environment(StackSpec spec) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(spec.env());
    return env;
  }

  /** Whether a stack may be kept for the next run: asked for, and not under {@code CI=true}. */
  public static boolean reuseAllowed(boolean asked, Map<String, String> env) {
    return asked && !"true".equalsIgnoreCase(env.getOrDefault("CI", "").strip());
  }

  /** The name Compose gives the stack's project, read without loading it. */
  private static String projectName(StackSpec spec, Map<String, String> env) {
    try {
      return ComposeLoader.projectName(options(spec, env, null));
    } catch (ComposeException e) {
      throw new StackException("cannot load the stack " + spec.files() + ": " + e.getMessage(), e);
    }
  }

  private static ProjectOptions options(
      StackSpec spec, Map<String, String> env, @Nullable String name) {
    return ProjectOptions.of(spec.files(), env, Path.of(System.getProperty("user.dir")))
        .withProfiles(spec.profiles())
        .withProjectName(name);
  }

  /** The stack's files loaded as project {@code name} (null: Compose's default), ports freed. */
  private static LoadedProject load(
      StackSpec spec, Map<String, String> env, @Nullable String name) {
    LoadedProject loaded;
    try {
      loaded = ComposeLoader.load(options(spec, env, name));
    } catch (ComposeException e) {
      throw new StackException("cannot load the stack " + spec.files() + ": " + e.getMessage(), e);
    }
    return new LoadedProject(
        freed(spec, loaded.project()),
        loaded.workingDirectory(),
        loaded.configFiles(),
        loaded.environment(),
        loaded.profiles(),
        loaded.disabledServices(),
        loaded.warnings());
  }

  private static Project freed(StackSpec spec, Project p) {
    return spec.freePorts() ? FreePorts.apply(p) : p;
  }

  /**
   * Brings the stack up as {@code jstack up --wait} does: builds the images it lacks, converges and
   * waits for every healthcheck. The crash guard watches the project before anything of it exists,
   * unless it is kept for reuse.
   */
  @SuppressWarnings("try") // The lock is used by holding it.
  private static void up(
      RunningStack stack, boolean reuse, Engines.Kind kind, Map<String, String> env) {
    // As the CLI's up: two JVMs reusing one stack plan one after the other, not from one reading.
    try (io.jstack.runtime.ProjectLock lock =
        io.jstack.runtime.ProjectLock.take(
            kind, env, stack.project(), "jstack junit extension", line -> {})) {
      converge(stack, reuse);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("stack " + stack.project() + ": interrupted before up", e);
    }
  }

  private static void converge(RunningStack stack, boolean reuse) {
    Engine engine = stack.engine();
    LoadedProject loaded = stack.loaded();
    Project project = loaded.project();
    stack.markReused(
        reuse && !engine.containers(Map.of(ComposeLabels.PROJECT, project.name())).isEmpty());
    // The one place a crash guard learns of a stack: before its first resource is created.
    if (!reuse) {
      stack.guard().watch(project.name());
    }
    try {
      List<Service> toBuild =
          ImageBuilds.needed(project, engine, project.services().keySet(), false);
      ImageBuilds.build(
          engine,
          project,
          toBuild,
          false,
          false,
          Map.of(),
          loaded.environment(),
          (service, line) -> {});
      stack.run(
          Planner.of(engine, loaded).up(UpOptions.defaults().withWait(true, stack.timeout())),
          "up");
    } catch (PlanException | EngineException e) {
      throw new StackException("stack " + project.name() + ": up failed: " + e.getMessage(), e);
    }
  }

  /** Takes down reused stacks of {@code base} whose model is not this one's (a changed file). */
  private static void removeOtherModels(
      RunningStack stack, StackSpec spec, Map<String, String> env, String base) {
    Set<String> stale = new TreeSet<>();
    for (ContainerInfo c : stack.engine().containers(Map.of())) {
      String p = c.label(ComposeLabels.PROJECT);
      if (p != null && !p.equals(stack.project()) && StackNames.isReuseOf(p, base)) {
        stale.add(p);
      }
    }
    for (String p : stale) {
      new RunningStack(stack.engine(), load(spec, env, p), false, CrashGuard.NONE, stack.timeout())
          .down();
    }
  }
}
