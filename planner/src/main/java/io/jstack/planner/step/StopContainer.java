package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Stops a container: its stop signal, then SIGKILL after the grace period. */
public record StopContainer(String name, @Nullable String signal, Duration timeout)
    implements Step {
  @Override
  public String verb() {
    return "stop container";
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
    engine.stopContainer(c.get().id(), signal, timeout);
    return Optional.empty();
  }
}
