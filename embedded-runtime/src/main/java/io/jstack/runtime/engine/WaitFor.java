package io.jstack.runtime.engine;

/** What {@link EmbeddedEngine#await} waits for, as Docker's wait conditions name it. */
public enum WaitFor {
  /** Returns at once unless it runs, else when it exits. */
  NOT_RUNNING,
  /** The end of its next (or current) run. */
  NEXT_EXIT,
  /** Its removal (after it exits). */
  REMOVED;

  /** The condition named {@code not-running}, {@code next-exit} or {@code removed}. */
  public static WaitFor of(String name) {
    return switch (name) {
      case "not-running" -> NOT_RUNNING;
      case "next-exit" -> NEXT_EXIT;
      case "removed" -> REMOVED;
      default ->
          throw new IllegalArgumentException(
              "wait condition must be not-running, next-exit or removed, not " + name);
    };
  }
}
