package io.jstack.planner.step;

import io.jstack.engine.Engine;
import java.util.Optional;

/** Pulls an image; {@code always} pulls even when the image is present. */
public record PullImage(String reference, boolean always) implements Step {
  @Override
  public String verb() {
    return "pull image";
  }

  @Override
  public String target() {
    return reference;
  }

  @Override
  public Optional<String> run(Engine engine, StepContext context) {
    if (!always && engine.image(reference).isPresent()) {
      return Optional.of("already present");
    }
    engine.pullImage(reference, progress -> {});
    return Optional.empty();
  }
}
