package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.VolumeSpec;
import java.util.Optional;

/** Creates a project volume. */
public record CreateVolume(VolumeSpec spec) implements Step {
  @Override
  public String verb() {
    return "create volume";
  }

  @Override
  public String target() {
    return spec.name();
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    if (engine.volume(spec.name()).isPresent()) {
      return Optional.of("already exists");
    }
    try {
      engine.createVolume(spec);
    } catch (EngineException.Conflict e) {
      return Optional.of("created meanwhile");
    }
    return Optional.empty();
  }
}
