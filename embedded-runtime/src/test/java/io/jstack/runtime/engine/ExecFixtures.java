package io.jstack.runtime.engine;

/** Exec instances as the engine makes them (its constructor is the engine's), for route tests. */
public final class ExecFixtures {
  private ExecFixtures() {}

  /** An exec instance made but not started. */
  public static Exec created(String id, String containerId, ExecRequest request) {
    return new Exec(id, containerId, request);
  }
}
