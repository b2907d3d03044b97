package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.NetworkSpec;
import java.util.Optional;

/** Creates a project network. */
public record CreateNetwork(NetworkSpec spec) implements Step {
  @Override
  public String verb() {
    return "create network";
  }

  @Override
  public String target() {
    return spec.name();
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    if (engine.network(spec.name()).isPresent()) {
      return Optional.of("already exists");
    }
    try {
      engine.createNetwork(spec);
    } catch (EngineException.Conflict e) {
      return Optional.of("created meanwhile");
    }
    return Optional.empty();
  }
}
