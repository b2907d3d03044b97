package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Removes an image ({@code down --rmi}). */
public record RemoveImage(String reference) implements Step {
  @Override
  public String verb() {
    return "remove image";
  }

  @Override
  public String target() {
    return reference;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    try {
      engine.removeImage(reference);
    } catch (EngineException.NotFound e) {
      return Optional.of("not present");
    }
    return Optional.empty();
  }
}
