package io.jstack.runtime.build.internal;

import io.jstack.engine.EngineException;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The images earlier builds' steps made, by step key: one file per key under {@code
 * <data-root>/build-cache/}, holding the manifest digest of the step's image, written by rename so
 * that a crash leaves a whole entry or none. A key is the parent image, the step as planned (its
 * substituted instruction, the build arguments it uses) and for COPY and ADD a digest of what they
 * read; it never depends on times. An entry whose image the store no longer has whole is a miss.
 */
public final class BuildCache {
  private final Path dir;
  private final ImageStore store;

  public BuildCache(Path dir, ImageStore store) {
    this.dir = dir;
    this.store = store;
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
    Path f = dir.resolve(key);
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      String manifest = Files.readString(f, StandardCharsets.US_ASCII).strip();
      if (!store.hasBlob(manifest)) {
        return Optional.empty();
      }
      ImageStore.Image image = store.image(manifest);
      for (int i = 0; i < image.layers().size(); i++) {
        if (!store.hasBlob(image.layers().get(i).digest())
            || store.layer(image.diffIds().get(i)).isEmpty()) {
          return Optional.empty();
        }
      }
      return Optional.of(manifest);
    } catch (IOException | EngineException e) {
      return Optional.empty();
    }
  }

  /** Remembers that the step with {@code key} made image {@code manifest}. */
  public void put(String key, String manifest) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".new-", "");
      Files.writeString(tmp, manifest, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(key), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // A cache that cannot be written only makes the next build slower.
    }
  }

  /**
   * The time a build's {@code SOURCE_DATE_EPOCH} build argument sets (seconds since the Unix epoch,
   * as BuildKit reads it), or null when the argument is not given or empty.
   *
   * @throws IllegalArgumentException when it is not a whole number of seconds
   */
  public static java.time.@Nullable Instant sourceDateEpoch(java.util.Map<String, String> args) {
    String v = args.get("SOURCE_DATE_EPOCH");
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return java.time.Instant.ofEpochSecond(Long.parseLong(v.strip()));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "invalid SOURCE_DATE_EPOCH build argument \""
              + v
              + "\": give whole seconds since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct)");
    }
  }
}
