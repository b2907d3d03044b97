/**
 * The machinery behind io.jstack.runtime.build, each piece following one part of BuildKit's
 * Dockerfile frontend: its line parser (DockerfileLexer, InstructionLine, LineParsers into
 * RawInstruction), instruction typing and flag checks (InstructionParser, Flags, CopyAdd,
 * Healthchecks, MountSpec, Units), its shell lexer for word splitting and substitution (ShellLexer,
 * Substitution), and the per-stage substitution rules (StageExpander). Docker's .dockerignore
 * pattern matcher is engine-client's (io.jstack.engine.docker.PatternMatcher).
 */
package io.jstack.runtime.build.internal;
