package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.Containers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers the engine knows, by id: each one's {@link RecordFile} is read once when the
 * engine starts, then kept in step with the file. Their live state comes from conmon's records (its
 * exit and pid files, see {@link Containers}) each time a container is looked up. Names are
 * reserved while a create is under way, so that two creates never get the same name.
 */
final class ContainerStore {
  private final Containers containers;

  /** {@code <data root>/containers}: a directory per container, with its record. */
  private final Path dir;

  private final Map<String, ContainerRecord> records = new ConcurrentHashMap<>();
  private final Set<String> reservedNames = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  /**
   * Reads the records under {@code root}.
   *
   * @throws EngineException when the directory of containers cannot be read, or a record has
   *     another format
   */
  ContainerStore(DataRoot root, Containers containers) {
    this.containers = containers;
    this.dir = root.path().resolve("containers");
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
        for (Path p : all) {
          try {
            RecordFile.read(RecordFile.in(p)).ifPresent(r -> records.put(r.id(), r));
          } catch (RecordFile.Unreadable e) {
            // Docker, too, skips a container it cannot read, and says so.
            System.err.println("jstack engine: skipping a container: " + e.getMessage());
          }
        }
      } catch (IOException e) {
        throw new EngineException(
            "cannot read the containers in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Removes what creates that did not finish left behind (their engine was killed midway, after the
   * bundle was begun and before the record was written): a container directory without a record
   * file, its root still mounted, which no command can name. For the engine process as it starts,
   * before it serves; a directory whose record cannot be read is kept, and skipped as before.
   */
  void removeUnfinishedCreates() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path p : all) {
        String id = p.getFileName().toString();
        if (!Files.exists(RecordFile.in(p)) && !records.containsKey(id)) {
          System.err.println(
              "jstack engine: removing container " + id + ", whose create did not finish");
          containers.remove(id);
        }
      }
    } catch (IOException | EngineException e) {
      System.err.println("jstack engine: cannot remove an unfinished create: " + e.getMessage());
    }
  }

  /** Every record, in no order. */
  Collection<ContainerRecord> records() {
    return records.values();
  }

  /** The record of the container with exactly this id. */
  Optional<ContainerRecord> record(String id) {
    return Optional.ofNullable(records.get(id));
  }

  /**
   * Keeps {@code name} for a create under way, until {@link #release}.
   *
   * @throws EngineException.Conflict when a container has it, or another create keeps it
   */
  void reserve(String name) {
    synchronized (lock) {
      for (ContainerRecord r : records.values()) {
        if (r.name().equals(name)) {
          throw new EngineException.Conflict(
              "the container name \"/"
                  + name
                  + "\" is already in use by container \""
                  + r.id()
                  + "\"");
        }
      }
      if (!reservedNames.add(name)) {
        throw new EngineException.Conflict(
            "the container name \"/" + name + "\" is being used by another create");
      }
    }
  }

  /**
   * Gives container {@code r} the name {@code name}; its renamed record.
   *
   * @throws EngineException.InvalidArgument when the name is its own
   * @throws EngineException.Conflict when another container has it
   */
  ContainerRecord rename(ContainerRecord r, String name) {
    if (r.name().equals(name)) {
      throw new EngineException.InvalidArgument(
          "Renaming a container with the same name as its current name");
    }
    reserve(name);
    try {
      ContainerRecord renamed = r.withName(name);
      write(renamed);
      return renamed;
    } finally {
      release(name);
    }
  }

  /** The create that reserved {@code name} ended (its record is written, or it failed). */
  void release(String name) {
    reservedNames.remove(name);
  }

  /** Every container, newest first, with its state read anew from conmon's records. */
  List<Container> list() {
    List<Container> out = new ArrayList<>();
    for (ContainerRecord r : records.values()) {
      out.add(withState(r));
    }
    out.sort(Comparator.comparing((Container c) -> c.record().created()).reversed());
    return out;
  }

  /** A container by id, name (with or without its leading slash) or id prefix of 4 or more. */
  Optional<Container> find(String idOrName) {
    String key = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    ContainerRecord exact = records.get(key);
    if (exact != null) {
      return Optional.of(withState(exact));
    }
    for (ContainerRecord r : records.values()) {
      if (r.name().equals(key)) {
        return Optional.of(withState(r));
      }
    }
    if (key.length() >= 4) {
      for (ContainerRecord r : records.values()) {
        if (r.id().startsWith(key)) {
          return Optional.of(withState(r));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A container by id, name or id prefix.
   *
   * @throws EngineException.NotFound when there is none
   */
  Container require(String idOrName) {
    return find(idOrName)
        .orElseThrow(() -> new EngineException.NotFound("No such container: " + idOrName));
  }

  /**
   * Whether {@code r}'s process exists: it runs (or is paused), also in the first instants of a run
   * before the record that says so is written, when the process may already ask the DNS for its own
   * name or its peers'.
   */
  boolean hasProcess(ContainerRecord r) {
    return withState(r).alive() || containers.pid(r.id()).isPresent();
  }

  /** {@code r} with its live state. */
  Container withState(ContainerRecord r) {
    OptionalInt code = containers.exitCode(r.id());
    if (code.isPresent()) {
      Instant finished = containers.finishedAt(r.id()).orElse(null);
      return new Container(
          r, Container.Status.exited, code.getAsInt(), finished, containers.error(r.id()));
    }
    if (r.startedAt() != null && containers.started(r.id())) {
      return new Container(
          r,
          containers.paused(r.id()) ? Container.Status.paused : Container.Status.running,
          0,
          null);
    }
    return new Container(r, Container.Status.created, 0, null);
  }

  /**
   * Writes {@code r} to its container's directory, then keeps it.
   *
   * @throws EngineException when it cannot be written
   */
  void write(ContainerRecord r) {
    RecordFile.write(containers.dir(r.id()), r);
    records.put(r.id(), r);
  }

  /** Forgets a removed container (its directory went with it). */
  void forget(String id) {
    records.remove(id);
  }
}
