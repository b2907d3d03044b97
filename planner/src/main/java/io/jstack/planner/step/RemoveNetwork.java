package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Removes a project network. */
public record RemoveNetwork(String name) implements Step {
  @Override
  public String verb() {
    return "remove network";
  }

  @Override
  public String target() {
    return name;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    try {
      engine.removeNetwork(name);
    } catch (EngineException.NotFound e) {
      return Optional.of("already gone");
    }
    return Optional.empty();
  }
}
