package io.jstack.engine.testing;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
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
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Engine} methods of {@link FakeEngine}, each handed to the part that holds its concern;
 * {@link FakeEngine} adds what tests control and observe. One world ({@link FakeState}) and one
 * lock are shared by every part.
 */
abstract class InMemoryEngine implements Engine {
  final FakeState state;
  final FaultInjection faults;
  final FakeContainers containers;
  final FakeStreams streams;
  final FakeProcesses processes;
  final FakeNetworksAndVolumes networksAndVolumes;
  final FakeImages images;

  InMemoryEngine(EngineClock clock) {
    this.state = new FakeState(clock);
    this.faults = new FaultInjection(state);
    this.containers = new FakeContainers(state, faults);
    this.streams = new FakeStreams(state, containers);
    this.processes = new FakeProcesses(state);
    this.networksAndVolumes = new FakeNetworksAndVolumes(state, faults);
    this.images = new FakeImages(state, faults);
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo(
        "fake", "0", "1.41", "in memory", "none", Runtime.getRuntime().availableProcessors(), 0);
  }

  @Override
  public String describe() {
    return "fake engine";
  }

  /** In this process: no other host. */
  @Override
  public java.util.Optional<String> remoteHost() {
    return java.util.Optional.empty();
  }

  /** Containers in creation order. */
  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    return containers.containers(labels);
  }

  /** Looks up by id, then name (a leading slash is ignored), then a unique id prefix. */
  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    return containers.container(idOrName);
  }

  /** A null name gets a generated one. */
  @Override
  public String createContainer(ContainerSpec spec) {
    return containers.create(spec);
  }

  /** Per its {@link Behaviour}; its exit code stays the last one until it exits again. */
  @Override
  public void startContainer(String id) {
    containers.start(id);
  }

  /**
   * Stops a running container at once: exit code 0, or 137 when its {@link Behaviour} ignores the
   * stop signal, the signal is SIGKILL, or the timeout is zero. The grace period is not waited out.
   */
  @Override
  public void stopContainer(String id, @Nullable String signal, Duration timeout) {
    containers.stop(id, signal, timeout);
  }

  /** It exits with 137, whatever the signal. */
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

  /** Regular files only: what {@link #copyTo} put there. */
  @Override
  public InputStream copyFrom(String id, String path) {
    return processes.copyFrom(id, path);
  }

  @Override
  public void copyTo(String id, String dir, InputStream archive) {
    processes.copyTo(id, dir, archive);
  }

  /** One process and nothing else used: nothing runs here. */
  @Override
  public io.jstack.engine.ContainerStats stats(String id) {
    return processes.stats(id);
  }

  /** The regular files {@link #copyTo} put outside its volumes, by path below its root. */
  @Override
  public InputStream exportContainer(String id) {
    return processes.export(id);
  }

  /**
   * An image named by the container and how many commits came before; its labels are the
   * container's. Changes are taken as they are: nothing here reads them.
   */
  @Override
  public String commitContainer(String id, CommitSpec spec) {
    return images.commit(id, spec);
  }

  /** One process: the container's command (or its image's, unknown here: "sh"). */
  @Override
  public Processes top(String id) {
    return processes.top(id);
  }

  @Override
  public void pauseContainer(String id) {
    containers.pause(id);
  }

  @Override
  public void unpauseContainer(String id) {
    containers.unpause(id);
  }

  /** What {@link FakeEngine#execBehaviour} set for the command's program. */
  @Override
  public int exec(String id, ExecSpec spec, Stdio stdio) {
    return processes.exec(id, spec, stdio);
  }

  /** Starts the container and copies what it writes ({@link FakeEngine#write}) until it exits. */
  @Override
  public int startAttached(String id, Stdio stdio) {
    return streams.startAttached(id, stdio);
  }

  /** Copies what it writes from now on until it exits; its input is not read. */
  @Override
  public int attach(String id, Stdio stdio) {
    return streams.attach(id, stdio);
  }

  /** Returns at once for an exited container; otherwise blocks until it next exits. */
  @Override
  public int waitContainer(String id) {
    return containers.await(id);
  }

  /**
   * What the container wrote ({@link FakeEngine#write}); with {@code follow}, waits for more until
   * it exits, is removed or the stream is closed. {@code since} and {@code until} are not modelled.
   */
  @Override
  public LogStream logs(String id, LogStream.Options options) {
    return streams.logs(id, options);
  }

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    return networksAndVolumes.networks(labels);
  }

  /** Looks up by name, then id. */
  @Override
  public Optional<NetworkInfo> network(String name) {
    return networksAndVolumes.network(name);
  }

  /** A null driver means {@code bridge}. */
  @Override
  public void createNetwork(NetworkSpec spec) {
    networksAndVolumes.createNetwork(spec);
  }

  @Override
  public void removeNetwork(String name) {
    networksAndVolumes.removeNetwork(name);
  }

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    return networksAndVolumes.volumes(labels);
  }

  @Override
  public List<VolumeInfo> volumes(ListFilters filters) {
    return networksAndVolumes.volumes(filters);
  }

  @Override
  public Pruned pruneVolumes(ListFilters filters) {
    return networksAndVolumes.pruneVolumes(filters);
  }

  @Override
  public List<NetworkInfo> networks(ListFilters filters) {
    return networksAndVolumes.networks(filters);
  }

  @Override
  public Pruned pruneNetworks(ListFilters filters) {
    return networksAndVolumes.pruneNetworks(filters);
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    return networksAndVolumes.volume(name);
  }

  /** A null driver means {@code local}. */
  @Override
  public void createVolume(VolumeSpec spec) {
    networksAndVolumes.createVolume(spec);
  }

  @Override
  public void removeVolume(String name) {
    networksAndVolumes.removeVolume(name);
  }

  /** Local images carrying the labels (they were loaded or built with). */
  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    return images.images(labels);
  }

  @Override
  public void tagImage(String source, String target) {
    images.tagImage(source, target);
  }

  /** Reads the archive's {@code manifest.json} and image configs; layers are not kept. */
  @Override
  public List<String> loadImages(InputStream archive) {
    return images.loadImages(archive);
  }

  /** Events recorded from now on whose attributes carry every label of {@code labels}. */
  @Override
  public EventStream events(Map<String, String> labels) {
    return streams.events(labels);
  }

  /** Its tags and labels, and no other config. */
  @Override
  public Optional<ImageInfo> image(String reference) {
    return images.image(reference);
  }

  /** Fetches what {@link FakeEngine#registry} (or a push) put there, with Docker-like progress. */
  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    images.pullImage(reference, progress);
  }

  @Override
  public void removeImage(String reference) {
    images.removeImage(reference);
  }

  /** Copies a local image into the fake registry under its reference. */
  @Override
  public String pushImage(String reference, Consumer<PullProgress> progress) {
    return images.pushImage(reference, progress);
  }

  /**
   * "Builds" an image whose id depends on the Dockerfile's text, the build args, target and labels,
   * and tags it with every tag of the spec.
   */
  @Override
  public String buildImage(BuildSpec spec, Consumer<String> progress) {
    return images.buildImage(spec, progress);
  }
}
