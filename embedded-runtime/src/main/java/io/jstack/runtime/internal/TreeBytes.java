package io.jstack.runtime.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The bytes a directory tree holds, as Docker reports what a prune reclaims. */
public final class TreeBytes {
  private TreeBytes() {}

  /**
   * The sizes of the regular files below {@code dir} (links not followed), summed; 0 when it is
   * gone. Only reported: a file that goes while it is counted counts nothing.
   */
  public static long of(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException gone) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
