package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineInfo;
import io.jstack.engine.EventStream;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.ListFilters;
import io.jstack.engine.LogStream;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.Stdio;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpTransport;
import io.jstack.engine.http.SocketTransport;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine SPI over Docker's Engine API (also Podman's Docker-compatible socket). Each resource
 * of the API has a class of its own in this package ({@link DockerContainers}, {@link
 * AttachedProcesses}, {@link DockerImages}, {@link ImageBuild}, {@link DockerNetworks}, {@link
 * DockerVolumes}, {@link DockerEvents}), all over one {@link DockerApi}.
 */
public final class DockerEngine implements Engine, AutoCloseable {
  private final DockerApi api;
  private final DockerContainers containers;
  private final AttachedProcesses attached;
  private final DockerImages images;
  private final ImageBuild build;
  private final DockerNetworks networks;
  private final DockerVolumes volumes;

  /** Connects to the engine at {@code address} and negotiates the API version. */
  public static DockerEngine connect(EngineAddress address) {
    return connect(address, System.getenv());
  }

  /**
   * Connects to the engine at {@code address} for a client whose environment is {@code
   * environment}, where registry logins are found ({@code DOCKER_CONFIG}, {@code HOME}).
   */
  public static DockerEngine connect(EngineAddress address, Map<String, String> environment) {
    return new DockerEngine(address, new SocketTransport(address), environment);
  }

  DockerEngine(EngineAddress address, HttpTransport transport) {
    this(address, transport, System.getenv());
  }

  DockerEngine(EngineAddress address, HttpTransport transport, Map<String, String> environment) {
    DockerApi a;
    try {
      a = new DockerApi(address, transport);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    this.api = a;
    this.containers = new DockerContainers(a);
    this.attached = new AttachedProcesses(a, containers);
    this.images = new DockerImages(a, environment);
    this.build = new ImageBuild(a, images);
    this.networks = new DockerNetworks(a);
    this.volumes = new DockerVolumes(a);
  }

  /** The negotiated API version, e.g. {@code 1.41}. */
  public String apiVersion() {
    return api.apiVersion();
  }

  DockerApi api() {
    return api;
  }

  @Override
  public String describe() {
    return api.describe();
  }

  @Override
  public Optional<String> remoteHost() {
    return api.address() instanceof EngineAddress.Tcp tcp
        ? Optional.of(tcp.host())
        : Optional.empty();
  }

  @Override
  public EngineInfo info() {
    JsonNode i = api.json(HttpRequest.get("/info"), "engine info");
    return new EngineInfo(
        "docker",
        i.path("ServerVersion").asText(),
        api.apiVersion(),
        i.path("OperatingSystem").asText(),
        i.path("Architecture").asText(),
        i.path("NCPU").asInt(),
        i.path("MemTotal").asLong());
  }

  @Override
  public EventStream events(Map<String, String> labels) {
    return new DockerEvents(api, DockerApi.labelFilter(labels));
  }

  @Override
  public void close() {
    api.close();
  }

  // --- containers ---

  // The forwarding below matches any other facade of the Engine SPI over per-resource classes
  // (engine-testing's InMemoryEngine) token for token; it is the SPI's shape, not copied code.
  // CPD-OFF

  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    return containers.list(labels);
  }

  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    return containers.inspect(idOrName);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return containers.create(spec);
  }

  /** A running container stays as it is (dockerd answers 304). */
  @Override
  public void startContainer(String id) {
    containers.start(id);
  }

  /** A container that is not running stays as it is (dockerd answers 304). */
  @Override
  public void stopContainer(String id, @Nullable String signal, Duration timeout) {
    containers.stop(id, signal, timeout);
  }

  @Override
  public void killContainer(String id, @Nullable String signal) {
    containers.kill(id, signal);
  }

  @Override
  public void removeContainer(String id, boolean removeVolumes, boolean force) {
    containers.remove(id, removeVolumes, force);
  }

  @Override
  public void renameContainer(String id, String newName) {
    containers.rename(id, newName);
  }

  @Override
  public InputStream copyFrom(String id, String path) {
    return containers.copyFrom(id, path);
  }

  @Override
  public void copyTo(String id, String dir, InputStream archive) {
    containers.copyTo(id, dir, archive);
  }

  @Override
  public io.jstack.engine.ContainerStats stats(String id) {
    return containers.stats(id);
  }

  @Override
  public InputStream exportContainer(String id) {
    return containers.export(id);
  }

  @Override
  public String commitContainer(String id, CommitSpec spec) {
    return containers.commit(id, spec);
  }

  @Override
  public Processes top(String id) {
    return containers.top(id);
  }

  @Override
  public void pauseContainer(String id) {
    containers.pause(id);
  }

  @Override
  public void unpauseContainer(String id) {
    containers.unpause(id);
  }

  @Override
  public int exec(String id, ExecSpec spec, Stdio stdio) {
    return attached.exec(id, spec, stdio);
  }

  @Override
  public int startAttached(String id, Stdio stdio) {
    return attached.startAttached(id, stdio);
  }

  @Override
  public int attach(String id, Stdio stdio) {
    return attached.attach(id, stdio);
  }

  @Override
  public int waitContainer(String id) {
    return containers.waitFor(id);
  }

  @Override
  public LogStream logs(String id, LogStream.Options o) {
    return containers.logs(id, o);
  }

  // CPD-ON

  // --- networks ---

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    return networks.list(labels);
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    return networks.inspect(name);
  }

  @Override
  public void createNetwork(NetworkSpec spec) {
    networks.create(spec);
  }

  @Override
  public void removeNetwork(String name) {
    networks.remove(name);
  }

  @Override
  public List<NetworkInfo> networks(ListFilters filters) {
    return networks.list(filters);
  }

  @Override
  public Pruned pruneNetworks(ListFilters filters) {
    return networks.prune(filters);
  }

  // --- volumes ---

  @Override
  public List<VolumeInfo> volumes(ListFilters filters) {
    return volumes.list(filters);
  }

  @Override
  public Pruned pruneVolumes(ListFilters filters) {
    return volumes.prune(filters);
  }

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    return volumes.list(labels);
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    return volumes.inspect(name);
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    volumes.create(spec);
  }

  @Override
  public void removeVolume(String name) {
    volumes.remove(name);
  }

  // --- images ---

  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    return images.list(labels);
  }

  @Override
  public Optional<ImageInfo> image(String reference) {
    return images.inspect(reference);
  }

  @Override
  public void tagImage(String source, String target) {
    images.tag(source, target);
  }

  @Override
  public List<String> loadImages(InputStream archive) {
    return images.load(archive);
  }

  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    images.pull(reference, progress);
  }

  @Override
  public String pushImage(String reference, Consumer<PullProgress> progress) {
    return images.push(reference, progress);
  }

  @Override
  public void removeImage(String reference) {
    images.remove(reference);
  }

  @Override
  public String buildImage(BuildSpec spec, Consumer<String> progress) {
    return build.build(spec, progress);
  }
}
