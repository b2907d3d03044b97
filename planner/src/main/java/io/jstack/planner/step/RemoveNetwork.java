package io.jstack.planner.step;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.util.Optional;

/**
 * Removes a project network. dockerd may still count an endpoint of a container it has just
 * removed, so "active endpoints" is retried a few times before it counts as a failure.
 */
public record RemoveNetwork(String name) implements Step {
  private static final int ATTEMPTS = 10;

  @Override
  public String verb() {
    return "remove network";
  }

  @Override
  public String target() {
    return name;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        engine.removeNetwork(name);
        return Optional.empty();
      } catch (EngineException.NotFound e) {
        return Optional.of("already gone");
      } catch (EngineException e) {
        if (attempt == ATTEMPTS || !String.valueOf(e.getMessage()).contains("active endpoints")) {
          throw e;
        }
        Thread.sleep(context.pollInterval().toMillis());
      }
    }
  }
}
