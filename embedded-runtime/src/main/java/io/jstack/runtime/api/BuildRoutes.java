package io.jstack.runtime.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.build.BuildRequest;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /build}: the classic builder's protocol as dockerd serves it ({@code
 * api/server/router/build/build_routes.go}): the context as a tar body, the options as query
 * parameters, and a stream of JSON lines, {@code stream} text, then {@code aux} with the image ID,
 * or an {@code error}.
 *
 * <p>A jstack extension: query parameter {@value #CONTEXT_DIRECTORY}, an absolute directory on the
 * engine's host, which the builder then reads in place instead of a tar body (no archive written,
 * sent and unpacked; the engine applies {@code .dockerignore} itself, as it does to an uploaded
 * context). It is honoured only over the engine's unix socket, and only for a client whose user
 * (the socket's peer credentials) is root or owns the directory; paths below it are resolved inside
 * it, never following a symbolic link out. Any body is ignored then.
 */
final class BuildRoutes {
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  /** The query parameter naming a context directory on the engine's host. */
  static final String CONTEXT_DIRECTORY = "jstack-context";

  private final BuildService builds;

  BuildRoutes(BuildService builds) {
    this.builds = builds;
  }

  void register(Router r) {
    r.addStreaming(HttpMethod.POST, "/build", this::build);
  }

  private void build(Exchange x) {
    String remote = x.param("remote");
    if (remote != null && !remote.isEmpty()) {
      throw new UnsupportedOperationException(
          "building from a remote context is not supported by the jstack engine; send the"
              + " context as the request body");
    }
    String dockerfile = x.param("dockerfile");
    String target = x.param("target");
    String network = x.param("networkmode");
    Map<String, String> buildArgs = map(x, "buildargs");
    Map<String, String> labels = map(x, "labels");
    List<String> tags = x.params("t");
    boolean quiet = x.flag("q");
    boolean noCache = x.flag("nocache");
    Path inPlace = contextDirectory(x);
    x.streamJson(
        out -> {
          java.util.function.Function<Path, BuildRequest> request =
              dir ->
                  new BuildRequest(
                      dir,
                      dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile,
                      buildArgs,
                      target == null ? "" : target,
                      labels,
                      tags,
                      network == null || network.isEmpty() ? "default" : network,
                      noCache);
          java.util.function.Consumer<String> progress =
              line -> {
                if (!quiet) {
                  ObjectNode n = Exchange.JSON.createObjectNode();
                  n.put("stream", line);
                  out.accept(n);
                }
              };
          String id =
              inPlace != null
                  ? builds.buildInPlace(inPlace, request, progress)
                  : builds.build(x.body(), request, progress);
          ObjectNode aux = Exchange.JSON.createObjectNode();
          aux.put("id", "moby.image.id");
          aux.putObject("aux").put("ID", id);
          out.accept(aux);
          if (quiet) {
            // What docker build -q prints: dockerd's classic builder sends the ID as text last.
            ObjectNode n = Exchange.JSON.createObjectNode();
            n.put("stream", id + "\n");
            out.accept(n);
          }
        });
  }

  /**
   * The directory of {@value #CONTEXT_DIRECTORY}, or null for a tar body; checks who may name one.
   */
  private static @Nullable Path contextDirectory(Exchange x) {
    String dir = x.param(CONTEXT_DIRECTORY);
    if (dir == null || dir.isEmpty()) {
      return null;
    }
    Path p = Path.of(dir);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException(
          CONTEXT_DIRECTORY + " must be an absolute directory, not " + dir);
    }
    if (!(x.channel() instanceof EpollDomainSocketChannel socket)) {
      throw new IllegalArgumentException(
          CONTEXT_DIRECTORY
              + " is honoured only over the engine's unix socket: send the context as"
              + " a tar body");
    }
    int uid;
    try {
      uid = socket.peerCredentials().uid();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          CONTEXT_DIRECTORY
              + ": the client's credentials cannot be read: send the context as a"
              + " tar body");
    }
    int owner;
    try {
      owner = (Integer) Files.getAttribute(p, "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(
          "the build context " + dir + " cannot be read on the engine's host (" + e + ")");
    }
    if (uid != 0 && uid != owner) {
      throw new IllegalArgumentException(
          CONTEXT_DIRECTORY
              + ": user "
              + uid
              + " does not own "
              + dir
              + ": send the context as a"
              + " tar body");
    }
    try {
      x.body().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p;
  }

  /** A JSON object of strings in query parameter {@code name}; null values are left out. */
  private static Map<String, String> map(Exchange x, String name) {
    String v = x.param(name);
    if (v == null || v.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, String> m = Exchange.JSON.readValue(v, STRINGS);
      m.values().removeIf(java.util.Objects::isNull);
      return m;
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " must be a JSON object of strings: " + v);
    }
  }
}
