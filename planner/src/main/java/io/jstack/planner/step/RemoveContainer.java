package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Removes a stopped container, with its anonymous volumes when {@code removeVolumes}. */
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
    }
    return Optional.empty();
  }
}
