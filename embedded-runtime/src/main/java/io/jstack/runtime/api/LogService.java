package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.internal.SeqPacket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** What {@link LogRoutes} needs of the engine: a container's log file, console and end. */
interface LogService {
  /** A container; {@code NotFound} when there is none. */
  Container require(String idOrName);

  /** A container, if there is one. */
  Optional<Container> find(String idOrName);

  /** Its output as conmon writes it ({@code <time> <stream> <F|P> <text>} lines). */
  Path logFile(String id);

  /** The exit code of its last run, once it ended. */
  OptionalInt exitCode(String id);

  /** Somebody streams its output: its auto-removal waits until the returned handle runs. */
  Runnable reading(String id);

  /** Its console (a container with a terminal or an open input), as it next is there. */
  CompletableFuture<SeqPacket> attach(String idOrName);
}
