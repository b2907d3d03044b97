package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.Optional;

/** Sends a signal to a running container ({@code SIGKILL} when none is named). */
public record KillContainer(String name, String signal) implements Step {
  @Override
  public String verb() {
    return "kill container";
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
    if (!c.get().isRunning()) {
      return Optional.of("not running");
    }
    engine.killContainer(c.get().id(), signal);
    return Optional.empty();
  }
}
