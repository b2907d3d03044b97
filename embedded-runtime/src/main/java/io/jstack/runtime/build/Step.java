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
 */
public record Step(Instruction instruction, Map<String, String> buildArgs, List<Mount> mounts) {
  public Step {
    buildArgs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
    mounts = List.copyOf(mounts);
  }
}
