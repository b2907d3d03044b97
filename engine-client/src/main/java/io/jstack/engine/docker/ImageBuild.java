package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.http.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A classic-builder build over the Engine API ({@code POST /build}): the {@link BuildSpec} as query
 * parameters, the context streamed as a tar while the engine reads it (an inline Dockerfile added
 * to it), and the image id picked out of the build's output. To jstack's embedded engine on this
 * host, the context goes as its directory instead ({@code jstack-context}, which that engine reads
 * in place): no tar is written, sent and unpacked. A Dockerfile outside the context or inline still
 * goes in a tar.
 */
final class ImageBuild {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;
  private final DockerImages images;

  ImageBuild(DockerApi api, DockerImages images) {
    this.api = api;
    this.images = images;
  }

  /**
   * Builds {@code spec}, handing each line of the build's output to {@code progress}; returns the
   * id of the image built.
   */
  String build(BuildSpec spec, Consumer<String> progress) {
    String dockerfile = spec.dockerfile() == null ? "Dockerfile" : spec.dockerfile();
    String[] inline = null;
    if (spec.dockerfileInline() != null) {
      // Named after the file it stands for (spec.dockerfile, by default Dockerfile): the jstack
      // engine's errors give that name, as BuildKit's would (DockerfileException.nameOf).
      dockerfile = ".jstack-inline." + dockerfile.substring(dockerfile.lastIndexOf('/') + 1);
      inline = new String[] {dockerfile, spec.dockerfileInline()};
    }
    String query = query(spec, dockerfile);
    String what = "build image " + (spec.tags().isEmpty() ? spec.context() : spec.tags().get(0));
    HttpRequest request;
    if (inline == null && api.localJstackEngine() && Files.isDirectory(spec.context())) {
      String dir = spec.context().toAbsolutePath().normalize().toString();
      request =
          HttpRequest.postStream(
              query + "&jstack-context=" + encode(dir),
              "application/x-tar",
              InputStream.nullInputStream());
      // Where docker build says "Sending build context to Docker daemon".
      progress.accept("Build context " + dir + ": read in place by the engine");
    } else {
      DockerIgnore ignore;
      try {
        ignore = ContextTar.ignore(spec.context(), dockerfile);
      } catch (DockerIgnore.PatternException e) {
        // Here, not in the thread that writes the tar, where it would only cut the context short.
        throw new EngineException(what + " failed: " + e.getMessage(), e);
      }
      request =
          HttpRequest.postStream(
              query, "application/x-tar", context(spec, dockerfile, ignore, inline));
    }
    // The aux ID (the whole ID) wins over "Successfully built" (a short one), which dockerd's
    // classic builder prints after it.
    String[] id = {""};
    api.stream(
        request,
        what,
        what + " failed",
        n -> {
          for (String l : n.path("stream").asText("").split("\n")) {
            if (!l.isBlank()) {
              progress.accept(l);
            }
            if (l.startsWith("Successfully built ") && !id[0].startsWith("sha256:")) {
              id[0] = l.substring("Successfully built ".length()).strip();
            }
          }
          if (n.path("aux").has("ID")) {
            id[0] = n.path("aux").path("ID").asText();
          }
        });
    if (id[0].isEmpty()) {
      throw new EngineException(what + " failed: the engine did not report an image id");
    }
    if (id[0].startsWith("sha256:")) {
      // The aux ID is the image's whole ID already: no inspect round trip.
      return id[0];
    }
    return images
        .inspect(spec.tags().isEmpty() ? id[0] : spec.tags().get(0))
        .map(ImageInfo::id)
        .orElse(id[0]);
  }

  /** {@code /build} with the spec's options. */
  static String query(BuildSpec spec, String dockerfile) {
    StringBuilder q = new StringBuilder("/build?rm=1&forcerm=1");
    for (String tag : spec.tags()) {
      q.append("&t=").append(encode(tag));
    }
    q.append("&dockerfile=").append(encode(dockerfile));
    ObjectNode args = F.objectNode();
    spec.args().forEach(args::put);
    q.append("&buildargs=").append(encode(JsonTrees.text(args)));
    ObjectNode labels = F.objectNode();
    new TreeMap<>(spec.labels()).forEach(labels::put);
    q.append("&labels=").append(encode(JsonTrees.text(labels)));
    if (spec.target() != null) {
      q.append("&target=").append(encode(spec.target()));
    }
    if (spec.noCache()) {
      q.append("&nocache=1");
    }
    if (spec.pull()) {
      q.append("&pull=1");
    }
    if (spec.network() != null) {
      q.append("&networkmode=").append(encode(spec.network()));
    }
    if (spec.shmSizeBytes() != null) {
      q.append("&shmsize=").append(spec.shmSizeBytes());
    }
    if (spec.platform() != null) {
      q.append("&platform=").append(encode(spec.platform()));
    }
    if (!spec.cacheFrom().isEmpty()) {
      com.fasterxml.jackson.databind.node.ArrayNode from = F.arrayNode();
      spec.cacheFrom().forEach(from::add);
      q.append("&cachefrom=").append(encode(JsonTrees.text(from)));
    }
    if (!spec.secrets().isEmpty()) {
      // jstack's extension (its engine's BuildRoutes); dockerd ignores a parameter it does not
      // know.
      ObjectNode secrets = F.objectNode();
      spec.secrets().forEach((id, file) -> secrets.put(id, file.toAbsolutePath().toString()));
      q.append("&jstack-secrets=").append(encode(JsonTrees.text(secrets)));
    }
    return q.toString();
  }

  /** The build context as a tar, written by a thread of its own while the engine reads it. */
  private static PipedInputStream context(
      BuildSpec spec, String dockerfile, DockerIgnore ignore, String @Nullable [] inline) {
    PipedInputStream tar = new PipedInputStream(256 * 1024);
    PipedOutputStream sink;
    try {
      sink = new PipedOutputStream(tar);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread writer =
        new Thread(
            () -> {
              try (sink) {
                ContextTar.write(spec.context(), dockerfile, ignore, inline, sink);
              } catch (IOException e) {
                // The reader sees the stream end early and the engine reports the broken context.
              }
            },
            "jstack-build-context");
    writer.setDaemon(true);
    writer.start();
    return tar;
  }
}
