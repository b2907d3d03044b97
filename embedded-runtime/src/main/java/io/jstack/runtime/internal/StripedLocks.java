package io.jstack.runtime.internal;

/**
 * A lock per key (a container's id, a volume's path) without a map that grows with every key ever
 * seen: keys are striped over a fixed set of monitors, so two keys on one stripe only wait for each
 * other. The monitors are Java's: reentrant, released on any exit from their block.
 */
public final class StripedLocks {
  private final Object[] stripes;

  public StripedLocks(int count) {
    stripes = new Object[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Object();
    }
  }

  /** The monitor to hold while working on {@code key} (by its {@code hashCode}). */
  public Object of(Object key) {
    return stripes[Math.floorMod(key.hashCode(), stripes.length)];
  }
}
