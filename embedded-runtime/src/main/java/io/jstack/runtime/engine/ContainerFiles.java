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

/**
 * The files of containers, for the archive API: paths resolved inside a container's root file
 * system (never out of it, whatever its links say), and tar streams unpacked into it with the
 * limits and checks of image layers.
 */
final class ContainerFiles {
  private final ContainerStore store;
  private final Containers containers;

  ContainerFiles(ContainerStore store, Containers containers) {
    this.store = store;
    this.containers = containers;
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

  /** Where {@code path} of a container is on the host, every link followed inside its root. */
  private Path locate(String idOrName, String path, boolean keepLastLink) {
    Container c = store.require(idOrName);
    try {
      Path root = containers.dir(c.record().id()).resolve("rootfs");
      Path p;
      if (keepLastLink) {
        String trimmed = path.replaceAll("/+$", "");
        int slash = trimmed.lastIndexOf('/');
        p =
            RootPaths.resolve(root, trimmed.substring(0, slash + 1))
                .resolve(trimmed.substring(slash + 1));
      } else {
        p = RootPaths.resolve(root, path);
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new EngineException.NotFound(
            "Could not find the file " + path + " in container " + c.record().name());
      }
      return p;
    } catch (IOException e) {
      throw new EngineException(
          "cannot resolve " + path + " in container " + c.record().name() + ": " + e.getMessage(),
          e);
    }
  }

  /** Unpacks the tar stream {@code archive} into directory {@code dir} of a container. */
  void copyTo(String idOrName, String dir, InputStream archive) {
    // The destination is a directory: a link to one is followed, as dockerd's extract does.
    Path target = locate(idOrName, dir, false);
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "the destination " + dir + " is not a directory in the container");
    }
    try {
      LayerUnpacker.extract(archive, target, LayerUnpacker.Limits.DEFAULT);
    } catch (LayerUnpacker.UnsafeLayerException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IOException e) {
      throw new EngineException("cannot copy into " + dir + ": " + e.getMessage(), e);
    }
  }
}
