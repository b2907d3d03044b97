package io.jstack.planner.step;

import io.jstack.engine.Engine;
import java.util.Optional;

/**
 * One atomic operation of a plan. A step checks whether its work is already done and, if so, says
 * why it skipped instead of failing; it reports nothing itself (the executor publishes events
 * around it).
 */
public sealed interface Step
    permits CreateNetwork,
        RemoveNetwork,
        CreateVolume,
        RemoveVolume,
        RemoveAnonymousVolume,
        PullImage,
        RemoveImage,
        CreateContainer,
        StartContainer,
        StopContainer,
        KillContainer,
        PauseContainer,
        RemoveContainer,
        RenameContainer,
        AwaitService {

  /** What it does, e.g. {@code create container}. */
  String verb();

  /** What it acts on, e.g. {@code hello-web-1}. */
  String target();

  /**
   * Does the work.
   *
   * @return why the step had nothing to do, or empty when it did its work
   * @throws io.jstack.engine.EngineException when the engine refuses
   * @throws StepFailure when a condition it waits for cannot hold
   * @throws InterruptedException when the run is cancelled
   */
  Optional<String> run(Engine engine, StepContext context) throws InterruptedException;

  /** Whether the step calls the engine (and so counts against the parallelism bound). */
  default boolean usesEngine() {
    return true;
  }
}
