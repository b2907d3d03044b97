package io.jstack.runtime;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The lock a command holds while it changes a project's containers, networks or volumes on one
 * engine, so that two such commands on one project (two {@code up}, an {@code up} and a {@code
 * down}) run one after the other instead of interleaving: two plans made from the same reading of
 * the engine would both create the same containers. Commands that only read take no lock.
 *
 * <p>It is an exclusive lock on {@code <directory>/jstack-<project>-<engine hash>.lock}, held by
 * one thread: the kernel releases it when its process dies, {@code kill -9} included, and a command
 * the engine runs for a thin client releases it when its thread leaves the command, by an exception
 * or an interrupt (a client's Ctrl-C) too. Java's file locks are POSIX record locks: a JVM holds
 * one per file ({@code FileChannel.lock} throws {@link
 * java.nio.channels.OverlappingFileLockException} for a second) and loses it when any descriptor it
 * has on the file closes. So the threads of one JVM first queue on a lock of this class per file,
 * and only the thread at the head opens the file; nothing else here opens it. The holder writes who
 * it is into the file for waiters to say. The holder deletes the file as it releases the lock, so
 * nothing of a project stays once its commands are done. A waiter may then hold the lock of the
 * unlinked file while a newcomer locks a new one at the same path, so a taker checks, once it holds
 * a lock, that its open file is still the one at the path, and starts again when it is not; it
 * finds its open file through {@code /proc/self/fd} (opening the path again would drop the lock).
 * Where there is no {@code /proc}, the files stay (one per project and engine, empty but for that
 * line).
 *
 * <p>The lock is local to this host, keyed by the engine's address as this client reaches it and
 * the project's name. That is enough: what it prevents is two plans made at once from the same
 * state; commands that come one after the other need nothing, since the planner reconciles what the
 * engine has (a second {@code up} after the first finds nothing to do). Clients on other hosts of a
 * remote engine, or of other users on the fallback directory ({@link #directory}), are not ordered
 * with these; for them the engine's name conflicts remain what they were without the lock.
 */
public final class ProjectLock implements AutoCloseable {
  /**
   * Where the locks of engines that are not the embedded one live: the host's directory for lock
   * files (a tmpfs, emptied on reboot), as the engine's firewall lock.
   */
  static final Path HOST_DIRECTORY = Path.of("/run/lock");

  /** One queue per lock file for the threads of this JVM, with how many threads are in it. */
  private static final Map<Path, Queue> QUEUES = new ConcurrentHashMap<>();

  /** This process's open descriptors, as links to what they have open. */
  private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

  private static final class Queue {
    final ReentrantLock lock = new ReentrantLock(true);
    int users;

    /** Who holds it in this JVM, for the line its waiters say; null when nobody does. */
    volatile @Nullable String holder;
  }

  private final Path file;
  private final Queue queue;
  private final FileChannel channel;
  private boolean released;

  private ProjectLock(Path file, Queue queue, FileChannel channel) {
    this.file = file;
    this.queue = queue;
    this.channel = channel;
  }

  /**
   * Takes the lock of {@code project} on the engine {@code kind} and {@code env} select (as {@link
   * Engines#open} would connect), waiting while another command holds it; {@code waiting} gets,
   * once and before the wait, a line saying what it waits for.
   *
   * @param command what the taker is, for the line a waiter sees (e.g. {@code jstack up})
   * @throws InterruptedException when the thread is interrupted while it waits
   * @throws EngineException when the lock file cannot be made or locked, saying where
   */
  public static ProjectLock take(
      Engines.Kind kind,
      Map<String, String> env,
      String project,
      String command,
      Consumer<String> waiting)
      throws InterruptedException {
    return take(file(kind, env, project), project, command, waiting);
  }

  /**
   * The file of {@code project}'s lock on the engine {@code kind} and {@code env} select; it exists
   * while a command holds the lock (or one was killed holding it).
   */
  public static Path file(Engines.Kind kind, Map<String, String> env, String project) {
    String address =
        kind == Engines.Kind.embedded
            ? new EngineAddress.Unix(Engines.embeddedSocket(env)).toString()
            : EngineAddress.fromEnvironment(env).toString();
    return directory(kind, env).resolve(fileName(project, address));
  }

  /**
   * Where the locks of the engine {@code kind} and {@code env} select live: beside the embedded
   * engine's socket (its run directory; {@code /run/jstack/locks} for the default socket), for a
   * Docker engine in {@code /run/lock}; when that cannot be written (a user that is not root), in
   * the user's own runtime directory.
   */
  static Path directory(Engines.Kind kind, Map<String, String> env) {
    Path preferred =
        kind == Engines.Kind.embedded
            ? Engines.embeddedSocket(env).toAbsolutePath().resolveSibling("locks")
            : HOST_DIRECTORY;
    if (usable(preferred)) {
      return preferred;
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    return runtime != null && runtime.startsWith("/")
        ? Path.of(runtime, "jstack", "locks")
        : Path.of(
            System.getProperty("java.io.tmpdir"),
            "jstack-locks-" + System.getProperty("user.name"));
  }

  private static boolean usable(Path directory) {
    try {
      Files.createDirectories(directory);
      return Files.isWritable(directory);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** The lock file's name: jstack's, the project's name and a hash of the engine's address. */
  static String fileName(String project, String engineAddress) {
    String readable = project.replaceAll("[^A-Za-z0-9_.-]", "_");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((engineAddress + "\n" + project).getBytes(StandardCharsets.UTF_8));
      return "jstack-" + readable + "-" + HexFormat.of().formatHex(hash, 0, 6) + ".lock";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Takes the lock on {@code file} (made if missing, in a directory that exists or is made) for
   * {@code project}, as {@link #take(Engines.Kind, Map, String, String, Consumer)} does.
   *
   * @throws IllegalStateException when this thread holds it already (a command takes it once)
   */
  static ProjectLock take(Path file, String project, String command, Consumer<String> waiting)
      throws InterruptedException {
    Path key = file.toAbsolutePath().normalize();
    Queue queue = enter(key);
    boolean said = false;
    try {
      if (queue.lock.isHeldByCurrentThread()) {
        throw new IllegalStateException(
            "this thread holds the lock of project " + project + " already (" + key + ")");
      }
      if (!queue.lock.tryLock()) {
        waiting.accept(waitingLine(project, queue.holder));
        said = true;
        queue.lock.lockInterruptibly();
      }
    } catch (InterruptedException | RuntimeException e) {
      leave(key, queue);
      throw e;
    }
    String holder = command + ", pid " + ProcessHandle.current().pid();
    FileChannel channel = null;
    try {
      Path parent = key.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      while (true) {
        channel =
            FileChannel.open(
                key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
          if (!said) {
            waiting.accept(waitingLine(project, read(channel)));
            said = true;
          }
          channel.lock();
        }
        if (stillAtItsPath(key)) {
          break;
        }
        // Its holder deleted it as it let go: the lock that counts is the one at the path now.
        channel.close();
        channel = null;
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      queue.holder = holder;
      return new ProjectLock(key, queue, channel);
    } catch (ClosedByInterruptException | FileLockInterruptionException e) {
      giveUp(key, queue, channel);
      Thread.interrupted(); // Said as the exception instead.
      throw new InterruptedException("interrupted while waiting for the lock of " + key);
    } catch (IOException e) {
      giveUp(key, queue, channel);
      throw new EngineException(
          "cannot lock project "
              + project
              + " with "
              + key
              + ": "
              + e
              + " (check that its directory can be written, or remove what is in the way)",
          e);
    } catch (RuntimeException | Error e) {
      giveUp(key, queue, channel);
      throw e;
    }
  }

  /** What another process's holder wrote into the file: who it is; empty when unreadable. */
  private static String read(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(512);
      channel.read(buf, 0);
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    } catch (IOException unreadable) {
      return "";
    }
  }

  private static String waitingLine(String project, @Nullable String holder) {
    return "jstack: waiting for another command on project "
        + project
        + " to finish"
        + (holder == null || holder.isBlank() ? "" : " (" + holder + ")");
  }

  /**
   * Whether the file this JVM holds open at {@code key} (one descriptor: only the thread at the
   * head of the queue opens it) is still the one the path names, not an unlinked one. True where
   * there is no {@code /proc}: there, files are never deleted.
   */
  private static boolean stillAtItsPath(Path key) throws IOException {
    if (!Files.isDirectory(OWN_DESCRIPTORS)) {
      return true;
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_DESCRIPTORS)) {
      for (Path fd : fds) {
        Path target;
        try {
          target = Files.readSymbolicLink(fd);
        } catch (IOException closedMeanwhile) {
          continue;
        }
        // An unlinked file's descriptor reads "<path> (deleted)".
        if (target.equals(key)) {
          try {
            return Files.isSameFile(fd, key);
          } catch (NoSuchFileException gone) {
            return false;
          }
        }
      }
    }
    return false;
  }

  private static void giveUp(Path key, Queue queue, @Nullable FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException closed) {
      // Its descriptor is gone either way.
    } finally {
      queue.lock.unlock();
      leave(key, queue);
    }
  }

  private static Queue enter(Path key) {
    return QUEUES.compute(
        key,
        (k, q) -> {
          Queue queue = q != null ? q : new Queue();
          queue.users++;
          return queue;
        });
  }

  private static void leave(Path key, Queue queue) {
    QUEUES.computeIfPresent(key, (k, q) -> q == queue && --q.users == 0 ? null : q);
  }

  /** Whether a thread of this JVM holds or waits for the lock on {@code file} (for tests). */
  static boolean inUse(Path file) {
    return QUEUES.containsKey(file.toAbsolutePath().normalize());
  }

  /**
   * Releases the lock; the thread that took it must release it. Closing twice does nothing more.
   */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    queue.holder = null;
    if (Files.isDirectory(OWN_DESCRIPTORS)) {
      try {
        // Deleted while locked: a waiter on it then sees it gone from the path and starts again.
        Files.deleteIfExists(file);
      } catch (IOException kept) {
        // It stays, as where there is no /proc; the next taker locks it as it is.
      }
    }
    giveUp(file, queue, channel);
  }
}
