package io.jstack.runtime.internal;

import java.util.concurrent.ThreadFactory;

/** Daemon threads with names: the engine's helpers, which never keep the JVM alive. */
public final class Daemons {
  private Daemons() {}

  /** Makes daemon threads named {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts {@code work} on a daemon thread named {@code name}; join it to wait for it. */
  public static Thread start(String name, Runnable work) {
    Thread t = named(name).newThread(work);
    t.start();
    return t;
  }
}
