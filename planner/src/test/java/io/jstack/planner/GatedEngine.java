package io.jstack.planner;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.testing.ForwardingEngine;
import java.time.Duration;
import java.util.Map;
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
 * them, e.g. {@code startContainer demo-web-1} (containers by name, even when called by id). Reads
 * and the calls tests do not order pass straight on ({@link ForwardingEngine}).
 */
final class GatedEngine extends ForwardingEngine {
  /** What a held call waits for before it goes on. */
  interface Gate {
    void pass() throws InterruptedException;
  }

  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> begun = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> ended = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  GatedEngine(Engine engine) {
    super(engine);
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
    return delegate().container(idOrName).map(ContainerInfo::name).orElse(idOrName);
  }

  @Override
  public String describe() {
    return "gated " + delegate().describe();
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    return call("createContainer", spec.name(), () -> delegate().createContainer(spec));
  }

  @Override
  public void startContainer(String id) {
    run("startContainer", nameOf(id), () -> delegate().startContainer(id));
  }

  @Override
  public void stopContainer(String id, String signal, Duration timeout) {
    run("stopContainer", nameOf(id), () -> delegate().stopContainer(id, signal, timeout));
  }

  @Override
  public void killContainer(String id, String signal) {
    run("killContainer", nameOf(id), () -> delegate().killContainer(id, signal));
  }

  @Override
  public void removeContainer(String id, boolean removeVolumes, boolean force) {
    run("removeContainer", nameOf(id), () -> delegate().removeContainer(id, removeVolumes, force));
  }

  @Override
  public void renameContainer(String id, String newName) {
    run("renameContainer", nameOf(id), () -> delegate().renameContainer(id, newName));
  }

  @Override
  public void createNetwork(NetworkSpec spec) {
    run("createNetwork", spec.name(), () -> delegate().createNetwork(spec));
  }

  @Override
  public void removeNetwork(String name) {
    run("removeNetwork", name, () -> delegate().removeNetwork(name));
  }

  @Override
  public void createVolume(VolumeSpec spec) {
    run("createVolume", spec.name(), () -> delegate().createVolume(spec));
  }

  @Override
  public void removeVolume(String name) {
    run("removeVolume", name, () -> delegate().removeVolume(name));
  }

  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    run("pullImage", reference, () -> delegate().pullImage(reference, progress));
  }

  @Override
  public void removeImage(String reference) {
    run("removeImage", reference, () -> delegate().removeImage(reference));
  }
}
