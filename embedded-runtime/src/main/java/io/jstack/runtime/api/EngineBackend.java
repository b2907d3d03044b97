package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.engine.Event;
import io.jstack.runtime.engine.Exec;
import io.jstack.runtime.engine.ExecRequest;
import io.jstack.runtime.engine.Health;
import io.jstack.runtime.engine.ImageRemoval;
import io.jstack.runtime.engine.Volumes;
import io.jstack.runtime.engine.WaitFor;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.SeqPacket;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link EmbeddedEngine} behind the routes' service interfaces: each method one call on the
 * engine or on one of its parts, nothing decided here. The interfaces live with the routes that use
 * them (as moby's {@code backend.go} lives with its router), so the engine knows nothing of the
 * API.
 */
final class EngineBackend
    implements ContainerService,
        LogService,
        StatsService,
        ExecService,
        ImageService,
        NetworkService,
        VolumeService,
        SystemService,
        BuildService {
  private final EmbeddedEngine engine;

  EngineBackend(EmbeddedEngine engine) {
    this.engine = engine;
  }

  /** The routes' services, all over {@code engine}. */
  static EngineServer.Services services(EmbeddedEngine engine) {
    EngineBackend b = new EngineBackend(engine);
    return new EngineServer.Services(b, b, b, b, b, b, b, b, b);
  }

  // ------------------------------------------------------------------ containers

  @Override
  public List<Container> list() {
    return engine.list();
  }

  @Override
  public boolean buildStep(String id) {
    return engine.isBuildStep(id);
  }

  @Override
  public long writableLayerSize(String id) {
    return io.jstack.runtime.internal.TreeBytes.of(engine.containers().upperDir(id));
  }

  @Override
  public Container require(String idOrName) {
    return engine.require(idOrName);
  }

  @Override
  public Optional<Container> find(String idOrName) {
    return engine.find(idOrName);
  }

  @Override
  public String create(@Nullable String name, ContainerSettings settings) {
    return engine.create(name, settings);
  }

  @Override
  public void start(String idOrName) {
    engine.start(idOrName);
  }

  @Override
  public void stop(String idOrName, @Nullable String signal, @Nullable Duration timeout) {
    engine.stop(idOrName, signal, timeout);
  }

  @Override
  public void kill(String idOrName, @Nullable String signal) {
    engine.kill(idOrName, signal);
  }

  @Override
  public void rename(String idOrName, String newName) {
    engine.rename(idOrName, newName);
  }

  @Override
  public void pause(String idOrName, boolean pause) {
    engine.pause(idOrName, pause);
  }

  @Override
  public void remove(String idOrName, boolean force, boolean removeVolumes) {
    engine.remove(idOrName, force, removeVolumes);
  }

  @Override
  public int await(String idOrName, WaitFor condition) {
    return engine.await(idOrName, condition);
  }

  @Override
  public long pid(String id) {
    return engine.containers().pid(id).orElse(0);
  }

  @Override
  public List<Long> pids(String id) {
    return engine.containers().pids(id);
  }

  @Override
  public Path generatedFile(String id, String pathInContainer) {
    return java.util.Objects.requireNonNull(
        engine.containers().generatedFile(id, pathInContainer),
        "a generated file's path in the container");
  }

  @Override
  public void resize(String id, int rows, int columns) {
    engine.containers().resize(id, rows, columns);
  }

  @Override
  public Path pathIn(String idOrName, String path) {
    return engine.pathIn(idOrName, path);
  }

  @Override
  public void copyTo(String idOrName, String dir, InputStream archive) {
    engine.copyTo(idOrName, dir, archive);
  }

  @Override
  public Optional<Health.State> health(String id) {
    return engine.health(id);
  }

  @Override
  public boolean restarting(Container c) {
    return engine.restarting(c);
  }

  @Override
  public Optional<Network> network(String networkId) {
    return engine.networks().find(networkId);
  }

  // ------------------------------------------------------------------ logs and stats

  @Override
  public Path logFile(String id) {
    return engine.containers().logFile(id);
  }

  @Override
  public OptionalInt exitCode(String id) {
    return engine.containers().exitCode(id);
  }

  @Override
  public Runnable reading(String id) {
    return engine.reading(id);
  }

  @Override
  public CompletableFuture<SeqPacket> attach(String idOrName) {
    return engine.attach(idOrName);
  }

  @Override
  public Usage usage(String id) {
    return engine.containers().usage(id);
  }

  // ------------------------------------------------------------------ exec

  @Override
  public String createExec(String container, ExecRequest request) {
    return engine.createExec(container, request);
  }

  @Override
  public Exec exec(String id) {
    return engine.exec(id);
  }

  @Override
  public ExecProcess startExec(String id, boolean detach, int rows, int columns) {
    return engine.startExec(id, detach, rows, columns);
  }

  // ------------------------------------------------------------------ images

  @Override
  public Map<String, String> tags() {
    return engine.images().tags();
  }

  @Override
  public io.jstack.runtime.image.@Nullable ImageConfig imageDefaults(String imageId) {
    return engine.images().find(imageId).map(m -> engine.images().image(m).defaults()).orElse(null);
  }

  @Override
  public List<io.jstack.runtime.engine.MountPoint> mountPoints(
      io.jstack.runtime.engine.ContainerRecord r) {
    return engine.mountPoints(r);
  }

  @Override
  public ImageStore.Image image(String manifestDigest) {
    return engine.images().image(manifestDigest);
  }

  @Override
  public java.util.OptionalLong diffSize(String diffId) {
    Optional<Path> dir = engine.images().layer(diffId);
    if (dir.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    try {
      return java.util.OptionalLong.of(io.jstack.runtime.image.internal.DiffSize.of(dir.get()));
    } catch (IOException e) {
      // Removed meanwhile (its image was): the caller gives the stored size.
      return java.util.OptionalLong.empty();
    }
  }

  @Override
  public Optional<String> findImage(String reference) {
    return engine.images().find(reference);
  }

  @Override
  public java.util.Set<String> imagesInUse() {
    java.util.Set<String> used = new java.util.HashSet<>();
    engine.list().forEach(c -> used.add(c.record().imageId()));
    return used;
  }

  @Override
  public ImageRemoval removeImage(String reference, boolean force) {
    return engine.removeImage(reference, force);
  }

  @Override
  public void pull(
      ImageReference ref,
      io.jstack.runtime.image.@org.jspecify.annotations.Nullable RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> progress) {
    new RegistryClient(
            engine.images(),
            RegistryClient.Options.defaults().withCredentials(credentials),
            progress)
        .pull(ref);
  }

  @Override
  public void login(io.jstack.runtime.image.RegistryCredentials credentials) {
    String server = credentials.serverAddress();
    new RegistryClient(
            engine.images(),
            RegistryClient.Options.defaults().withCredentials(credentials),
            p -> {})
        .login(server.isBlank() ? ImageReference.DOCKER_HUB : ImageReference.registryOf(server));
  }

  @Override
  public List<ImageArchives.Loaded> load(InputStream archive) {
    return ImageArchives.load(engine.images(), archive, null);
  }

  @Override
  public void tag(String source, ImageReference target) {
    String manifest =
        engine
            .images()
            .find(source)
            .orElseThrow(
                () -> new io.jstack.engine.EngineException.NotFound("No such image: " + source));
    engine.images().tag(target, manifest);
  }

  @Override
  public String push(
      ImageReference ref,
      io.jstack.runtime.image.@org.jspecify.annotations.Nullable RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> progress) {
    return new RegistryClient(
            engine.images(),
            RegistryClient.Options.defaults().withCredentials(credentials),
            progress)
        .push(ref, ref);
  }

  @Override
  public void save(List<ImageReference> refs, java.io.OutputStream out) {
    ImageArchives.save(engine.images(), refs, out);
  }

  @Override
  public String commit(
      String container,
      @Nullable String reference,
      @Nullable String comment,
      @Nullable String author,
      List<String> changes,
      boolean pause) {
    return engine.commit(container, reference, comment, author, changes, pause);
  }

  // ------------------------------------------------------------------ networks

  @Override
  public List<Network> networks() {
    return engine.networks().list();
  }

  @Override
  public Network requireNetwork(String idOrName) {
    return engine.networks().require(idOrName);
  }

  @Override
  public Network createNetwork(NetworkRequest request) {
    return engine.createNetwork(request);
  }

  @Override
  public void removeNetwork(String idOrName) {
    engine.removeNetwork(idOrName);
  }

  @Override
  public void connect(
      String network, String container, ContainerSettings.EndpointRequest endpoint) {
    engine.connect(network, container, endpoint);
  }

  @Override
  public void disconnect(String network, String container) {
    engine.disconnect(network, container);
  }

  @Override
  public List<ContainerRecord> attachedTo(Network network) {
    return engine.attachedTo(network);
  }

  // ------------------------------------------------------------------ volumes

  @Override
  public List<Volumes.Volume> volumes() {
    return engine.volumes().list();
  }

  @Override
  public Volumes.Volume createVolume(String name, Map<String, String> labels) {
    return engine.volumes().create(name, labels);
  }

  @Override
  public Optional<Volumes.Volume> findVolume(String name) {
    return engine.volumes().find(name);
  }

  @Override
  public void removeVolume(String name) {
    engine.removeVolume(name);
  }

  @Override
  public long volumeSize(Volumes.Volume volume) {
    return engine.volumes().size(volume);
  }

  @Override
  public boolean volumeInUse(String name) {
    return engine.volumeInUse(name);
  }

  // ------------------------------------------------------------------ system

  @Override
  public List<Container> containers() {
    return engine.list();
  }

  @Override
  public Path dataRoot() {
    return engine.dataRoot().path();
  }

  @Override
  public Path runtime() {
    return engine.containers().tools().runtime();
  }

  @Override
  public Runnable subscribe(Consumer<Event> listener) {
    return engine.subscribe(listener);
  }

  @Override
  public void announceExits() {
    engine.announceExits();
  }

  // ------------------------------------------------------------------ builds

  @Override
  public String buildInPlace(
      Path dir,
      java.util.function.Function<Path, io.jstack.runtime.build.BuildRequest> request,
      Consumer<String> progress) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the build context " + dir + " cannot be read on the engine's host: " + e.getMessage());
    }
    if (!Files.isDirectory(real)) {
      throw new IllegalArgumentException("the build context " + dir + " is not a directory");
    }
    return new io.jstack.runtime.build.ImageBuilder(engine).build(request.apply(real), progress);
  }

  @Override
  public String build(
      InputStream context,
      java.util.function.Function<Path, io.jstack.runtime.build.BuildRequest> request,
      Consumer<String> progress) {
    // The context is unpacked on the data root: it may be what fills it.
    return io.jstack.runtime.image.DiskFull.guard(
        engine.dataRoot(),
        "receiving the build context",
        () -> -1,
        () -> unpackAndBuild(context, request, progress));
  }

  private String unpackAndBuild(
      InputStream context,
      java.util.function.Function<Path, io.jstack.runtime.build.BuildRequest> request,
      Consumer<String> progress) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(engine.dataRoot().path(), "build-");
      // The archive has no entry for the context's root, which dockerd makes 0755 (COPY . /x).
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      LayerUnpacker.extract(context, dir, LayerUnpacker.Limits.DEFAULT);
      return new io.jstack.runtime.build.ImageBuilder(engine).build(request.apply(dir), progress);
    } catch (LayerUnpacker.UnsafeLayerException e) {
      throw new IllegalArgumentException("the build context is unsafe: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new EngineException("cannot read the build context: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        try {
          LayerUnpacker.removeTree(dir);
        } catch (IOException e) {
          // Nothing refers to it; a later start of the engine may remove it.
        }
      }
    }
  }

  @Override
  public io.jstack.runtime.build.CachePruned pruneBuildCache(
      boolean all, long keepStorage, java.time.@Nullable Instant until) {
    return new io.jstack.runtime.build.ImageBuilder(engine).pruneCache(all, keepStorage, until);
  }
}
