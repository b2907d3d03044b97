package io.jstack.runtime.api;

import io.jstack.runtime.build.BuildRequest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/** What {@link BuildRoutes} needs of the engine: a Dockerfile build from a context archive. */
interface BuildService {
  /**
   * Unpacks the tar {@code context} into a directory of its own, builds what {@code request} asks
   * of that directory, tells {@code progress} the lines {@code docker build} prints, removes the
   * directory, and returns the image's ID.
   *
   * @throws io.jstack.runtime.build.DockerfileException naming the line that failed
   */
  String build(
      InputStream context, Function<Path, BuildRequest> request, Consumer<String> progress);

  /**
   * Reclaims the build cache as {@code docker builder prune} does; see {@link
   * io.jstack.runtime.build.ImageBuilder#pruneCache}.
   */
  default io.jstack.runtime.build.CachePruned pruneBuildCache(
      boolean all, long keepStorage, java.time.@org.jspecify.annotations.Nullable Instant until) {
    // A server without builds (route tests of other resources) has no cache either.
    throw new UnsupportedOperationException("this server builds no images");
  }

  /**
   * Builds what {@code request} asks of the context directory {@code dir} as it is on this host,
   * read in place (nothing copied, nothing removed), and returns the image's ID. The request gets
   * {@code dir}'s real path; the builder resolves every path inside it, never following a symbolic
   * link out of it.
   *
   * @throws IllegalArgumentException when {@code dir} is not a directory
   */
  String buildInPlace(Path dir, Function<Path, BuildRequest> request, Consumer<String> progress);
}
