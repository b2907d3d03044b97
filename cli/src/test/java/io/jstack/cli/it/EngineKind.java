package io.jstack.cli.it;

import java.util.Locale;

/**
 * The engines jstack drives. A scenario that holds on both is one test parameterised by this
 * ({@code @ParameterizedTest @EnumSource(EngineKind.class)}) on an {@link EngineStack}.
 */
enum EngineKind {
  /** The host's dockerd, over its socket. */
  DOCKER,
  /** jstack's own engine, started by the CLI on a data root and socket of the test's own. */
  EMBEDDED;

  /** The value of jstack's {@code --engine} flag for this engine. */
  String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
