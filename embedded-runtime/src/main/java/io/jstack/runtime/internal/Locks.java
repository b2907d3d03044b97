package io.jstack.runtime.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks between threads and between processes on a lock file. A JVM holds one {@code
 * FileChannel.lock} per file and drops it when any channel on that file closes, so this keeps one
 * open channel per file for the life of the process, and a thread lock in front of it.
 */
public final class Locks {
  private Locks() {}

  private record Held(ReentrantLock threads, FileChannel channel) {}

  private static final ConcurrentHashMap<Path, Held> FILES = new ConcurrentHashMap<>();

  /** A held lock; closing releases it. */
  public interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  /** Waits for the exclusive lock on {@code file} (created if missing). */
  public static Lock exclusive(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Held held;
    try {
      held =
          FILES.computeIfAbsent(
              key,
              k -> {
                try {
                  return new Held(
                      new ReentrantLock(),
                      FileChannel.open(k, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    held.threads().lock();
    FileLock lock;
    try {
      lock = held.threads().getHoldCount() > 1 ? null : held.channel().lock();
    } catch (IOException | RuntimeException e) {
      held.threads().unlock();
      throw e;
    }
    return () -> {
      try {
        if (lock != null) {
          lock.release();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        held.threads().unlock();
      }
    };
  }
}
