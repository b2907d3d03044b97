package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Gives a container its final name (the last part of a recreation). */
public record RenameContainer(String from, String to) implements Step {
  @Override
  public String verb() {
    return "rename container";
  }

  @Override
  public String target() {
    return from + " -> " + to;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    Optional<ContainerInfo> c = engine.container(from);
    if (c.isEmpty()) {
      if (engine.container(to).isPresent()) {
        return Optional.of("already renamed");
      }
      throw new EngineException.NotFound("no container named " + from);
    }
    engine.renameContainer(c.get().id(), to);
    return Optional.empty();
  }
}
