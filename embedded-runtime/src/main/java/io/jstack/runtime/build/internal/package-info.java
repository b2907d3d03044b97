/**
 * The machinery behind io.jstack.runtime.build: BuildKit's line parser (DockerfileLexer,
 * InstructionLine, LineParsers), instruction typing and flag checks (InstructionParser, Flags,
 * MountSpec), its shell lexer for word splitting and substitution (ShellLexer, Substitution), the
 * per-stage substitution rules (StageExpander) and Docker's .dockerignore pattern matcher
 * (PatternMatcher).
 */
package io.jstack.runtime.build.internal;
