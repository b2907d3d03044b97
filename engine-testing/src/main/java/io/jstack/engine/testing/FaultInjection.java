package io.jstack.engine.testing;

import io.jstack.engine.EngineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The fake engine's instrumentation of mutating calls: latency, injected failures, the call log and
 * the in-flight counters. Every mutating call of the fake runs through {@link #mutateAndGet}.
 */
final class FaultInjection {
  private record Failure(
      BiPredicate<String, String> when,
      Supplier<? extends RuntimeException> failure,
      boolean once) {}

  private final FakeState state;

  /** Guarded by the state's lock. */
  private final List<Failure> failures = new ArrayList<>();

  private final Queue<FakeEngine.Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;

  FaultInjection(FakeState state) {
    this.state = state;
  }

  void latency(Duration perCall) {
    this.latency = perCall;
  }

  void failNext(String op, String target, RuntimeException failure) {
    synchronized (state.lock) {
      failures.add(
          new Failure(
              (o, t) -> o.equals(op) && (target == null || target.equals(t)), () -> failure, true));
    }
  }

  void failWhen(BiPredicate<String, String> when, Supplier<? extends RuntimeException> failure) {
    synchronized (state.lock) {
      failures.add(new Failure(when, failure, false));
    }
  }

  void clearFailures() {
    synchronized (state.lock) {
      failures.clear();
    }
  }

  List<FakeEngine.Call> calls() {
    return List.copyOf(calls);
  }

  List<FakeEngine.Call> calls(String op) {
    return calls.stream().filter(c -> c.op().equals(op)).toList();
  }

  void clearCalls() {
    calls.clear();
    peakInFlight.set(inFlight.get());
  }

  int inFlight() {
    return inFlight.get();
  }

  int peakInFlight() {
    return peakInFlight.get();
  }

  /** A mutating call on a container: logged by its name, failures matched by name or id. */
  void mutateContainer(String op, String idOrName, Runnable action) {
    List<String> names;
    synchronized (state.lock) {
      FakeContainer c = state.find(idOrName);
      names =
          c == null
              ? List.of(String.valueOf(idOrName))
              : List.of(c.name, c.id, String.valueOf(idOrName));
    }
    mutate(op, names, action);
  }

  void mutate(String op, String target, Runnable action) {
    mutate(op, List.of(target), action);
  }

  private void mutate(String op, List<String> names, Runnable action) {
    mutateAndGet(
        op,
        names,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Runs a mutating call: latency, injected failure, the action, the log and the counters. The
   * first of {@code names} is the logged target; failures are matched against each.
   */
  <T> T mutateAndGet(String op, List<String> names, Supplier<T> action) {
    long start = System.nanoTime();
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    String target = names.get(0);
    @Nullable String error = null;
    try {
      pause(latency);
      RuntimeException failure = injectedFailure(op, names);
      if (failure != null) {
        throw failure;
      }
      return action.get();
    } catch (RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      throw e;
    } finally {
      calls.add(
          new FakeEngine.Call(
              op, target, start, System.nanoTime(), Thread.currentThread().getName(), error));
      inFlight.decrementAndGet();
    }
  }

  private @Nullable RuntimeException injectedFailure(String op, List<String> names) {
    synchronized (state.lock) {
      for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
        Failure f = it.next();
        if (names.stream().distinct().anyMatch(name -> f.when().test(op, name))) {
          if (f.once()) {
            it.remove();
          }
          return f.failure().get();
        }
      }
      return null;
    }
  }

  private static void pause(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", e);
    }
  }
}
