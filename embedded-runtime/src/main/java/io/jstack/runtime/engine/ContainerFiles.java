package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The files of containers, for the archive API, as the container sees them: a path below one of its
 * volumes or bind mounts is that mount's (its source's), {@code /etc/hosts}, {@code /etc/hostname}
 * and {@code /etc/resolv.conf} are the files the engine made for it, and any other path is its root
 * file system's. Paths are resolved inside the root or the mount (never out of it, whatever its
 * links say), and tar streams are unpacked with the limits and checks of image layers.
 */
final class ContainerFiles {
  private final ContainerStore store;
  private final Containers containers;
  private final Function<ContainerRecord, List<MountPoint>> mounts;

  ContainerFiles(
      ContainerStore store,
      Containers containers,
      Function<ContainerRecord, List<MountPoint>> mounts) {
    this.store = store;
    this.containers = containers;
    this.mounts = mounts;
  }

  /**
   * What holds a path of a container: a directory (or, for a file mount, the file itself) on the
   * host, the rest of the path below it, and whether it may be written.
   */
  private record Holder(Path base, String rest, boolean writable) {}

  /**
   * The holder of {@code path} (absolute, already normalised): the mount with the longest
   * destination that contains it (a tmpfs has nothing on the host: its mount point in the root
   * stands for it), a generated file, else the root file system.
   */
  private Holder holder(Container c, String path) {
    String id = c.record().id();
    Path generated = containers.generatedFile(id, path);
    if (generated != null) {
      return new Holder(generated, "", true);
    }
    @Nullable MountPoint best = null;
    for (MountPoint m : mounts.apply(c.record())) {
      String d = m.destination();
      boolean inside = path.equals(d) || path.startsWith(d.endsWith("/") ? d : d + "/");
      if (inside
          && !m.type().equals("tmpfs")
          && !m.source().isEmpty()
          && (best == null || d.length() > best.destination().length())) {
        best = m;
      }
    }
    if (best == null) {
      return new Holder(containers.dir(id).resolve("rootfs"), path, true);
    }
    String rest = path.substring(best.destination().length());
    return new Holder(Path.of(best.source()), rest.isEmpty() ? "/" : rest, best.rw());
  }

  /**
   * Where {@code path} of a container is on the host, as Docker's archive endpoints name it:
   * resolved inside its root filesystem (never out of it), the links on the way followed but not a
   * link that is its last element, unless the path ends in {@code /} or {@code /.} (a copy out of
   * {@code /bin/sh} is the link, as dockerd's).
   *
   * @throws EngineException.NotFound when nothing is there
   */
  Path pathIn(String idOrName, String path) {
    String trimmed = path.replaceAll("/+$", "");
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    boolean keepLink =
        !path.endsWith("/") && !last.isEmpty() && !last.equals(".") && !last.equals("..");
    return locate(idOrName, path, keepLink);
  }

  /** Where {@code path} of a container is on the host, every link followed inside its holder. */
  private Path locate(String idOrName, String path, boolean keepLastLink) {
    return locate(store.require(idOrName), path, keepLastLink).base();
  }

  /**
   * Where {@code path} is on the host ({@link Holder#base()}), and whether it may be written: its
   * links followed as the container sees them, through its mounts (a link in the root to a volume's
   * directory leads into the volume), never out of its root or a mount's source.
   */
  private Holder locate(Container c, String path, boolean keepLastLink) {
    java.util.function.Function<String, Path> view = p -> onHost(holder(c, p));
    try {
      String absolute = path.startsWith("/") ? path : "/" + path;
      String trimmed = absolute.replaceAll("/+$", "");
      String resolved;
      if (keepLastLink && !trimmed.isEmpty()) {
        // The links on the way are followed; the last element is taken as it is.
        int slash = trimmed.lastIndexOf('/');
        String dir = RootPaths.resolve(view, trimmed.substring(0, slash + 1));
        resolved = (dir.equals("/") ? "" : dir) + "/" + trimmed.substring(slash + 1);
      } else {
        resolved = RootPaths.resolve(view, absolute);
      }
      Holder h = holder(c, resolved);
      Path p = onHost(h);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new EngineException.NotFound(
            "Could not find the file " + path + " in container " + c.record().name());
      }
      return new Holder(p, "", h.writable());
    } catch (IOException e) {
      throw new EngineException(
          "cannot resolve " + path + " in container " + c.record().name() + ": " + e.getMessage(),
          e);
    }
  }

  /** Where a holder's path is on the host: its base, and the rest (link-free) below it. */
  private static Path onHost(Holder h) {
    Path p = h.base();
    for (String s : h.rest().split("/")) {
      if (!s.isEmpty()) {
        p = p.resolve(s);
      }
    }
    return p;
  }

  /** Unpacks the tar stream {@code archive} into directory {@code dir} of a container. */
  void copyTo(String idOrName, String dir, InputStream archive) {
    // The destination is a directory: a link to one is followed, as dockerd's extract does.
    Holder holder = locate(store.require(idOrName), dir, false);
    if (!holder.writable()) {
      throw new IllegalArgumentException(
          "mounted volume is marked read-only: " + dir + " cannot be written");
    }
    Path target = holder.base();
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "the destination " + dir + " is not a directory in the container");
    }
    try {
      LayerUnpacker.extract(archive, target, LayerUnpacker.Limits.DEFAULT);
    } catch (LayerUnpacker.UnsafeLayerException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (io.jstack.runtime.image.internal.TarReader.Malformed e) {
      throw new EngineException.InvalidArgument(
          "cannot copy into "
              + dir
              + ": the archive is not a valid tar stream ("
              + e.getMessage()
              + "); send a tar archive");
    } catch (IOException e) {
      throw new EngineException("cannot copy into " + dir + ": " + e.getMessage(), e);
    }
  }
}
