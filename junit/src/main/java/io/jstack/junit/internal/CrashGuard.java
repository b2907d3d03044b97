package io.jstack.junit.internal;

/**
 * The one place a stack's start and close tell crash safety what to remove when this JVM dies
 * ({@code io.jstack.engine.session.SessionGuard}, being written in engine-client): {@link #watch}
 * before the first container is created, {@link #release} once the stack is removed or kept for
 * reuse. Until that guard is merged, stacks are removed by {@code close()} and the extension's
 * store only, not after {@code kill -9}.
 */
interface CrashGuard {
  /** The stack {@code project} is about to be created: remove it if this JVM dies. */
  void watch(String project);

  /** The stack {@code project} is removed, or kept on purpose (reuse): leave it alone. */
  void release(String project);

  /** No guard: what runs until SessionGuard is merged. */
  CrashGuard NONE =
      new CrashGuard() {
        @Override
        public void watch(String project) {}

        @Override
        public void release(String project) {}
      };
}
