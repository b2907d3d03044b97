package io.jstack.cli.internal.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The files that change below some paths (directories watched with every directory below them, or
 * single files through their directory), reported in batches: a batch ends once no change came for
 * {@link #QUIET}, or {@link #LONGEST} after its first change, so that an editor's save or a {@code
 * git checkout} is one batch. A directory made meanwhile is watched from then on, and what it holds
 * already is reported as changed.
 */
public final class FileChanges implements AutoCloseable {
  /** How long no change must come for a batch to end. */
  static final Duration QUIET = Duration.ofMillis(60);

  /** The longest a batch waits for its changes to settle. */
  static final Duration LONGEST = Duration.ofMillis(500);

  private final WatchService service;
  private final Map<WatchKey, Path> directories = new HashMap<>();
  private final List<Path> roots;

  /**
   * Watches {@code roots} (each a directory or a file; one that does not exist yet is watched
   * through the nearest directory above it that does).
   *
   * @throws IOException when a directory cannot be watched (the user's limit on inotify watches)
   */
  public FileChanges(List<Path> roots) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    for (Path root : this.roots) {
      Path dir = root;
      while (dir != null && !Files.isDirectory(dir)) {
        dir = dir.getParent();
      }
      if (dir != null) {
        if (dir.equals(root)) {
          registerTree(dir, null);
        } else {
          register(dir);
        }
      }
    }
  }

  /**
   * The next batch of changed paths below the roots (made, written or deleted), waiting for the
   * first change as long as it takes.
   *
   * @throws InterruptedException when interrupted while waiting
   * @throws ClosedWatchServiceException once closed
   */
  public Set<Path> next() throws InterruptedException, IOException {
    while (true) {
      Set<Path> changed = new TreeSet<>();
      take(service.take(), changed);
      long deadline = System.nanoTime() + LONGEST.toNanos();
      while (true) {
        long left = Math.min(QUIET.toNanos(), deadline - System.nanoTime());
        WatchKey key = left > 0 ? service.poll(left, TimeUnit.NANOSECONDS) : null;
        if (key == null) {
          break;
        }
        take(key, changed);
      }
      // Neighbours of a watched file change in its directory too: they are no change of ours.
      changed.removeIf(p -> roots.stream().noneMatch(p::startsWith));
      if (!changed.isEmpty()) {
        return changed;
      }
    }
  }

  private void take(WatchKey key, Set<Path> changed) throws IOException {
    Path dir = directories.get(key);
    for (WatchEvent<?> e : key.pollEvents()) {
      if (dir == null || e.kind() == StandardWatchEventKinds.OVERFLOW) {
        // Too many at once: everything below the roots may have changed.
        for (Path root : roots) {
          if (Files.isDirectory(root)) {
            registerTree(root, changed);
          } else {
            changed.add(root);
          }
        }
        continue;
      }
      Path p = dir.resolve((Path) e.context());
      changed.add(p);
      if (e.kind() == StandardWatchEventKinds.ENTRY_CREATE
          && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
          && roots.stream().anyMatch(p::startsWith)) {
        registerTree(p, changed);
      }
    }
    if (!key.reset()) {
      directories.remove(key);
    }
  }

  /** Watches {@code top} and every directory below it; adds what is there to {@code found}. */
  private void registerTree(Path top, java.util.@org.jspecify.annotations.Nullable Set<Path> found)
      throws IOException {
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            register(d);
            if (found != null && !d.equals(top)) {
              found.add(d);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
            if (found != null) {
              found.add(f);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE; // Gone meanwhile.
          }
        });
  }

  private void register(Path dir) throws IOException {
    if (directories.containsValue(dir)) {
      return;
    }
    WatchKey key =
        dir.register(
            service,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
    directories.put(key, dir);
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
