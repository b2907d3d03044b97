package io.jstack.planner;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Test fixture: an engine that passes every call on to another, but holds the mutating calls a test
 * names until it lets them go, and tells when each began and ended; so a test orders what runs
 * concurrently without sleeping. Calls are named {@code op target} as {@link Runs#callOf} names
 * them, e.g. {@code startContainer demo-web-1} (containers by name, even when called by id).
 */
final class GatedEngine implements Engine {
  /** What a held call waits for before it goes on. */
  interface Gate {
    void pass() throws InterruptedException;
  }

  private final Engine engine;
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> begun = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> ended = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  GatedEngine(Engine engine) {
    this.engine = engine;
  }

  /** Holds {@code call} until {@code gate} passes. */
  GatedEngine hold(String call, Gate gate) {
    gates.put(call, gate);
    return this;
  }

  /** Holds {@code call} until {@code latch} is counted down. */
  GatedEngine hold(String call, CountDownLatch latch) {
    return hold(call, () -> awaitLatch(latch, call));
  }

  /** Waits (10 s at most) until {@code call} has begun (before any gate). */
  void awaitBegun(String call) throws InterruptedException {
    awaitLatch(latch(begun, call), call + " to begin");
  }

  /** Waits (10 s at most) until {@code call} has returned or thrown. */
  void awaitEnded(String call) throws InterruptedException {
    awaitLatch(latch(ended, call), call + " to end");
  }

  /** The most mutating calls that were ever under way at once, held ones included. */
  int peakInFlight() {
    return peakInFlight.get();
  }

  /** Whether {@code call} has begun. */
  boolean hasBegun(String call) {
    return latch(begun, call).getCount() == 0;
  }

  private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("timed out waiting for " + what);
    }
  }

  private static CountDownLatch latch(Map<String, CountDownLatch> latches, String call) {
    return latches.computeIfAbsent(call, k -> new CountDownLatch(1));
  }

  private <T> T call(String op, String target, Supplier<T> action) {
    String key = op + " " + target;
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    latch(begun, key).countDown();
    try {
      Gate gate = gates.get(key);
      if (gate != null) {
        gate.pass();
      }
      return action.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while held", e);
    } finally {
      inFlight.decrementAndGet();
      latch(ended, key).countDown();
    }
  }

  private void run(String op, String target, Runnable action) {
    call(
        op,
        target,
        () -> {
          action.run();
          return null;
        });
  }

  private String nameOf(String idOrName) {
    return engine.container(idOrName).map(ContainerInfo::name).orElse(idOrName);
  }

  @Override
  public String describe() {
    return "gated " + engine.describe();
  }

  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    return engine.containers(labels);
  }

  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    return engine.container(idOrName);
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return call("createContainer", spec.name(), () -> engine.createContainer(spec));
  }

  @Override
  public void startContainer(String id) {
    run("startContainer", nameOf(id), () -> engine.startContainer(id));
  }

  @Override
  public void stopContainer(String id, String signal, Duration timeout) {
    run("stopContainer", nameOf(id), () -> engine.stopContainer(id, signal, timeout));
  }

  @Override
  public void killContainer(String id, String signal) {
    run("killContainer", nameOf(id), () -> engine.killContainer(id, signal));
  }

  @Override
  public void removeContainer(String id, boolean removeVolumes) {
    run("removeContainer", nameOf(id), () -> engine.removeContainer(id, removeVolumes));
  }

  @Override
  public void renameContainer(String id, String newName) {
    run("renameContainer", nameOf(id), () -> engine.renameContainer(id, newName));
  }

  @Override
  public int waitContainer(String id) {
    return engine.waitContainer(id);
  }

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    return engine.networks(labels);
  }

  @Override
  public Optional<NetworkInfo> network(String name) {
    return engine.network(name);
  }

  @Override
  public void createNetwork(NetworkSpec spec) {
    run("createNetwork", spec.name(), () -> engine.createNetwork(spec));
  }

  @Override
  public void removeNetwork(String name) {
    run("removeNetwork", name, () -> engine.removeNetwork(name));
  }

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    return engine.volumes(labels);
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    return engine.volume(name);
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    run("createVolume", spec.name(), () -> engine.createVolume(spec));
  }

  @Override
  public void removeVolume(String name) {
    run("removeVolume", name, () -> engine.removeVolume(name));
  }

  @Override
  public Optional<ImageInfo> image(String reference) {
    return engine.image(reference);
  }

  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    run("pullImage", reference, () -> engine.pullImage(reference, progress));
  }

  @Override
  public void removeImage(String reference) {
    run("removeImage", reference, () -> engine.removeImage(reference));
  }

  // Not mutating calls the tests order: passed straight on.

  @Override
  public io.jstack.engine.EngineInfo info() {
    return engine.info();
  }

  @Override
  public io.jstack.engine.LogStream logs(String id, io.jstack.engine.LogStream.Options options) {
    return engine.logs(id, options);
  }

  @Override
  public void pauseContainer(String id) {
    engine.pauseContainer(id);
  }

  @Override
  public void unpauseContainer(String id) {
    engine.unpauseContainer(id);
  }

  @Override
  public int exec(String id, ExecSpec spec, io.jstack.engine.Stdio stdio) {
    return engine.exec(id, spec, stdio);
  }

  @Override
  public int startAttached(String id, io.jstack.engine.Stdio stdio) {
    return engine.startAttached(id, stdio);
  }

  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    return engine.images(labels);
  }

  @Override
  public void tagImage(String source, String target) {
    engine.tagImage(source, target);
  }

  @Override
  public List<String> loadImages(java.io.InputStream archive) {
    return engine.loadImages(archive);
  }

  @Override
  public io.jstack.engine.EventStream events(Map<String, String> labels) {
    return engine.events(labels);
  }

  @Override
  public String buildImage(io.jstack.engine.BuildSpec spec, Consumer<String> progress) {
    return engine.buildImage(spec, progress);
  }

  @Override
  public void pushImage(String reference, Consumer<PullProgress> progress) {
    engine.pushImage(reference, progress);
  }

  @Override
  public Processes top(String id) {
    return engine.top(id);
  }

  @Override
  public java.io.InputStream copyFrom(String id, String path) {
    return engine.copyFrom(id, path);
  }

  @Override
  public void copyTo(String id, String dir, java.io.InputStream archive) {
    engine.copyTo(id, dir, archive);
  }
}
