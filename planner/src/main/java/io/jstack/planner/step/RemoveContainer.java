package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/**
 * Removes a stopped container, with its anonymous volumes when {@code removeVolumes}. One that runs
 * again by then (its restart policy started it between its stop and this step, or someone else did)
 * is killed first, as Compose's {@code down} removes by force after its stop.
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
      engine.removeContainer(c.get().id(), removeVolumes);
    } catch (EngineException.NotFound e) {
      return Optional.of("already gone");
    } catch (EngineException.Conflict running) {
      Optional<ContainerInfo> now = engine.container(name);
      if (now.isEmpty()) {
        return Optional.of("already gone");
      }
      if (!now.get().id().equals(c.get().id()) || !now.get().isRunning()) {
        throw running; // another container by now, or in the way for another reason
      }
      if (now.get().state() == ContainerInfo.State.PAUSED) {
        engine.unpauseContainer(now.get().id());
      }
      try {
        engine.killContainer(now.get().id(), "SIGKILL");
        engine.waitContainer(now.get().id());
      } catch (EngineException.Conflict notRunning) {
        // It ended again meanwhile (a restart pending): the kill found nothing to kill.
      }
      engine.removeContainer(now.get().id(), removeVolumes);
      return Optional.of("killed first: it ran again after its stop");
    }
    return Optional.empty();
  }
}
