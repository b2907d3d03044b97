package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/**
 * Removes an anonymous volume a removed container had; one that another container still mounts
 * (through {@code volumes_from}) is left to it.
 */
public record RemoveAnonymousVolume(String name) implements Step {
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
      return new RemoveVolume(name).run(engine, context);
    } catch (EngineException.Conflict e) {
      return Optional.of("in use by another container");
    }
  }
}
