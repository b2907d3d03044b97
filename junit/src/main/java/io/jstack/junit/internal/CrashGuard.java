package io.jstack.junit.internal;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.session.SessionGuard;
import io.jstack.runtime.Engines;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place a stack's start and close tell crash safety what to remove when this JVM dies:
 * {@link #watch} before the first container is created, {@link #release} once the stack is removed
 * or kept for reuse. Backed by one {@link SessionGuard} per engine for the whole JVM: the embedded
 * engine holds the session itself, dockerd gets a watchdog process; either removes the watched
 * stacks a few seconds after the JVM is gone, {@code kill -9} included.
 */
interface CrashGuard {
  /** The stack {@code project} is about to be created: remove it if this JVM dies. */
  void watch(String project);

  /** The stack {@code project} is removed, or kept on purpose (reuse): leave it alone. */
  void release(String project);

  /** No guard: for stacks this JVM does not own (reused, attached to the build's). */
  CrashGuard NONE =
      new CrashGuard() {
        @Override
        public void watch(String project) {}

        @Override
        public void release(String project) {}
      };

  /** This JVM's guard on the engine of {@code kind} in {@code env} (running already). */
  static CrashGuard on(Engines.Kind kind, Map<String, String> env) {
    EngineAddress address =
        kind == Engines.Kind.embedded
            ? new EngineAddress.Unix(Engines.embeddedSocket(env))
            : EngineAddress.fromEnvironment(env);
    SessionGuard session = Sessions.GUARDS.computeIfAbsent(address, SessionGuard::open);
    return new CrashGuard() {
      @Override
      public void watch(String project) {
        session.watch(project);
      }

      @Override
      public void release(String project) {
        session.release(project);
      }
    };
  }

  /** The JVM's session guards, one per engine, open until the JVM ends. */
  final class Sessions {
    static final Map<EngineAddress, SessionGuard> GUARDS = new ConcurrentHashMap<>();

    private Sessions() {}
  }
}
