package io.jstack.runtime.build;

import java.util.List;
import java.util.Map;

/**
 * One instruction of a stage as the build will run it.
 *
 * @param instruction the instruction with variables substituted where BuildKit's frontend does
 * @param buildArgs the build arguments (ARG names in scope) the step depends on, with their values,
 *     in declaration order: the ones its substitution read, and for RUN every ARG in scope, since
 *     RUN gets them all as environment variables. This is what a cache key must include.
 * @param mounts RUN's {@code --mount}s parsed after substitution; empty for other instructions
 * @param trigger the base image's ONBUILD trigger this step runs, as the image records it; empty
 *     for a step the Dockerfile wrote
 */
public record Step(
    Instruction instruction, Map<String, String> buildArgs, List<Mount> mounts, String trigger) {
  public Step {
    buildArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
    mounts = List.copyOf(mounts);
  }

  /** A step the Dockerfile wrote. */
  public Step(Instruction instruction, Map<String, String> buildArgs, List<Mount> mounts) {
    this(instruction, buildArgs, mounts, "");
  }

  /** The same step, run for ONBUILD trigger {@code text} of the base image. */
  public Step triggeredBy(String text) {
    return new Step(instruction, buildArgs, mounts, text);
  }
}
