package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link SystemRoutes} needs of the engine: what {@code info} tells (with the images of an
 * {@link ImageService}), and the events.
 */
interface SystemService {
  /** Every container. */
  List<Container> containers();

  /** Where the engine keeps its data. */
  Path dataRoot();

  /** The OCI runtime new containers run with. */
  Path runtime();

  /** Calls {@code listener} with every event from now on, until the returned handle runs. */
  Runnable subscribe(Consumer<Event> listener);

  /** Turns the exits conmon recorded since the last look into events. */
  void announceExits();
}
