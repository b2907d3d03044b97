package io.jstack.planner.step;

import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import java.util.Optional;

/** Creates a container (not started). */
public record CreateContainer(ContainerSpec spec) implements Step {
  @Override
  public String verb() {
    return "create container";
  }

  @Override
  public String target() {
    return spec.name();
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    if (engine.container(spec.name()).isPresent()) {
      return Optional.of("already exists");
    }
    engine.createContainer(spec);
    return Optional.empty();
  }
}
