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
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An engine that passes every call on to another, unchanged: test wrappers (one that holds calls,
 * one that counts them) extend it and override only what they change. Every method of {@link
 * Engine} is forwarded, the default {@link #exec(String, ExecSpec, byte[])} too, so that the
 * delegate's own version of it runs; a test checks that none is missing.
 */
public abstract class ForwardingEngine implements Engine {
  private final Engine delegate;

  protected ForwardingEngine(Engine delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The engine calls go on to. */
  protected Engine delegate() {
    return delegate;
  }

  @Override
  public EngineInfo info() {
    return delegate.info();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public java.util.Optional<String> remoteHost() {
    return delegate.remoteHost();
  }

  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    return delegate.containers(labels);
  }

  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    return delegate.container(idOrName);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return delegate.createContainer(spec);
  }

  @Override
  public void startContainer(String id) {
    delegate.startContainer(id);
  }

  @Override
  public void stopContainer(String id, @Nullable String signal, Duration timeout) {
    delegate.stopContainer(id, signal, timeout);
  }

  @Override
  public void killContainer(String id, @Nullable String signal) {
    delegate.killContainer(id, signal);
  }

  @Override
  public void removeContainer(String id, boolean removeVolumes, boolean force) {
    delegate.removeContainer(id, removeVolumes, force);
  }

  @Override
  public void renameContainer(String id, String newName) {
    delegate.renameContainer(id, newName);
  }

  @Override
  public InputStream copyFrom(String id, String path) {
    return delegate.copyFrom(id, path);
  }

  @Override
  public void copyTo(String id, String dir, InputStream archive) {
    delegate.copyTo(id, dir, archive);
  }

  @Override
  public io.jstack.engine.ContainerStats stats(String id) {
    return delegate.stats(id);
  }

  @Override
  public InputStream exportContainer(String id) {
    return delegate.exportContainer(id);
  }

  @Override
  public String commitContainer(String id, CommitSpec spec) {
    return delegate.commitContainer(id, spec);
  }

  @Override
  public Processes top(String id) {
    return delegate.top(id);
  }

  @Override
  public void pauseContainer(String id) {
    delegate.pauseContainer(id);
  }

  @Override
  public void unpauseContainer(String id) {
    delegate.unpauseContainer(id);
  }

  @Override
  public int exec(String id, ExecSpec spec, Stdio stdio) {
    return delegate.exec(id, spec, stdio);
  }

  @Override
  public ExecResult exec(String id, ExecSpec spec, byte @Nullable [] stdin) {
    return delegate.exec(id, spec, stdin);
  }

  @Override
  public int startAttached(String id, Stdio stdio) {
    return delegate.startAttached(id, stdio);
  }

  @Override
  public int attach(String id, Stdio stdio) {
    return delegate.attach(id, stdio);
  }

  @Override
  public int waitContainer(String id) {
    return delegate.waitContainer(id);
  }

  @Override
  public LogStream logs(String id, LogStream.Options options) {
    return delegate.logs(id, options);
  }

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    return delegate.networks(labels);
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    return delegate.network(name);
  }

  @Override
  public void createNetwork(NetworkSpec spec) {
    delegate.createNetwork(spec);
  }

  @Override
  public void removeNetwork(String name) {
    delegate.removeNetwork(name);
  }

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    return delegate.volumes(labels);
  }

  @Override
  public List<VolumeInfo> volumes(ListFilters filters) {
    return delegate.volumes(filters);
  }

  @Override
  public Pruned pruneVolumes(ListFilters filters) {
    return delegate.pruneVolumes(filters);
  }

  @Override
  public List<NetworkInfo> networks(ListFilters filters) {
    return delegate.networks(filters);
  }

  @Override
  public Pruned pruneNetworks(ListFilters filters) {
    return delegate.pruneNetworks(filters);
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    return delegate.volume(name);
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    delegate.createVolume(spec);
  }

  @Override
  public void removeVolume(String name) {
    delegate.removeVolume(name);
  }

  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    return delegate.images(labels);
  }

  @Override
  public void tagImage(String source, String target) {
    delegate.tagImage(source, target);
  }

  @Override
  public List<String> loadImages(InputStream archive) {
    return delegate.loadImages(archive);
  }

  @Override
  public EventStream events(Map<String, String> labels) {
    return delegate.events(labels);
  }

  @Override
  public Optional<ImageInfo> image(String reference) {
    return delegate.image(reference);
  }

  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    delegate.pullImage(reference, progress);
  }

  @Override
  public void removeImage(String reference) {
    delegate.removeImage(reference);
  }

  @Override
  public String pushImage(String reference, Consumer<PullProgress> progress) {
    return delegate.pushImage(reference, progress);
  }

  @Override
  public String buildImage(BuildSpec spec, Consumer<String> progress) {
    return delegate.buildImage(spec, progress);
  }
}
