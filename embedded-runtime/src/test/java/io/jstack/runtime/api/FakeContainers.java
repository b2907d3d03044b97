package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.Health;
import io.jstack.runtime.engine.WaitFor;
import io.jstack.runtime.internal.SeqPacket;
import io.jstack.runtime.network.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Containers in memory, for the container, log and stats routes: answers from the containers it was
 * given, and writes down each call that would change something, in order, as one line ({@code "stop
 * web signal=null timeout=PT10S"}). {@link #failWith} makes the next such call throw.
 */
final class FakeContainers implements ContainerService, LogService, StatsService {
  private final Map<String, Container> byId = new LinkedHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final Map<String, Health.State> health = new HashMap<>();
  final Map<String, Network> networks = new HashMap<>();

  /** Where paths inside containers are on the host, by {@code <name>:<path>}. */
  final Map<String, Path> paths = new HashMap<>();

  /** What the last create asked for. */
  String createdName;

  ContainerSettings created;
  Path logFile;
  Usage usage;
  int exitCode;
  private RuntimeException failure;

  /** The defaults of images by ID, for inspect's merged config. */
  final Map<String, io.jstack.runtime.image.ImageConfig> images = new HashMap<>();

  @Override
  public io.jstack.runtime.image.ImageConfig imageDefaults(String imageId) {
    return images.get(imageId);
  }

  FakeContainers with(Container... containers) {
    for (Container c : containers) {
      byId.put(c.record().id(), c);
    }
    return this;
  }

  /** The next call that changes something throws {@code e}. */
  FakeContainers failWith(RuntimeException e) {
    failure = e;
    return this;
  }

  private void call(String line) {
    calls.add(line);
    RuntimeException f = failure;
    failure = null;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public List<Container> list() {
    return List.copyOf(byId.values());
  }

  @Override
  public Optional<Container> find(String idOrName) {
    String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    return byId.values().stream()
        .filter(
            c ->
                c.record().id().equals(idOrName)
                    || c.record().name().equals(name)
                    || idOrName.length() >= 4 && c.record().id().startsWith(idOrName))
        .findFirst();
  }

  @Override
  public Container require(String idOrName) {
    return find(idOrName)
        .orElseThrow(() -> new EngineException.NotFound("No such container: " + idOrName));
  }

  @Override
  public String create(String name, ContainerSettings settings) {
    call("create " + name);
    createdName = name;
    created = settings;
    return "new-id";
  }

  @Override
  public void start(String idOrName) {
    call("start " + require(idOrName).record().name());
  }

  @Override
  public void stop(String idOrName, @Nullable String signal, @Nullable Duration timeout) {
    call("stop " + require(idOrName).record().name() + " signal=" + signal + " timeout=" + timeout);
  }

  @Override
  public void kill(String idOrName, String signal) {
    call("kill " + require(idOrName).record().name() + " signal=" + signal);
  }

  @Override
  public void rename(String idOrName, String newName) {
    call("rename " + require(idOrName).record().name() + " to " + newName);
  }

  @Override
  public void pause(String idOrName, boolean pause) {
    call((pause ? "pause " : "unpause ") + require(idOrName).record().name());
  }

  /** The ids of build steps' containers. */
  final java.util.Set<String> buildSteps = new java.util.HashSet<>();

  @Override
  public boolean buildStep(String id) {
    return buildSteps.contains(id);
  }

  /** Each container's writable layer: 1000 bytes a letter of its name. */
  @Override
  public long writableLayerSize(String id) {
    return 1000L * require(id).record().name().length();
  }

  @Override
  public void remove(String idOrName, boolean force, boolean removeVolumes) {
    call(
        "remove "
            + require(idOrName).record().name()
            + " force="
            + force
            + " volumes="
            + removeVolumes);
  }

  @Override
  public int await(String idOrName, WaitFor condition) {
    call("await " + require(idOrName).record().name() + " " + condition);
    return exitCode;
  }

  /** Its process is this JVM, while it runs. */
  @Override
  public long pid(String id) {
    return ProcessHandle.current().pid();
  }

  @Override
  public List<Long> pids(String id) {
    return List.of(ProcessHandle.current().pid());
  }

  @Override
  public java.nio.file.Path generatedFile(String id, String pathInContainer) {
    return directory(id).resolve(pathInContainer.substring(pathInContainer.lastIndexOf('/') + 1));
  }

  private static java.nio.file.Path directory(String id) {
    return java.nio.file.Path.of("/var/lib/fake/containers", id);
  }

  @Override
  public void resize(String id, int rows, int columns) {
    call("resize " + id + " " + rows + "x" + columns);
  }

  @Override
  public Path pathIn(String idOrName, String path) {
    Path p = paths.get(require(idOrName).record().name() + ":" + path);
    if (p == null) {
      throw new EngineException.NotFound("no " + path + " in " + idOrName);
    }
    return p;
  }

  @Override
  public void copyTo(String idOrName, String dir, InputStream archive) {
    try {
      call("copyTo " + idOrName + " " + dir + " " + archive.readAllBytes().length + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<Health.State> health(String id) {
    return Optional.ofNullable(health.get(id));
  }

  /** Containers whose restart policy is about to start them again, by id. */
  final java.util.Set<String> restartingIds = new java.util.HashSet<>();

  @Override
  public boolean restarting(Container c) {
    return restartingIds.contains(c.record().id());
  }

  @Override
  public Optional<Network> network(String networkId) {
    return Optional.ofNullable(networks.get(networkId));
  }

  @Override
  public Path logFile(String id) {
    return logFile != null ? logFile : directory(id).resolve("ctr.log");
  }

  @Override
  public OptionalInt exitCode(String id) {
    return require(id).status() == Container.Status.exited
        ? OptionalInt.of(require(id).exitCode())
        : OptionalInt.empty();
  }

  @Override
  public Runnable reading(String id) {
    calls.add("reading " + id);
    return () -> calls.add("read " + id);
  }

  @Override
  public CompletableFuture<SeqPacket> attach(String idOrName) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no consoles here"));
  }

  @Override
  public Usage usage(String id) {
    if (usage == null) {
      throw new EngineException("no usage of " + id);
    }
    return usage;
  }
}
