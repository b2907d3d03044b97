package io.jstack.junit.internal;

import io.jstack.engine.Engine;
import io.jstack.junit.StackEngine;
import io.jstack.runtime.Engines;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which engine a stack runs on, and the connection to it (through the CLI's own {@link Engines}).
 */
public final class EngineChoice {
  private EngineChoice() {}

  /**
   * The kind {@code engine} means in {@code env}: for {@link StackEngine#AUTO}, the system property
   * {@code jstack.engine} or {@code JSTACK_ENGINE}, else Docker when {@code DOCKER_HOST} is set,
   * else the embedded engine.
   *
   * @throws IllegalArgumentException when jstack.engine or JSTACK_ENGINE names no engine
   */
  public static Engines.Kind kind(StackEngine engine, Map<String, String> env) {
    switch (engine) {
      case DOCKER:
        return Engines.Kind.docker;
      case EMBEDDED:
        return Engines.Kind.embedded;
      default:
        break;
    }
    String named = System.getProperty("jstack.engine");
    if (named == null || named.isBlank()) {
      named = env.get("JSTACK_ENGINE");
    }
    if (named != null && !named.isBlank()) {
      try {
        return Engines.Kind.valueOf(named.strip().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "jstack.engine / JSTACK_ENGINE is \"" + named + "\": set it to docker or embedded", e);
      }
    }
    return env.containsKey("DOCKER_HOST") ? Engines.Kind.docker : Engines.Kind.embedded;
  }

  /** Connects to (and for the embedded engine, starts if need be) the engine of {@code kind}. */
  public static Engine open(Engines.Kind kind, Map<String, String> env) {
    return Engines.open(kind, env);
  }

  /** Closes a connection, ignoring failures (nothing can be done about them at that point). */
  static void close(@Nullable Engine engine) {
    if (engine instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // The connection is gone either way.
      }
    }
  }
}
