/**
 * Dockerfile builds. The reading part: a Dockerfile parsed as BuildKit's Dockerfile frontend reads
 * it (Dockerfile, Instruction), turned into stages with variables substituted and build arguments
 * scoped (BuildPlan), and the build context's .dockerignore (DockerIgnore); that part is pure
 * parsing. The running part: ImageBuilder runs a plan's needed stages on the embedded engine, one
 * StepExecution per step, each step's files committed as a layer of the image store.
 */
package io.jstack.runtime.build;
