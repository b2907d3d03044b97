package io.jstack.planner.step;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.Optional;

/** Freezes ({@code pause}) or thaws ({@code !pause}) a container's processes. */
public record PauseContainer(String name, boolean pause) implements Step {
  @Override
  public String verb() {
    return pause ? "pause container" : "unpause container";
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
    ContainerInfo.State state = c.get().state();
    if (pause && state != ContainerInfo.State.RUNNING) {
      return Optional.of(state == ContainerInfo.State.PAUSED ? "already paused" : "not running");
    }
    if (!pause && state != ContainerInfo.State.PAUSED) {
      return Optional.of("not paused");
    }
    if (pause) {
      engine.pauseContainer(c.get().id());
    } else {
      engine.unpauseContainer(c.get().id());
    }
    return Optional.empty();
  }
}
