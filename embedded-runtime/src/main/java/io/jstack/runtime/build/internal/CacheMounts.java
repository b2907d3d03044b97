package io.jstack.runtime.build.internal;

import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The directories of {@code RUN --mount=type=cache}, kept between builds: {@code
 * <data-root>/build-cache/mounts/<sha256 of the cache's key>/}, the key being BuildKit's cache id
 * (the target unless {@code id=} names one) and what the cache started from ({@code from=} a stage
 * or image, or the owner and mode of its root). They are never part of a layer; pruning the build
 * cache reclaims them. Sharing as BuildKit's ({@code llb.CacheMountShared|Private|Locked}): {@code
 * shared} mounts are used by any number of RUNs at once, a {@code locked} one by one RUN at a time
 * (the others wait), and a {@code private} one gets another directory of the same key ({@code
 * sha256 of key#n}) while the first is in use. A prune leaves the directories in use.
 */
final class CacheMounts {
  /** Per directory: how many RUNs use it, and the lock of {@code locked} ones. */
  private static final Map<Path, Use> USES = new HashMap<>();

  private CacheMounts() {}

  private static final class Use {
    int users;
    final Semaphore locked = new Semaphore(1);
  }

  /** A RUN's use of a cache directory, let go by {@link #release}. */
  static final class Claim {
    private final Path dir;
    private final boolean lockedUse;
    private boolean released;

    private Claim(Path dir, boolean lockedUse) {
      this.dir = dir;
      this.lockedUse = lockedUse;
    }

    /** The directory to mount. */
    Path dir() {
      return dir;
    }

    /** Lets go of the directory. */
    void release() {
      synchronized (USES) {
        if (released) {
          return;
        }
        released = true;
        Use u = USES.get(dir);
        if (u != null) {
          u.users--;
          if (lockedUse) {
            u.locked.release();
          }
          if (u.users == 0 && u.locked.availablePermits() == 1) {
            USES.remove(dir);
          }
        }
      }
    }
  }

  /** Fills a new cache directory with what the cache starts from. */
  interface Filler {
    void fill(Path dir) throws IOException;
  }

  /**
   * Claims the directory of cache {@code key} below {@code root} with {@code sharing} ({@code
   * shared}, {@code private} or {@code locked}), making it with {@code fill} when it is not there.
   */
  static Claim claim(Path root, String key, String sharing, Filler fill) throws IOException {
    Path dir;
    boolean lockedUse = sharing.equals("locked");
    Use use;
    synchronized (USES) {
      int n = 0;
      dir = root.resolve(digest(key));
      while (sharing.equals("private") && USES.containsKey(dir) && USES.get(dir).users > 0) {
        dir = root.resolve(digest(key + "#" + ++n));
      }
      use = USES.computeIfAbsent(dir, d -> new Use());
      use.users++;
    }
    if (lockedUse) {
      use.locked.acquireUninterruptibly();
    }
    Claim claim = new Claim(dir, lockedUse);
    try {
      synchronized (use) {
        if (!Files.isDirectory(dir)) {
          // Filled in a sibling first: a crash never leaves a half-made cache under its name.
          Path part = Files.createTempDirectory(Files.createDirectories(root), ".new-");
          try {
            fill.fill(part);
            Files.move(part, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          } finally {
            LayerUnpacker.removeTree(part);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      claim.release();
      throw e;
    }
    return claim;
  }

  /**
   * Removes cache directory {@code dir} unless a RUN uses it (as BuildKit's prune leaves a cache
   * mount in use); true when it was removed. Claims wait meanwhile: one that comes after finds the
   * directory gone and makes it anew.
   */
  static boolean removeUnlessUsed(Path dir) throws IOException {
    synchronized (USES) {
      Use use = USES.get(dir);
      if (use != null && use.users > 0) {
        return false;
      }
      LayerUnpacker.removeTree(dir);
      return true;
    }
  }

  private static String digest(String key) {
    try {
      return RunMounts.hex(
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has SHA-256", e);
    }
  }
}
