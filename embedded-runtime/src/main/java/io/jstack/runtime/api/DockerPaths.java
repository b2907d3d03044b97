package io.jstack.runtime.api;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * Every endpoint of Docker's Engine API (moby's {@code api/server/router}), to tell a request for
 * one the engine lacks (answered 501, naming it) from a request for none at all (404, as dockerd
 * answers a path it has no route for): a mistyped or mangled path is the client's error, not the
 * engine's.
 */
final class DockerPaths {
  private static final Router.Handler NONE = x -> {};

  private static final Router ALL = new Router();

  static {
    for (String get :
        List.of(
            "/_ping",
            "/events",
            "/info",
            "/version",
            "/system/df",
            "/containers/json",
            "/containers/{id}/export",
            "/containers/{id}/changes",
            "/containers/{id}/json",
            "/containers/{id}/top",
            "/containers/{id}/logs",
            "/containers/{id}/stats",
            "/containers/{id}/attach/ws",
            "/containers/{id}/archive",
            "/exec/{id}/json",
            "/images/json",
            "/images/search",
            "/images/get",
            "/images/{name*}/get",
            "/images/{name*}/history",
            "/images/{name*}/json",
            "/networks",
            "/networks/{id}",
            "/volumes",
            "/volumes/{name}",
            "/plugins",
            "/plugins/privileges",
            "/plugins/{name*}/json",
            "/swarm",
            "/swarm/unlockkey",
            "/nodes",
            "/nodes/{id}",
            "/services",
            "/services/{id}",
            "/services/{id}/logs",
            "/tasks",
            "/tasks/{id}",
            "/tasks/{id}/logs",
            "/secrets",
            "/secrets/{id}",
            "/configs",
            "/configs/{id}",
            "/distribution/{name*}/json")) {
      ALL.add(HttpMethod.GET, get, NONE);
    }
    ALL.add(HttpMethod.HEAD, "/_ping", NONE).add(HttpMethod.HEAD, "/containers/{id}/archive", NONE);
    for (String post :
        List.of(
            "/auth",
            "/commit",
            "/session",
            "/grpc",
            "/build",
            "/build/prune",
            "/build/cancel",
            "/containers/create",
            "/containers/prune",
            "/containers/{id}/kill",
            "/containers/{id}/pause",
            "/containers/{id}/unpause",
            "/containers/{id}/restart",
            "/containers/{id}/start",
            "/containers/{id}/stop",
            "/containers/{id}/wait",
            "/containers/{id}/resize",
            "/containers/{id}/attach",
            "/containers/{id}/copy",
            "/containers/{id}/exec",
            "/containers/{id}/rename",
            "/containers/{id}/update",
            "/exec/{id}/start",
            "/exec/{id}/resize",
            "/images/load",
            "/images/create",
            "/images/prune",
            "/images/{name*}/push",
            "/images/{name*}/tag",
            "/networks/create",
            "/networks/prune",
            "/networks/{id}/connect",
            "/networks/{id}/disconnect",
            "/volumes/create",
            "/volumes/prune",
            "/plugins/pull",
            "/plugins/create",
            "/plugins/{name*}/enable",
            "/plugins/{name*}/disable",
            "/plugins/{name*}/push",
            "/plugins/{name*}/upgrade",
            "/plugins/{name*}/set",
            "/swarm/init",
            "/swarm/join",
            "/swarm/leave",
            "/swarm/update",
            "/swarm/unlock",
            "/nodes/{id}/update",
            "/services/create",
            "/services/{id}/update",
            "/secrets/create",
            "/secrets/{id}/update",
            "/configs/create",
            "/configs/{id}/update")) {
      ALL.add(HttpMethod.POST, post, NONE);
    }
    ALL.add(HttpMethod.PUT, "/containers/{id}/archive", NONE)
        .add(HttpMethod.PUT, "/volumes/{name}", NONE);
    for (String delete :
        List.of(
            "/containers/{id}",
            "/images/{name*}",
            "/networks/{id}",
            "/volumes/{name}",
            "/plugins/{name*}",
            "/nodes/{id}",
            "/services/{id}",
            "/secrets/{id}",
            "/configs/{id}")) {
      ALL.add(HttpMethod.DELETE, delete, NONE);
    }
  }

  private DockerPaths() {}

  /**
   * Whether {@code method} and {@code path} (decoded segments) name an endpoint of Docker's API.
   */
  static boolean isDockers(HttpMethod method, List<String> path) {
    return ALL.match(method, path).isPresent();
  }
}
