package io.jstack.junit;

/** Which engine a stack runs on. */
public enum StackEngine {
  /**
   * {@code -Djstack.engine} or {@code JSTACK_ENGINE} ({@code docker} or {@code embedded}) when set,
   * else Docker when {@code DOCKER_HOST} is set, else jstack's embedded engine.
   */
  AUTO,
  /** jstack's embedded engine, started detached on demand as the CLI starts it. */
  EMBEDDED,
  /** Docker at {@code DOCKER_HOST}, else at {@code /var/run/docker.sock}. */
  DOCKER
}
