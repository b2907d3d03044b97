/**
 * Dockerfile builds. The reading part: a Dockerfile parsed as BuildKit's Dockerfile frontend reads
 * it (Dockerfile, Instruction), turned into stages with variables substituted and build arguments
 * scoped (BuildPlan); that part is pure parsing. The build context's .dockerignore is read with
 * engine-client's io.jstack.engine.docker.DockerIgnore. The running part: ImageBuilder runs a
 * plan's needed stages on the embedded engine, one StepExecution per step, each step's files
 * committed as a layer of the image store.
 */
package io.jstack.runtime.build;
