package io.jstack.runtime.container.internal;

import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A volume made ready for a container that mounts it: a volume that is still empty gets what the
 * image has at its target (owners, modes and times kept, symbolic links copied as links, never
 * followed), as Docker fills a new volume; one with anything in it is left alone.
 *
 * <p>On disk, {@value #FILLING} beside the volume's {@code _data} says a fill is under way. A fill
 * that did not finish (its engine was killed, or the machine went down) is found by it: its half is
 * not data, so the next container that mounts the volume, whether it fills it or not, empties the
 * volume first and then fills it again from the start (or leaves it empty, as it was before the
 * fill began). Without that, a container that does not fill (nocopy, {@code volumes_from}, an image
 * with nothing there) would see and write into the half, and a later fill would then empty what it
 * wrote.
 *
 * <p>The order on disk is what makes that hold after a machine crash too, not only after a kill of
 * the engine: the marker's entry is synced before the first byte is copied (else a crash could keep
 * copied files and lose the marker, and the next fill, finding the volume not empty, would leave
 * the half), everything copied is synced before the marker goes (else a crash could keep the
 * marker's removal and lose file contents), and the removal is synced before the container gets the
 * volume (else a crash could bring the marker back after the container wrote, and the next fill
 * would empty what it wrote).
 */
final class VolumeFill {
  /** The marker beside a volume's {@code _data} while it is being filled. */
  static final String FILLING = "_filling";

  /** How what was written is made durable; a seam, so that tests can see the order. */
  interface Syncs {
    /** Makes the entries of directory {@code dir} (files made, renamed, deleted) durable. */
    void directory(Path dir) throws IOException;

    /** Makes everything written below {@code dir} durable: data, metadata and entries. */
    void tree(Path dir) throws IOException;
  }

  /**
   * Syncs to the disk: {@code fsync} of a directory, {@code syncfs} of the volume's file system.
   */
  static final Syncs DISK =
      new Syncs() {
        @Override
        public void directory(Path dir) throws IOException {
          try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
          }
        }

        @Override
        public void tree(Path dir) throws IOException {
          // One syncfs instead of an fsync per file: a volume may hold thousands.
          NativeFs.syncFileSystem(dir);
        }
      };

  /** The fill every container's bundle uses. */
  static final VolumeFill ON_DISK = new VolumeFill(DISK);

  /**
   * One fill of a volume at a time: containers created together may share a new volume; one fills
   * it, the others see it filled. Striped by the volume's absolute path.
   */
  private final io.jstack.runtime.internal.StripedLocks fills =
      new io.jstack.runtime.internal.StripedLocks(64);

  private final Syncs syncs;

  VolumeFill(Syncs syncs) {
    this.syncs = syncs;
  }

  /** The monitor that a fill of {@code volume} holds. */
  private Object stripe(Path volume) {
    return fills.of(volume.toAbsolutePath().normalize());
  }

  /**
   * Makes {@code volume} (a volume's {@code _data}) ready to be mounted: a fill that did not finish
   * is undone; then, when {@code from} (the image's directory at the mount's target; null when this
   * mount does not fill) is a directory and the volume is empty, the volume gets a copy of it.
   */
  void prepare(Path volume, @Nullable Path from) throws IOException {
    synchronized (stripe(volume)) {
      Path beside = volume.toAbsolutePath().getParent();
      if (beside == null) {
        throw new IllegalArgumentException("a volume's data has a directory beside it: " + volume);
      }
      Path marker = beside.resolve(FILLING);
      boolean unfinished = Files.exists(marker, LinkOption.NOFOLLOW_LINKS);
      if (unfinished) {
        empty(volume);
      }
      if (from != null && Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS) && isEmpty(volume)) {
        if (!unfinished) {
          Files.createFile(marker);
        }
        // Also a marker found: the fill that made it may have been killed before it synced it.
        syncs.directory(beside);
        copyTree(from, volume);
        syncs.tree(volume);
      } else if (!unfinished) {
        return;
      }
      Files.delete(marker);
      syncs.directory(beside);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> inside = Files.list(dir)) {
      return inside.findAny().isEmpty();
    }
  }

  private static void empty(Path dir) throws IOException {
    try (Stream<Path> inside = Files.list(dir)) {
      for (Path p : inside.toList()) {
        LayerUnpacker.removeTree(p);
      }
    }
  }

  private static void copyTree(Path from, Path volume) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Path to = volume.resolve(from.relativize(d).toString());
            Files.createDirectories(to);
            copyOwnerAndMode(d, to);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Path to = volume.resolve(from.relativize(f).toString());
            if (a.isRegularFile() || a.isSymbolicLink()) {
              Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
              Files.setAttribute(
                  to,
                  "unix:uid",
                  Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                  LinkOption.NOFOLLOW_LINKS);
              Files.setAttribute(
                  to,
                  "unix:gid",
                  Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS),
                  LinkOption.NOFOLLOW_LINKS);
              if (a.isRegularFile()) {
                Files.setAttribute(to, "unix:mode", Files.getAttribute(f, "unix:mode"));
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copyOwnerAndMode(Path from, Path to) throws IOException {
    Files.setAttribute(
        to, "unix:uid", Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    Files.setAttribute(
        to, "unix:gid", Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    Files.setAttribute(
        to, "unix:mode", Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS));
  }
}
