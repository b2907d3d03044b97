package io.jstack.runtime.build.internal;

import io.jstack.engine.EngineException;
import io.jstack.runtime.build.CachePruned;
import io.jstack.runtime.image.ImageHolds;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The images earlier builds' steps made, by step key: each a hold ({@link ImageHolds}) named {@code
 * build-<key>} on the step's image, so that garbage collection keeps Docker's "intermediate images"
 * while the cache names them. A key is the parent image, the step as planned (its substituted
 * instruction, the build arguments it uses) and for COPY and ADD a digest of what they read ({@link
 * SourceDigest}); it never depends on times. An entry whose image the store no longer has whole is
 * a miss. {@link #prune} reclaims entries, the images only they keep, and RUN's cache mounts under
 * {@code <data-root>/build-cache/mounts/}.
 */
public final class BuildCache {
  private static final String PREFIX = "build-";

  private final Path dir;
  private final ImageStore store;
  private final ImageHolds holds;

  /**
   * The cache of {@code store}, {@code dir} being {@code <data-root>/build-cache} (content hashes,
   * cache mounts).
   */
  public BuildCache(Path dir, ImageStore store) {
    this.dir = dir;
    this.store = store;
    this.holds = new ImageHolds(store);
  }

  /** The key of {@code parts} in order (each may hold any text). */
  public static String key(List<String> parts) {
    MessageDigest d = Digests.sha256();
    for (String p : parts) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      d.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
      d.update(b);
    }
    return Digests.format(d.digest()).substring(7);
  }

  /** The image a step with {@code key} made, if the store still has all of it. */
  public Optional<String> lookup(String key) {
    try {
      Optional<String> held = holds.get(PREFIX + key, true);
      if (held.isEmpty() || !store.hasBlob(held.get())) {
        return Optional.empty();
      }
      ImageStore.Image image = store.image(held.get());
      for (int i = 0; i < image.layers().size(); i++) {
        if (!store.hasBlob(image.layers().get(i).digest())
            || store.layer(image.diffIds().get(i)).isEmpty()) {
          return Optional.empty();
        }
      }
      return held;
    } catch (EngineException e) {
      return Optional.empty();
    }
  }

  /** Remembers that the step with {@code key} made image {@code manifest}. */
  public void put(String key, String manifest) {
    try {
      holds.hold(PREFIX + key, manifest);
    } catch (EngineException e) {
      // A cache that cannot be written only makes the next build slower.
    }
  }

  /**
   * Reclaims the cache, as {@code docker builder prune}: the entries of images no tag names (the
   * intermediate images), or with {@code all} every entry; then the images only the removed entries
   * kept, and the cache mounts. With {@code until}, only what was last used before it; with {@code
   * keepStorage} above 0, the most recently used entries whose layers fit in that many bytes stay
   * (and the cache mounts too).
   */
  public CachePruned prune(boolean all, long keepStorage, @Nullable Instant until) {
    Set<String> named = new HashSet<>(store.tags().values());
    Set<String> namedLayers = new HashSet<>();
    for (String m : named) {
      if (store.hasBlob(m)) {
        store.image(m).layers().forEach(l -> namedLayers.add(l.digest()));
      }
    }
    List<Map.Entry<String, ImageHolds.Hold>> entries =
        new ArrayList<>(holds.list(PREFIX).entrySet());
    // Newest first, so that keep-storage keeps the most recently used.
    entries.sort(
        Comparator.comparing((Map.Entry<String, ImageHolds.Hold> e) -> e.getValue().used())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    Set<String> kept = new HashSet<>();
    long keptBytes = 0;
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<String, ImageHolds.Hold> e : entries) {
      ImageHolds.Hold h = e.getValue();
      boolean candidate =
          (all || !named.contains(h.manifest())) && (until == null || h.used().isBefore(until));
      if (candidate && keepStorage > 0) {
        long more = 0;
        if (store.hasBlob(h.manifest())) {
          for (ImageStore.Layer l : store.image(h.manifest()).layers()) {
            more += namedLayers.contains(l.digest()) || kept.contains(l.digest()) ? 0 : l.size();
          }
        }
        if (keptBytes + more <= keepStorage) {
          keptBytes += more;
          candidate = false;
        }
      }
      if (!candidate) {
        if (store.hasBlob(h.manifest())) {
          store.image(h.manifest()).layers().forEach(l -> kept.add(l.digest()));
        }
        continue;
      }
      holds.release(e.getKey());
      deleted.add(e.getKey().substring(PREFIX.length()));
    }
    long bytes = store.collect().bytes();
    if (keepStorage <= 0) {
      bytes += pruneMounts(until, deleted);
    }
    return new CachePruned(deleted, bytes);
  }

  /**
   * Removes the cache mounts last used before {@code until} (all without), but those a RUN uses;
   * their bytes.
   */
  private long pruneMounts(@Nullable Instant until, List<String> deleted) {
    Path mounts = dir.resolve("mounts");
    if (!Files.isDirectory(mounts)) {
      return 0;
    }
    long bytes = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(mounts)) {
      for (Path m : all) {
        if (until != null && !Files.getLastModifiedTime(m).toInstant().isBefore(until)) {
          continue;
        }
        long size = ImageStore.diskUsage(m);
        if (CacheMounts.removeUnlessUsed(m)) {
          bytes += size;
          deleted.add("mount:" + m.getFileName());
        }
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot remove the build's cache mounts in " + mounts + ": " + e.getMessage(), e);
    }
    return bytes;
  }

  /**
   * The time a build's {@code SOURCE_DATE_EPOCH} build argument sets (seconds since the Unix epoch,
   * as BuildKit reads it), or null when the argument is not given or empty.
   *
   * @throws IllegalArgumentException when it is not a whole number of seconds
   */
  public static @Nullable Instant sourceDateEpoch(java.util.Map<String, String> args) {
    String v = args.get("SOURCE_DATE_EPOCH");
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(v.strip()));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid SOURCE_DATE_EPOCH build argument \""
              + v
              + "\": give whole seconds since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct)");
    }
  }
}
