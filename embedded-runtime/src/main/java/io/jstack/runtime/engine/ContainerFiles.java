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
   * Where {@code path} of a container is on the host (resolved inside its root filesystem, never
   * out of it).
   *
   * @throws EngineException.NotFound when nothing is there
   */
  Path pathIn(String idOrName, String path) {
    Container c = store.require(idOrName);
    try {
      Path p = RootPaths.resolve(containers.dir(c.record().id()).resolve("rootfs"), path);
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
    Path target = pathIn(idOrName, dir);
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
