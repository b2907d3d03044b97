package io.jstack.runtime.engine;

/**
 * One lock per container for its lifecycle changes (start, stop, kill, removal, a restart by its
 * policy), striped over a fixed set of monitors so that no map of locks grows with containers.
 */
final class LifecycleLocks {
  private final Object[] stripes = new Object[64];

  LifecycleLocks() {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  /** Runs {@code change} while no other lifecycle change of container {@code id} runs. */
  void changing(String id, Runnable change) {
    synchronized (stripes[Math.floorMod(id.hashCode(), stripes.length)]) {
      change.run();
    }
  }
}
