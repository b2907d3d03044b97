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
 * <p>One jstack extension: query parameter {@code jstack-secrets}, a JSON object of secret id to
 * the absolute path of a file on the engine's host, gives {@code RUN --mount=type=secret} its
 * secrets (what {@code docker build --secret id=ID,src=FILE} gives BuildKit). The engine reads
 * those files as root: only a client that may use the engine's socket, which is root's alone, can
 * name them, and a secret never reaches a layer. dockerd ignores the parameter.
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
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

  /** The query parameter naming a context directory on the engine's host. */
  static final String CONTEXT_DIRECTORY = "jstack-context";

  private final BuildService builds;

  BuildRoutes(BuildService builds) {
    this.builds = builds;
  }

  void register(Router r) {
    r.addStreaming(HttpMethod.POST, "/build", this::build);
    r.add(HttpMethod.POST, "/build/prune", this::prune);
  }

  /**
   * {@code POST /build/prune}, as dockerd answers it ({@code CachesDeleted}, {@code
   * SpaceReclaimed}): {@code all}, {@code keep-storage} (API 1.48+ calls it {@code reserved-space})
   * and the {@code until} filter (a Go duration, {@code 24h}, or a time); other filters are
   * refused.
   */
  private void prune(Exchange x) {
    boolean all = x.flag("all");
    long keep = bytes(x, "keep-storage") + bytes(x, "reserved-space");
    for (String key : x.filters().keySet()) {
      if (!key.equals("until")) {
        throw new IllegalArgumentException(
            "build cache filter "
                + key
                + " is not supported by the jstack engine: use until=DURATION, or none");
      }
    }
    java.time.Instant until =
        Durations.until(new io.jstack.engine.ListFilters(x.filters()), java.time.Instant.now());
    io.jstack.runtime.build.CachePruned pruned = builds.pruneBuildCache(all, keep, until);
    ObjectNode n = Exchange.JSON.createObjectNode();
    pruned.deleted().forEach(n.putArray("CachesDeleted")::add);
    if (pruned.deleted().isEmpty()) {
      n.putNull("CachesDeleted");
    }
    n.put("SpaceReclaimed", pruned.reclaimed());
    x.json(io.netty.handler.codec.http.HttpResponseStatus.OK, n);
  }

  private static long bytes(Exchange x, String name) {
    String v = x.param(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number of bytes, not " + v);
    }
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
    Map<String, Path> secrets = secrets(x);
    List<String> tags = x.params("t");
    boolean quiet = x.flag("q");
    boolean noCache = x.flag("nocache");
    boolean pull = x.flag("pull");
    String platform = x.param("platform");
    List<String> cacheFrom = list(x, "cachefrom");
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
                      noCache,
                      pull,
                      platform == null ? "" : platform,
                      cacheFrom,
                      secrets);
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
   * Secret ids to host files: each path absolute, named by a client that may read it ({@link
   * #hostPath}).
   */
  private static Map<String, Path> secrets(Exchange x) {
    Map<String, Path> out = new java.util.TreeMap<>();
    map(x, "jstack-secrets")
        .forEach(
            (id, file) -> {
              if (id.isEmpty() || !file.startsWith("/")) {
                throw new IllegalArgumentException(
                    "jstack-secrets: secret "
                        + id
                        + " must name an absolute path of a file on the engine's host, not "
                        + file);
              }
              out.put(id, hostPath(x, "jstack-secrets", Path.of(file)));
            });
    return out;
  }

  /** A JSON array of strings in query parameter {@code name} ({@code cachefrom}). */
  private static List<String> list(Exchange x, String name) {
    String v = x.param(name);
    if (v == null || v.isEmpty()) {
      return List.of();
    }
    try {
      List<String> l = Exchange.JSON.readValue(v, LIST);
      l.removeIf(s -> s == null || s.isEmpty());
      return l;
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " must be a JSON array of strings: " + v);
    }
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
    hostPath(x, CONTEXT_DIRECTORY, p);
    try {
      x.body().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p;
  }

  /**
   * {@code p}, a path on the engine's host that query parameter {@code param} names: honoured only
   * over the engine's unix socket, and only for a client whose user (the socket's peer credentials)
   * is root or owns {@code p}, so that no client reads through the engine what it could not read
   * itself.
   */
  private static Path hostPath(Exchange x, String param, Path p) {
    String instead = param.equals(CONTEXT_DIRECTORY) ? "send the context as a tar body" : "";
    if (!(x.channel() instanceof EpollDomainSocketChannel socket)) {
      throw new IllegalArgumentException(
          param + " is honoured only over the engine's unix socket" + tail(instead));
    }
    int uid;
    try {
      uid = socket.peerCredentials().uid();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          param + ": the client's credentials cannot be read" + tail(instead));
    }
    int owner;
    try {
      owner = (Integer) Files.getAttribute(p, "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(
          param + ": " + p + " cannot be read on the engine's host (" + e + ")");
    }
    if (uid != 0 && uid != owner) {
      throw new IllegalArgumentException(
          param + ": user " + uid + " does not own " + p + tail(instead));
    }
    return p;
  }

  private static String tail(String whatToDo) {
    return whatToDo.isEmpty() ? "" : ": " + whatToDo;
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
