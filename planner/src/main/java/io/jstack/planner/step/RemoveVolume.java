package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Removes a project volume. */
public record RemoveVolume(String name) implements Step {
  @Override
  public String verb() {
    return "remove volume";
  }

  @Override
  public String target() {
    return name;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    try {
      engine.removeVolume(name);
    } catch (EngineException.NotFound e) {
      return Optional.of("already gone");
    }
    return Optional.empty();
  }
}
