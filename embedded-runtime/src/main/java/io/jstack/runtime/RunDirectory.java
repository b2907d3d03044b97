package io.jstack.runtime;

import io.jstack.engine.EngineException;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The engine's run-time directory ({@link DataRoot#run()}) in memory: a tmpfs, mounted there when
 * the directory is not on one already, so that the runtime's state and conmon's files cost no disk
 * writes on each create, start and exit.
 *
 * <p>The tmpfs holds a marker ({@value #MARKER}) that says jstack mounted it: an engine that finds
 * one (left by an engine that stopped while containers ran, or was killed) takes it as its own.
 * When the engine stops, the tmpfs is unmounted unless a container still has run-time state in it
 * (one running, or exited and not removed): that state must outlive the engine, as its containers
 * do.
 */
public final class RunDirectory implements AutoCloseable {
  /** The marker file of a tmpfs jstack mounted. */
  static final String MARKER = ".jstack-tmpfs";

  private final Path dir;
  private final boolean ours;

  private RunDirectory(Path dir, boolean ours) {
    this.dir = dir;
    this.ours = ours;
  }

  /**
   * Makes the run-time directory of {@code root} and mounts a tmpfs there unless it is on one.
   *
   * @throws EngineException when the directory cannot be made or the tmpfs mounted
   */
  public static RunDirectory open(DataRoot root) {
    Path dir = root.run();
    try {
      Files.createDirectories(dir);
      if (onTmpfs(dir)) {
        return new RunDirectory(dir, Files.exists(dir.resolve(MARKER)));
      }
      if (!isEmpty(dir)) {
        // Files a former engine left on disk (no tmpfs then): a container of theirs may run yet.
        return new RunDirectory(dir, false);
      }
      NativeFs.mountTmpfs(dir, 0711, 0);
      Files.writeString(dir.resolve(MARKER), "mounted by the jstack engine\n");
      return new RunDirectory(dir, true);
    } catch (IOException e) {
      throw new EngineException(
          "cannot keep the engine's run-time state in memory at "
              + dir
              + ": "
              + e.getMessage()
              + "; the engine runs as root and needs to mount a tmpfs there",
          e);
    }
  }

  /** Where it is. */
  public Path path() {
    return dir;
  }

  /** Whether the directory is a tmpfs jstack mounted (and so unmounts). */
  public boolean mountedByJstack() {
    return ours;
  }

  /**
   * Unmounts the tmpfs jstack mounted, unless a container has run-time state there; returns why it
   * stays mounted, or null when it went (or was never jstack's).
   */
  public @org.jspecify.annotations.Nullable String release() throws IOException {
    if (!ours) {
      return null;
    }
    Path containers = dir.resolve("containers");
    if (Files.isDirectory(containers) && !isEmpty(containers)) {
      try (Stream<Path> held = Files.list(containers)) {
        return "keeping the run-time tmpfs at "
            + dir
            + ": "
            + held.count()
            + " container(s) not removed keep their state there";
      }
    }
    NativeFs.unmount(dir);
    if (onTmpfs(dir)) {
      throw new IOException("the tmpfs at " + dir + " is still mounted after unmounting it");
    }
    LayerUnpacker.removeTree(dir);
    return null;
  }

  @Override
  public void close() throws IOException {
    release();
  }

  private static boolean onTmpfs(Path dir) throws IOException {
    return Files.getFileStore(dir).type().equals("tmpfs");
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.findAny().isEmpty();
    }
  }
}
