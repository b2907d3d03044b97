package io.jstack.runtime.image;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>A disk quota used up ({@code EDQUOT}, "Disk quota exceeded": a user's quota, or an XFS project
 * quota on the data root's directory) is a full data root too; the disk's free space says nothing
 * of a quota, so its message names the quota instead of sizes:
 *
 * <pre>
 * pulling IMAGE: no space left on the data root /var/lib/jstack (its disk quota is exceeded);
 * free space there, raise the quota or set JSTACK_DATA_ROOT
 * </pre>
 */
public final class DiskFull extends EngineException {
  private static final long serialVersionUID = 1L;
  private static final long MIB = 1L << 20;

  /** Why a write found no room, each by the text {@code strerror} gives its errno. */
  enum NoRoom {
    /** {@code ENOSPC}: the file system is full. */
    SPACE("No space left on device"),
    /** {@code EDQUOT}: a disk quota is used up. */
    QUOTA("Disk quota exceeded");

    private final String strerror;

    NoRoom(String strerror) {
      this.strerror = strerror;
    }

    /** The reason {@code message} says, if any. */
    static Optional<NoRoom> in(@Nullable String message) {
      if (message != null) {
        for (NoRoom r : values()) {
          if (message.contains(r.strerror)) {
            return Optional.of(r);
          }
        }
      }
      return Optional.empty();
    }
  }

  private final String dataRoot;
  private final long needed;
  private final long free;
  private final NoRoom reason;

  private DiskFull(
      String doing, Path dataRoot, long needed, long free, NoRoom reason, Throwable cause) {
    super(message(doing, dataRoot, needed, free, reason), cause);
    this.dataRoot = dataRoot.toString();
    this.needed = needed;
    this.free = free;
    this.reason = reason;
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

  /** Whether a disk quota was used up ({@code EDQUOT}), not the disk ({@code ENOSPC}). */
  public boolean quota() {
    return reason == NoRoom.QUOTA;
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
      Optional<NoRoom> reason = reason(e);
      if (reason.isEmpty()) {
        throw e;
      }
      throw new DiskFull(
          doing, root.path(), needed.getAsLong(), free(root.path()), reason.get(), e);
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
          NoRoom.SPACE,
          new IOException(NoRoom.SPACE.strerror + " (checked before writing)"));
    }
  }

  /**
   * Whether {@code failure}, or one it wraps or suppressed, is for want of space: the disk full
   * ({@code ENOSPC}) or a disk quota used up ({@code EDQUOT}).
   */
  public static boolean caused(Throwable failure) {
    return reason(failure).isPresent();
  }

  /** Why {@code failure}, or one it wraps or suppressed, found no room; empty when none did. */
  static Optional<NoRoom> reason(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.push(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      if (t instanceof DiskFull full) {
        return Optional.of(full.reason);
      }
      Optional<NoRoom> said = NoRoom.in(t.getMessage());
      if (said.isPresent()) {
        return said;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.push(s);
      }
    }
    return Optional.empty();
  }

  /** The usable bytes of the data root's file system (0 when it cannot be read). */
  static long free(Path dataRoot) {
    try {
      return Files.getFileStore(dataRoot).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String message(
      String doing, Path dataRoot, long needed, long free, NoRoom reason) {
    if (reason == NoRoom.QUOTA) {
      return doing
          + ": no space left on the data root "
          + dataRoot
          + " (its disk quota is exceeded); free space there, raise the quota or set"
          + " JSTACK_DATA_ROOT";
    }
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
