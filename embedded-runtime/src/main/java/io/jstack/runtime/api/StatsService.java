package io.jstack.runtime.api;

import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import java.util.OptionalInt;

/** What {@link StatsRoutes} needs of the engine: a running container's resource usage. */
interface StatsService {
  /** A container; {@code NotFound} when there is none. */
  Container require(String idOrName);

  /** Its usage now; {@code EngineException} when it cannot be read (it stopped). */
  Usage usage(String id);

  /** The exit code of its last run, once it ended. */
  OptionalInt exitCode(String id);
}
