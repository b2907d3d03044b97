package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.List;
import java.util.Optional;

/**
 * Waits until every container of a service meets a condition: a {@code depends_on} condition before
 * a dependent starts, or {@link Condition#RUNNING_OR_HEALTHY} for {@code up --wait}. A condition
 * that can no longer hold (the container exited, or turned unhealthy) fails at once.
 */
public record AwaitService(String service, Condition condition, List<String> containers)
    implements Step {

  public AwaitService {
    containers = List.copyOf(containers);
  }

  /** What to wait for. */
  public enum Condition {
    /** {@code service_started}: started (running, or already finished). */
    STARTED("service_started"),
    /** {@code service_healthy}: its healthcheck passes. */
    HEALTHY("service_healthy"),
    /** {@code service_completed_successfully}: exited with code 0. */
    COMPLETED("service_completed_successfully"),
    /** {@code up --wait}: healthy when it has a healthcheck, running otherwise. */
    RUNNING_OR_HEALTHY("running or healthy");

    private final String composeName;

    Condition(String composeName) {
      this.composeName = composeName;
    }

    public String composeName() {
      return composeName;
    }

    /** The condition a {@code depends_on} entry names. */
    public static Condition of(String composeName) {
      for (Condition c : values()) {
        if (c.composeName.equals(composeName)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown depends_on condition " + composeName);
    }
  }

  @Override
  public String verb() {
    return "wait for";
  }

  @Override
  public String target() {
    return service + " (" + condition.composeName() + ")";
  }

  @Override
  public boolean usesEngine() {
    return false;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) throws InterruptedException {
    for (String name : containers) {
      while (!met(engine, name)) {
        if (System.nanoTime() > context.deadlineNanos()) {
          throw new StepFailure(
              "timed out waiting for " + name + " to be " + condition.composeName());
        }
        Thread.sleep(
            context.pollInterval().toMillis(), context.pollInterval().toNanosPart() % 1_000_000);
      }
    }
    return Optional.empty();
  }

  private boolean met(Engine engine, String name) {
    ContainerInfo c =
        engine
            .container(name)
            .orElseThrow(
                () -> new StepFailure("dependency failed: container " + name + " is gone"));
    boolean exited =
        c.state() == ContainerInfo.State.EXITED || c.state() == ContainerInfo.State.DEAD;
    return switch (condition) {
      case STARTED -> c.state() != ContainerInfo.State.CREATED;
      case COMPLETED -> {
        if (exited && c.exitCode() != 0) {
          throw new StepFailure(
              "service \""
                  + service
                  + "\" didn't complete successfully: container "
                  + name
                  + " exited with code "
                  + c.exitCode());
        }
        yield exited;
      }
      case HEALTHY -> healthy(c, name, exited, false);
      case RUNNING_OR_HEALTHY -> healthy(c, name, exited, true);
    };
  }

  private boolean healthy(ContainerInfo c, String name, boolean exited, boolean runningWillDo) {
    if (exited) {
      throw new StepFailure(
          "container "
              + name
              + " of service \""
              + service
              + "\" exited with code "
              + c.exitCode()
              + " instead of becoming "
              + (runningWillDo ? "ready" : "healthy")
              + ": see jstack logs "
              + service);
    }
    return switch (c.health()) {
      case HEALTHY -> true;
      case UNHEALTHY ->
          throw new StepFailure(
              "container "
                  + name
                  + " of service \""
                  + service
                  + "\" is unhealthy: see jstack logs "
                  + service
                  + " and its healthcheck");
      case STARTING -> false;
      case NONE -> {
        if (runningWillDo) {
          yield c.state() == ContainerInfo.State.RUNNING;
        }
        throw new StepFailure(
            "service \""
                + service
                + "\" has no healthcheck, so it can never be service_healthy:"
                + " add a healthcheck or use condition: service_started");
      }
    };
  }
}
