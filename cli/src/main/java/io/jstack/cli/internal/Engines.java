package io.jstack.cli.internal;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.docker.DockerEngine;
import java.util.Map;

/**
 * Which engine a command talks to: {@code --engine}, else {@code DOCKER_HOST}, else Docker's
 * socket.
 */
public final class Engines {
  private Engines() {}

  /** The engines {@code --engine} names. */
  public enum Kind {
    docker,
    embedded
  }

  /**
   * Connects to the engine {@code kind} names (null: the default).
   *
   * @throws EngineException when it cannot be reached, saying how to start it
   */
  public static Engine open(Kind kind, Map<String, String> env) {
    if (kind == Kind.embedded) {
      throw new EngineException(
          "the embedded engine is not part of this build yet: use --engine docker with a running"
              + " dockerd (or set DOCKER_HOST)");
    }
    return DockerEngine.connect(EngineAddress.fromEnvironment(env));
  }
}
