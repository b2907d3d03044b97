package io.jstack.runtime.engine;

import io.jstack.runtime.internal.StripedLocks;

/**
 * One lock per container for its lifecycle changes (start, stop, kill, removal, a restart by its
 * policy, the end of a run whose conmon was killed), striped so that no map of locks grows with
 * containers.
 */
final class LifecycleLocks {
  private final StripedLocks locks = new StripedLocks(64);

  /** Runs {@code change} while no other lifecycle change of container {@code id} runs. */
  void changing(String id, Runnable change) {
    synchronized (locks.of(id)) {
      change.run();
    }
  }
}
