package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/**
 * Removes a stopped container, with its anonymous volumes when {@code removeVolumes}. It removes by
 * force, as Compose's {@code down} does after its stop: one that runs again by then (its restart
 * policy started it between its stop and this step, or someone else did) is killed in the same
 * engine call, which no restart can come between.
 */
public record RemoveContainer(String name, boolean removeVolumes) implements Step {
  @Override
  public String verb() {
    return "remove container";
  }

  @Override
  public String target() {
    return name;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    Optional<ContainerInfo> c = engine.container(name);
    if (c.isEmpty()) {
      return Optional.of("already gone");
    }
    try {
      engine.removeContainer(c.get().id(), removeVolumes, true);
    } catch (EngineException.NotFound e) {
      return Optional.of("already gone");
    } catch (EngineException.Conflict e) {
      // As Compose: not a failure when it is gone, or on its way (one that removes itself).
      if (engine.container(c.get().id()).isPresent() && !e.removalInProgress()) {
        throw e;
      }
      return Optional.of("already gone");
    }
    return c.get().isRunning()
        ? Optional.of("killed first: it ran again after its stop")
        : Optional.empty();
  }
}
