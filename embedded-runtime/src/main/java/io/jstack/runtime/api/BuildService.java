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
   * Builds what {@code request} asks of the context directory {@code dir} as it is on this host,
   * read in place (nothing copied, nothing removed), and returns the image's ID. The request gets
   * {@code dir}'s real path; the builder resolves every path inside it, never following a symbolic
   * link out of it.
   *
   * @throws IllegalArgumentException when {@code dir} is not a directory
   */
  String buildInPlace(Path dir, Function<Path, BuildRequest> request, Consumer<String> progress);
}
