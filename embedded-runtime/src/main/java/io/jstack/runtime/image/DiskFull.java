package io.jstack.runtime.image;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An image operation (a pull, a load, a build) or a container's create ran out of space on the data
 * root: the one place that recognises {@code ENOSPC} and says it in one line, naming the data root,
 * about how much more the operation needs and how much is free, and what to do:
 *
 * <pre>
 * pulling IMAGE: no space left on the data root /var/lib/jstack (needs about 120 MiB more, 12 MiB
 * free); free space there or set JSTACK_DATA_ROOT
 * </pre>
 *
 * <p>The store writes everything to temporaries first ({@link ImageStore}), and the writers remove
 * them as the failure passes, so the free space this reports is what the next attempt has: {@link
 * #guard} measures it after the operation unwound. The JDK has no errno: ENOSPC is the text {@code
 * strerror} gives it, which every {@link java.nio.file.FileSystemException} and stream write
 * carries, and which messages that wrap it (a build step's) repeat.
 */
public final class DiskFull extends EngineException {
  private static final long serialVersionUID = 1L;
  private static final String ENOSPC = "No space left on device";
  private static final long MIB = 1L << 20;

  private final String dataRoot;
  private final long needed;
  private final long free;

  private DiskFull(String doing, Path dataRoot, long needed, long free, Throwable cause) {
    super(message(doing, dataRoot, needed, free), cause);
    this.dataRoot = dataRoot.toString();
    this.needed = needed;
    this.free = free;
  }

  /** The data root that is full. */
  public Path dataRoot() {
    return Path.of(dataRoot);
  }

  /** About how many bytes the operation needs in all, or -1 when it cannot know. */
  public long needed() {
    return needed;
  }

  /** The bytes free on the data root once the operation had unwound. */
  public long free() {
    return free;
  }

  /**
   * Runs {@code body}, and turns a failure of it for want of space into a {@code DiskFull} for
   * {@code doing} ("pulling IMAGE"), needing about {@code needed} bytes in all (asked after the
   * failure; -1 for unknown). A {@code DiskFull} of an operation nested in it ({@code FROM}'s pull
   * in a build) passes as it is: it knows best what it was writing. Other failures pass as they
   * are.
   */
  public static <T> T guard(DataRoot root, String doing, LongSupplier needed, Supplier<T> body) {
    try {
      return body.get();
    } catch (DiskFull nested) {
      throw nested;
    } catch (RuntimeException e) {
      if (!caused(e)) {
        throw e;
      }
      throw new DiskFull(doing, root.path(), needed.getAsLong(), free(root.path()), e);
    }
  }

  /**
   * Fails at once, before anything is written, when the data root has less than {@code bytes} free:
   * the operation could not end, and would first fill the disk for everything else on it.
   *
   * @param estimate what the operation needs in all, about, for the message (at least {@code
   *     bytes})
   */
  public static void require(DataRoot root, String doing, long bytes, long estimate) {
    long free = free(root.path());
    if (bytes > free) {
      throw new DiskFull(
          doing,
          root.path(),
          Math.max(bytes, estimate),
          free,
          new IOException(ENOSPC + " (checked before writing)"));
    }
  }

  /** Whether {@code failure}, or one it wraps or suppressed, is for want of space. */
  public static boolean caused(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.push(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      if (t instanceof DiskFull || String.valueOf(t.getMessage()).contains(ENOSPC)) {
        return true;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.push(s);
      }
    }
    return false;
  }

  /** The usable bytes of the data root's file system (0 when it cannot be read). */
  static long free(Path dataRoot) {
    try {
      return Files.getFileStore(dataRoot).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String message(String doing, Path dataRoot, long needed, long free) {
    String sizes =
        needed > free
            ? "needs about " + ceilMib(needed - free) + " MiB more, " + free / MIB + " MiB free"
            : "needs more than the " + free / MIB + " MiB free";
    return doing
        + ": no space left on the data root "
        + dataRoot
        + " ("
        + sizes
        + "); free space there or set JSTACK_DATA_ROOT";
  }

  private static long ceilMib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }
}
