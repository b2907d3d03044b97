package io.jstack.runtime.engine;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A container's record with its live state, as conmon's records tell it when it was read.
 *
 * @param exitCode the exit code of its last run, when {@link Status#exited}; else 0
 * @param finishedAt when its last run ended, when {@link Status#exited} and known; else null
 * @param error why the engine ended its last run itself (its conmon was killed), Docker's {@code
 *     State.Error}; else empty
 */
public record Container(
    ContainerRecord record,
    Container.Status status,
    int exitCode,
    @Nullable Instant finishedAt,
    String error) {

  /** A container whose last run, if it ended, ended on its own. */
  public Container(
      ContainerRecord record, Container.Status status, int exitCode, @Nullable Instant finishedAt) {
    this(record, status, exitCode, finishedAt, "");
  }

  /** A container's state, as Docker names it. */
  public enum Status {
    created,
    running,
    paused,
    exited
  }

  /** Running or paused: its process exists. */
  public boolean alive() {
    return status == Status.running || status == Status.paused;
  }
}
