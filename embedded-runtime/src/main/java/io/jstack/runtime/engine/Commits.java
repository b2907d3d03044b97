package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.build.CommitChanges;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.image.ImageCommit;
import io.jstack.runtime.image.ImageConfig;
import io.jstack.runtime.image.ImageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code docker commit}: a container's changes to its image's files as a new image, whose defaults
 * are what the container runs with (its command, environment, user, labels, ...), as Docker merges
 * them. A running container is paused meanwhile unless asked not to be.
 */
final class Commits {
  private final ContainerStore store;
  private final ImageStore images;
  private final Containers containers;
  private final Events events;

  Commits(ContainerStore store, ImageStore images, Containers containers, Events events) {
    this.store = store;
    this.images = images;
    this.containers = containers;
    this.events = events;
  }

  /**
   * What a commit asks for: the new image's name (or null), its history's words, and the Dockerfile
   * instructions that change its defaults.
   */
  record Request(
      @Nullable String reference,
      @Nullable String comment,
      @Nullable String author,
      List<String> changes,
      boolean pause) {
    Request {
      changes = List.copyOf(changes);
    }
  }

  /**
   * Commits a container; returns the new image's id (its config digest).
   *
   * @throws EngineException.NotFound when there is no such container, or its image is gone
   */
  String commit(String idOrName, Request request) {
    Container c = store.require(idOrName);
    ContainerRecord r = c.record();
    ImageReference as =
        request.reference() == null ? null : ImageReference.parse(request.reference());
    String base =
        images
            .find(r.imageId())
            .orElseThrow(
                () ->
                    new EngineException.NotFound(
                        "the image of container " + r.name() + " is gone: it cannot be committed"));
    // Read before anything is paused or written: a change a commit does not take fails first.
    ImageConfig defaults =
        CommitChanges.apply(defaults(r, images.image(base).defaults()), request.changes());
    boolean pause = request.pause() && c.status() == Container.Status.running;
    if (pause) {
      containers.pause(r.id());
    }
    String manifest;
    try {
      manifest =
          ImageCommit.commit(
              images,
              base,
              containers.upperDir(r.id()),
              defaults,
              new ImageCommit.History(
                  Instant.now(),
                  String.join(" ", r.commandLine()),
                  request.comment(),
                  request.author(),
                  null),
              as);
    } finally {
      if (pause) {
        containers.resume(r.id());
      }
    }
    String id = images.image(manifest).configDigest();
    events.emit(
        r, "commit", request.comment() == null ? Map.of() : Map.of("comment", request.comment()));
    return id;
  }

  /** The container's own settings over its image's, as {@code docker commit} keeps them. */
  static ImageConfig defaults(ContainerRecord r, ImageConfig image) {
    ContainerSettings s = r.settings();
    // Docker's order: the container's own, then the image's it does not set.
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : s.env()) {
      env.put(e.split("=", 2)[0], e);
    }
    for (String e : image.env()) {
      env.putIfAbsent(e.split("=", 2)[0], e);
    }
    Map<String, String> labels = new TreeMap<>(image.labels());
    labels.putAll(s.labels());
    TreeSet<String> ports = new TreeSet<>(image.exposedPorts());
    ports.addAll(s.exposedPorts());
    List<String> entrypoint = s.entrypoint() != null ? s.entrypoint() : image.entrypoint();
    List<String> cmd = s.cmd() != null ? s.cmd() : s.entrypoint() != null ? List.of() : image.cmd();
    return new ImageConfig(
        entrypoint,
        cmd,
        new ArrayList<>(env.values()),
        s.workingDir() != null ? s.workingDir() : image.workingDir(),
        s.user() != null ? s.user() : image.user(),
        labels,
        new ArrayList<>(ports),
        s.stopSignal() != null ? s.stopSignal() : image.stopSignal(),
        s.healthcheck() != null ? s.healthcheck() : image.healthcheck(),
        image.volumes(),
        image.shell(),
        image.onBuild());
  }
}
