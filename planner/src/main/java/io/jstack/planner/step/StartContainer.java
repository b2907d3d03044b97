package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/** Starts a container. */
public record StartContainer(String name) implements Step {
  @Override
  public String verb() {
    return "start container";
  }

  @Override
  public String target() {
    return name;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    ContainerInfo c =
        engine
            .container(name)
            .orElseThrow(() -> new EngineException.NotFound("no container named " + name));
    if (c.state() == ContainerInfo.State.RUNNING) {
      return Optional.of("already running");
    }
    engine.startContainer(c.id());
    return Optional.empty();
  }
}
