package io.jstack.runtime.build.internal;

import io.jstack.runtime.image.internal.Digests;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The content hashes of files the build cache has read, keyed by what {@code stat} says of them
 * (path, size, modification and change time to the nanosecond, inode), so that a file nobody
 * changed is not read again: one text file, {@code <data-root>/build-cache/content-hashes}, one
 * line per file, replaced by rename so that a crash leaves the old one or the new. Touching a file
 * changes its times, so it is read again, and gives the same hash. A file changed less than {@link
 * #SETTLE} ago is not remembered: a write in the same clock tick as the read would keep its times
 * (git's "racily clean" files). Entries of files that are gone are dropped when the file is saved.
 */
public final class ContentHashes {
  /** How old a file's times must be for its hash to be remembered. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** What stat said of a file when it was hashed, and the hash. */
  private record Entry(long size, long modified, long changed, long inode, String hash) {}

  private final Path file;
  private final Duration settle;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger reads =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean dirty;

  private ContentHashes(Path file, Duration settle) {
    this.file = file;
    this.settle = settle;
  }

  /** The hashes remembered in {@code file}; none when it is missing or unreadable. */
  public static ContentHashes load(Path file) {
    return load(file, SETTLE);
  }

  /** As {@link #load(Path)}, remembering files whose times are older than {@code settle}. */
  static ContentHashes load(Path file, Duration settle) {
    ContentHashes h = new ContentHashes(file, settle);
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ", 6);
        if (f.length == 6) {
          h.entries.put(
              f[5],
              new Entry(
                  Long.parseLong(f[1]),
                  Long.parseLong(f[2]),
                  Long.parseLong(f[3]),
                  Long.parseLong(f[4]),
                  f[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // A missing or damaged file only means files are read again.
      h.entries.clear();
    }
    return h;
  }

  /**
   * The SHA-256 of regular file {@code p}'s content, {@code attrs} being its {@code
   * unix:size,lastModifiedTime,ctime,ino} attributes read just before.
   */
  public String hash(Path p, Map<String, Object> attrs) throws IOException {
    String key = p.toAbsolutePath().toString();
    long size = (Long) attr(attrs, "size");
    long modified = nanos((FileTime) attr(attrs, "lastModifiedTime"));
    long changed = nanos((FileTime) attr(attrs, "ctime"));
    long inode = (Long) attr(attrs, "ino");
    Entry e = entries.get(key);
    if (e != null
        && e.size == size
        && e.modified == modified
        && e.changed == changed
        && e.inode == inode) {
      return e.hash;
    }
    reads.incrementAndGet();
    MessageDigest d = Digests.sha256();
    try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    String hash = Digests.format(d.digest()).substring(7);
    long settled = nanos(FileTime.from(Instant.now().minus(settle)));
    if (modified < settled && changed < settled && key.indexOf('\n') < 0) {
      entries.put(key, new Entry(size, modified, changed, inode, hash));
      dirty = true;
    } else {
      entries.remove(key);
    }
    return hash;
  }

  /** Writes the hashes back when any changed, leaving out files that are gone. */
  public synchronized void save() {
    if (!dirty) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".content-hashes-", "");
      try {
        write(tmp);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        dirty = false;
      } finally {
        // Not kept half-written on a full disk: the old file stays whole.
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      // Not remembered: the next build reads the files again.
    }
  }

  /** Writes the entries of files that are still there to {@code tmp}. */
  private void write(Path tmp) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, Entry> m : List.copyOf(entries.entrySet())) {
        if (!Files.exists(Path.of(m.getKey()), NOFOLLOW)) {
          continue;
        }
        Entry e = m.getValue();
        w.write(
            String.join(
                " ",
                e.hash,
                String.valueOf(e.size),
                String.valueOf(e.modified),
                String.valueOf(e.changed),
                String.valueOf(e.inode),
                m.getKey()));
        w.write('\n');
      }
    }
  }

  /** How many files this has read (not found remembered). */
  int reads() {
    return reads.get();
  }

  private static long nanos(FileTime t) {
    Instant i = t.toInstant();
    return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
  }

  private static Object attr(Map<String, Object> a, String name) {
    return java.util.Objects.requireNonNull(
        a.get(name), () -> "Linux gives every file unix:" + name);
  }
}
