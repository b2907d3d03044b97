package io.jstack.runtime.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Work done inside another network namespace: on a thread of its own that enters the namespace
 * ({@code setns}), does the work and ends, so no thread of the engine stays there. A socket made
 * there keeps that namespace for its whole life, wherever it is used afterwards.
 */
public final class NetNamespaces {
  private NetNamespaces() {}

  private static final int O_RDONLY_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  private interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int type) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /** Thrown when the namespace cannot be entered, or the work failed there. */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What {@code work} gives, done in the network namespace at {@code namespace} (a {@code
   * /run/netns/<name>} or {@code /proc/<pid>/ns/net} file).
   *
   * @throws Failed naming the namespace and what failed
   */
  public static <T> T inside(Path namespace, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        Daemons.start(
            "jstack-netns",
            () -> {
              try {
                int fd = Holder.LIBC.open(namespace.toString(), O_RDONLY_CLOEXEC);
                try {
                  Holder.LIBC.setns(fd, CLONE_NEWNET);
                } finally {
                  Holder.LIBC.close(fd);
                }
                result.complete(work.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
              // The thread ends here, and with it its place in the namespace.
            });
    try {
      T out = result.get();
      t.join();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("interrupted working in network namespace " + namespace, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Failed(
          "cannot work in network namespace " + namespace + ": " + cause.getMessage(), cause);
    }
  }
}
