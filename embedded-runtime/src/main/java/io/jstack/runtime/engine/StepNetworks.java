package io.jstack.runtime.engine;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The spare network namespace of build steps ({@link SpareNetwork}): one is kept made between
 * builds, so that a RUN step on the default network finds its namespace ready without its build
 * making one while its steps run (on a host of two CPUs that costs those steps about what it
 * saves). It is made on a thread of its own: at once when a build wants one and none is there, and
 * {@link #REFILL_DELAY} after a build that took one ended (its answer sent by then). Only while the
 * engine supervises: {@link #close} deletes it, as removing a network does (it may be on it).
 */
final class StepNetworks {
  /** How long after a build that took the spare the next one is made. */
  static final Duration REFILL_DELAY = Duration.ofMillis(100);

  private final NetworkAttachments attachments;
  private final ScheduledExecutorService maker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jstack-step-network");
            t.setDaemon(true);
            return t;
          });

  private @Nullable Future<SpareNetwork> next;
  private boolean open;

  StepNetworks(NetworkAttachments attachments) {
    this.attachments = attachments;
  }

  /** Spares may be made from now on (the engine supervises). */
  synchronized void open() {
    open = true;
  }

  /** A build will want a spare soon: one is made now unless one is made or being made. */
  synchronized void want() {
    if (open && next == null) {
      next = maker.submit(attachments::prepareSpare);
    }
  }

  /** A build took the spare: another is made a little later, unless one is there by then. */
  synchronized void refillLater() {
    if (open && next == null) {
      next =
          maker.schedule(attachments::prepareSpare, REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The spare, waited for while it is made; null when there is none or it could not be made. */
  @Nullable SpareNetwork take() {
    Future<SpareNetwork> f;
    synchronized (this) {
      f = next;
      next = null;
    }
    return f == null ? null : made(f);
  }

  /** Deletes the spare, made or being made; none is made until {@link #open} again. */
  void close() {
    synchronized (this) {
      open = false;
    }
    discard();
  }

  /** Deletes the spare, made or being made (the network it is on goes). */
  void discard() {
    SpareNetwork s = take();
    if (s != null) {
      attachments.discard(s);
    }
  }

  private static @Nullable SpareNetwork made(Future<SpareNetwork> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // a spare being made is waited for, so that none is left behind
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
          return null; // the step plugs its own namespace, and says what fails
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
