package io.jstack.runtime.engine;

import io.jstack.runtime.container.Containers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine's events, to whoever listens: what the engine does to containers, and their exits,
 * which conmon records and this announces once per run ({@code die}, with its exit code). Runs that
 * had ended before the engine started count as announced.
 */
final class Events {
  private final ContainerStore store;
  private final Containers containers;
  private final Supervisor supervisor;
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  /** The runs whose exit was announced, as {@code <id><startedAt>}. */
  private final Set<String> announcedExits = ConcurrentHashMap.newKeySet();

  Events(ContainerStore store, Containers containers, Supervisor supervisor) {
    this.store = store;
    this.containers = containers;
    this.supervisor = supervisor;
    for (ContainerRecord r : store.records()) {
      if (r.startedAt() != null && containers.exitCode(r.id()).isPresent()) {
        announcedExits.add(r.id() + r.startedAt());
      }
    }
  }

  /** Calls {@code listener} with every event from now on, until the returned handle runs. */
  Runnable subscribe(Consumer<Event> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Tells every listener that {@code action} happened to {@code r}; a listener that throws is
   * dropped (its client went away).
   */
  void emit(ContainerRecord r, String action, Map<String, String> extra) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.putAll(r.labels());
    attributes.put("name", r.name());
    attributes.put("image", r.image());
    attributes.putAll(extra);
    Event e = new Event(Instant.now(), action, r.id(), attributes);
    for (Consumer<Event> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException gone) {
        listeners.remove(l);
      }
    }
  }

  /**
   * Looks for runs that ended since the last look and announces each once; the supervisor then
   * hears of it (its restart policy, its auto-removal).
   */
  void announceExits() {
    for (ContainerRecord r : store.records()) {
      if (r.startedAt() == null || announcedExits.contains(r.id() + r.startedAt())) {
        continue;
      }
      OptionalInt code = containers.exitCode(r.id());
      // add() decides: of two threads that see the same exit, one announces it.
      if (code.isPresent() && announcedExits.add(r.id() + r.startedAt())) {
        emit(r, "die", Map.of("exitCode", String.valueOf(code.getAsInt())));
        supervisor.exited(store.record(r.id()).orElse(r), code.getAsInt());
      }
    }
  }
}
