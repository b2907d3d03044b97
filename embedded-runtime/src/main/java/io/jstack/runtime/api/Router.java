package io.jstack.runtime.api;

import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's route table: a method and a path pattern to a handler. A pattern's segments are
 * literals, {@code {name}} (one segment) or {@code {name*}} (one or more, joined with {@code /}: an
 * image name such as {@code registry:5000/team/app:1}).
 */
final class Router {
  /** Answers one request. */
  @FunctionalInterface
  interface Handler {
    void handle(Exchange x) throws IOException;
  }

  /**
   * One route; {@code streamsBody} routes read their request body as it arrives, {@code hijacks}
   * routes may take the connection over (see {@link #addHijacking}).
   */
  record Route(
      HttpMethod method,
      List<String> pattern,
      Handler handler,
      boolean streamsBody,
      boolean hijacks) {}

  /** A route that matched, with the values of its path parameters. */
  record Match(Route route, Map<String, String> parameters) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route whose body, if any, is read whole before {@code handler} runs. */
  Router add(HttpMethod method, String pattern, Handler handler) {
    routes.add(new Route(method, segments(pattern), handler, false, false));
    return this;
  }

  /**
   * Adds a route that may take the connection over (attach, exec start), whether or not the client
   * asked for Docker's upgrade: dockerd hijacks these connections either way and a client that sent
   * no {@code Upgrade} header (docker-java without stdin) reads the streams until the connection
   * ends.
   */
  Router addHijacking(HttpMethod method, String pattern, Handler handler) {
    routes.add(new Route(method, segments(pattern), handler, false, true));
    return this;
  }

  /** Adds a route whose handler reads the body as a stream while it arrives (uploads). */
  Router addStreaming(HttpMethod method, String pattern, Handler handler) {
    routes.add(new Route(method, segments(pattern), handler, true, false));
    return this;
  }

  /** The first route that matches {@code method} and {@code path} (decoded segments). */
  Optional<Match> match(HttpMethod method, List<String> path) {
    for (Route r : routes) {
      if (!r.method().equals(method)) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      if (matches(r.pattern(), 0, path, 0, params)) {
        return Optional.of(new Match(r, Map.copyOf(params)));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(
      List<String> pattern, int p, List<String> path, int s, Map<String, String> params) {
    if (p == pattern.size()) {
      return s == path.size();
    }
    String seg = pattern.get(p);
    if (seg.startsWith("{") && seg.endsWith("*}")) {
      String name = seg.substring(1, seg.length() - 2);
      // Greedy first: an image name may itself end in a segment the rest of the pattern names.
      for (int end = path.size(); end > s; end--) {
        if (matches(pattern, p + 1, path, end, params)) {
          params.put(name, String.join("/", path.subList(s, end)));
          return true;
        }
      }
      return false;
    }
    if (s == path.size()) {
      return false;
    }
    if (seg.startsWith("{") && seg.endsWith("}")) {
      params.put(seg.substring(1, seg.length() - 1), path.get(s));
    } else if (!seg.equals(path.get(s))) {
      return false;
    }
    return matches(pattern, p + 1, path, s + 1, params);
  }

  private static List<String> segments(String pattern) {
    List<String> out = new ArrayList<>();
    for (String s : pattern.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }
}
