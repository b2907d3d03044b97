package io.jstack.runtime.image;

import io.jstack.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Images kept in the store without a tag, each by a named hold: the build cache holds the image
 * each cached step made (Docker's intermediate images), so that removing an unrelated image (which
 * collects garbage) does not take them. One file per hold, {@code <store>/held/<name>}, holding the
 * manifest digest, replaced by rename; its modification time is when the hold was last used. {@link
 * ImageStore#collectGarbage} keeps every held image. Holds are not listed as images.
 */
public final class ImageHolds {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path dir;

  /** The holds of {@code store}. */
  public ImageHolds(ImageStore store) {
    this.dir = dir(store.root());
  }

  static Path dir(Path storeRoot) {
    return storeRoot.resolve("held");
  }

  /** One hold: the image it keeps and when it was last used. */
  public record Hold(String manifest, Instant used) {}

  /**
   * Holds image {@code manifest} under {@code name} (replacing what the name held), used now.
   *
   * @throws IllegalArgumentException when the name is not a plain file name
   */
  public void hold(String name, String manifest) {
    check(name);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".new-", "");
      try {
        Files.writeString(tmp, manifest, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new EngineException("cannot hold image " + manifest + ": " + e.getMessage(), e);
    }
  }

  /** The image {@code name} holds, if any; marks the hold as used now when {@code use}. */
  public Optional<String> get(String name, boolean use) {
    check(name);
    Path f = dir.resolve(name);
    try {
      String manifest = Files.readString(f, StandardCharsets.US_ASCII).strip();
      if (use) {
        Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
      }
      return Optional.of(manifest);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Every hold whose name starts with {@code prefix}, by name. */
  public TreeMap<String, Hold> list(String prefix) {
    return read(dir, prefix);
  }

  /** Releases hold {@code name}; whether it existed. */
  public boolean release(String name) {
    check(name);
    try {
      return Files.deleteIfExists(dir.resolve(name));
    } catch (IOException e) {
      throw new EngineException("cannot release " + name + ": " + e.getMessage(), e);
    }
  }

  /** The holds in {@code dir} whose name starts with {@code prefix}. */
  static TreeMap<String, Hold> read(Path dir, String prefix) {
    TreeMap<String, Hold> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : all) {
        String name = p.getFileName().toString();
        if (!NAME.matcher(name).matches()) {
          continue;
        }
        try {
          out.put(
              name,
              new Hold(
                  Files.readString(p, StandardCharsets.US_ASCII).strip(),
                  Files.getLastModifiedTime(p).toInstant()));
        } catch (NoSuchFileException e) {
          // Released meanwhile.
        }
      }
    } catch (IOException e) {
      throw new EngineException("cannot read the holds in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void check(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a hold's name must be a plain file name: " + name);
    }
  }
}
