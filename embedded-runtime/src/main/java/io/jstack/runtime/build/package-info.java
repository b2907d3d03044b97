/**
 * Dockerfile builds, the reading part: a Dockerfile parsed as BuildKit's Dockerfile frontend reads
 * it (Dockerfile, Instruction), turned into stages with variables substituted and build arguments
 * scoped (BuildPlan), and the build context's .dockerignore (DockerIgnore). Nothing here runs a
 * build; it is pure parsing.
 */
package io.jstack.runtime.build;
