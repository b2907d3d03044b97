package io.jstack.runtime.build;

import java.util.List;
import java.util.Map;

/**
 * One build stage: a FROM and the instructions up to the next FROM.
 *
 * @param index the stage's position, from 0; COPY --from=0 refers to it
 * @param name the lower-cased name after AS, empty when it has none
 * @param base what the stage starts from
 * @param platform the substituted FROM --platform, empty when not given (the target platform)
 * @param fromArgs the global build arguments its FROM line read, with their values
 * @param steps the instructions after FROM, substituted
 * @param line the line of its FROM
 */
public record Stage(
    int index,
    String name,
    Base base,
    String platform,
    Map<String, String> fromArgs,
    List<Step> steps,
    int line) {
  public Stage {
    fromArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fromArgs));
    steps = List.copyOf(steps);
  }

  /** What a stage starts from, or what COPY --from and RUN --mount from= name. */
  public sealed interface Base {
    /** An image reference, e.g. {@code alpine:3.20}. */
    record Image(String reference) implements Base {}

    /** The empty image {@code scratch}. */
    record Scratch() implements Base {}

    /** An earlier stage, by index. */
    record StageRef(int index) implements Base {}
  }
}
