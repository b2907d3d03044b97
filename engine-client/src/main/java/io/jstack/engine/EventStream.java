package io.jstack.engine;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The engine's events as they happen: containers created, started, died, networks created... */
public interface EventStream extends AutoCloseable {
  /**
   * The next event, blocking until one comes; {@code null} once the stream is closed.
   *
   * @throws EngineException when the engine breaks the stream
   */
  @Nullable Event next();

  @Override
  void close();

  /**
   * One event.
   *
   * @param type {@code container}, {@code network}, {@code volume}, {@code image}
   * @param action {@code create}, {@code start}, {@code die}, {@code destroy}, ...
   * @param id the resource's id (or name, for volumes)
   * @param attributes its labels, its name, an exit code...
   */
  record Event(
      Instant time, String type, String action, String id, Map<String, String> attributes) {
    public Event {
      attributes = Map.copyOf(attributes);
    }
  }
}
