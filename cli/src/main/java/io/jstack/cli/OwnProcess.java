package io.jstack.cli;

import org.jspecify.annotations.Nullable;

/**
 * A command that, as given, must run in the {@code jstack} process its user started, not in the
 * engine for a thin client ({@link ResidentCli}): it reads that process's standard input, takes its
 * terminal over, or starts or stops the engine.
 */
interface OwnProcess {
  /** Why this command, with its options as parsed, needs its own process; null when it does not. */
  @Nullable String whyOwnProcess();
}
