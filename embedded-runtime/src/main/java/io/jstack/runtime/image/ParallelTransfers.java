package io.jstack.runtime.image;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Daemons;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the blob and layer work of one pull or push (downloads, unpacking, compression, uploads) a
 * few at a time, and waits for all of it: the first failure is the one reported.
 */
final class ParallelTransfers {
  /** One transfer of a blob or layer. */
  interface Transfer {
    void run() throws IOException;
  }

  /** How long the other transfers may take to stop once one failed. */
  private static final int STOP_SECONDS = 60;

  private ParallelTransfers() {}

  /**
   * Runs {@code tasks}, {@code parallelism} at a time, and waits for all of them.
   *
   * @throws EngineException the first failure; one that is not ours says it happened in {@code
   *     what}
   */
  static void run(List<Transfer> tasks, int parallelism, String what) {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, parallelism), Daemons.named("jstack-registry"));
    List<Future<Void>> work = new ArrayList<>();
    try {
      for (Transfer t : tasks) {
        work.add(
            pool.submit(
                () -> {
                  t.run();
                  return null;
                }));
      }
      for (Future<Void> f : work) {
        await(f, what);
      }
    } catch (RuntimeException e) {
      work.forEach(w -> w.cancel(true));
      throw e;
    } finally {
      pool.shutdownNow();
      // The others end, and remove their temporaries, before the failure is thrown: what it says
      // of the store (a full disk's free space, DiskFull) holds, and the store is as it will stay.
      try {
        // One that does not stop in time (a read that ignores interrupts) removes its own later.
        pool.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for one transfer of {@code what}; failures other than ours say what was moving. */
  private static void await(Future<Void> f, String what) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      if (c instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException(
          what + " failed: " + c.getMessage() + " (check the data root's disk and permissions)", c);
    }
  }
}
