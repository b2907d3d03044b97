package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What {@code info} counts, and events: a subscriber gets {@link #events} at once, then nothing;
 * subscriptions, their ends and looks for exits are counted.
 */
final class FakeSystem implements SystemService {
  final List<Container> containers = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger exitLooks = new AtomicInteger();

  @Override
  public List<Container> containers() {
    return List.copyOf(containers);
  }

  @Override
  public Path dataRoot() {
    return Path.of("/var/lib/jstack");
  }

  @Override
  public Path runtime() {
    return Path.of("/usr/bin/crun");
  }

  @Override
  public Runnable subscribe(Consumer<Event> listener) {
    calls.add("subscribe");
    events.forEach(listener);
    return () -> calls.add("unsubscribe");
  }

  @Override
  public void announceExits() {
    exitLooks.incrementAndGet();
  }
}
