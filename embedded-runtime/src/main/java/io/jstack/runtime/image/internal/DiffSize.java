package io.jstack.runtime.image.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The size Docker gives a layer ({@code docker history}, the layer store's {@code DiffSize}): the
 * bytes of every entry of its unpacked content but directories, by {@code lstat} (a symbolic link's
 * is its target's length), each file with several hard links once, as moby's {@code
 * pkg/directory.Size} counts them. Links are never followed.
 */
public final class DiffSize {
  private DiffSize() {}

  /** The size of the unpacked layer {@code dir}. */
  public static long of(Path dir) throws IOException {
    long[] total = {0};
    Set<Object> seen = new HashSet<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
            Object key = a.fileKey();
            if (a.size() > 0 && (key == null || seen.add(key))) {
              total[0] += a.size();
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }
}
