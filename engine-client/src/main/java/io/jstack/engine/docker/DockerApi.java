package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.HttpTransport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Docker Engine API at one address: version negotiation, JSON in and out (with the shapes every
 * resource shares: labels, string lists, times, label filters), and engine errors turned into
 * {@link EngineException}s that name the resource.
 */
final class DockerApi implements AutoCloseable {
  /** The newest API version jstack speaks; older engines are spoken to in theirs. */
  static final String MAX_VERSION = "1.43";

  private final EngineAddress address;
  private final HttpTransport transport;
  private final String version;
  private final String engineVersion;

  DockerApi(EngineAddress address, HttpTransport transport) {
    this.address = address;
    this.transport = transport;
    JsonNode v = getJsonUnversioned("/version");
    String server = v.path("ApiVersion").asText(MAX_VERSION);
    this.version = compare(server, MAX_VERSION) < 0 ? server : MAX_VERSION;
    this.engineVersion = v.path("Version").asText("?");
  }

  String describe() {
    return "docker " + engineVersion + " at " + address;
  }

  EngineAddress address() {
    return address;
  }

  String apiVersion() {
    return version;
  }

  /**
   * Whether this is jstack's embedded engine over a unix socket, so on this host: it reads a build
   * context directory in place (query parameter {@code jstack-context} of {@code POST /build}).
   */
  boolean localJstackEngine() {
    return address instanceof EngineAddress.Unix && engineVersion.startsWith("jstack-");
  }

  /**
   * Whether volume prune removes only anonymous volumes unless asked for all ({@code all=true}): in
   * API 1.42 (Docker 23) and later, and on jstack's embedded engine, which prunes so in every
   * version it speaks.
   */
  boolean prunesAnonymousVolumesOnly() {
    return compare(version, "1.42") >= 0 || engineVersion.startsWith("jstack-");
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode getJsonUnversioned(String path) {
    try (HttpResponse r = transport.execute(HttpRequest.get(path))) {
      byte[] body = r.bytes();
      if (r.status() == 400
          && new String(body, StandardCharsets.UTF_8).contains("HTTP request to an HTTPS server")) {
        throw new EngineException(
            "the engine at "
                + address
                + " serves TLS only: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the"
                + " directory with ca.pem, cert.pem and key.pem");
      }
      if (r.status() != 200) {
        throw new EngineException(
            "the engine at " + address + " answered " + r.status() + " to " + path);
      }
      return JsonTrees.read(body);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** Sends a request to the versioned API and returns the open response (2xx only). */
  HttpResponse send(HttpRequest request, String what) {
    return send(request, what, false);
  }

  private HttpResponse send(HttpRequest request, String what, boolean notModifiedIsDone) {
    HttpRequest versioned =
        new HttpRequest(
            request.method(),
            "/v" + version + request.path(),
            request.headers(),
            request.body(),
            request.stream());
    HttpResponse r;
    try {
      r = transport.execute(versioned);
    } catch (IOException e) {
      throw unreachable(e);
    }
    if (r.status() >= 200 && r.status() < 300
        || r.status() == 101 && request.wantsUpgrade()
        || r.status() == 304 && notModifiedIsDone) {
      return r;
    }
    try (r) {
      String message = message(r);
      throw switch (r.status()) {
        case 400 -> new EngineException.InvalidArgument(what + ": " + message);
        case 401 -> new EngineException.Unauthorized(what + ": " + message);
        case 404 -> new EngineException.NotFound(what + ": " + message);
        case 409 -> new EngineException.Conflict(what + ": " + message);
        default -> new EngineException(what + " failed (" + r.status() + "): " + message);
      };
    }
  }

  /**
   * Sends a request and reads its JSON answer.
   *
   * @throws EngineException when the engine answers with an empty body, where every caller needs
   *     one
   */
  JsonNode json(HttpRequest request, String what) {
    try (HttpResponse r = send(request, what)) {
      byte[] body = r.bytes();
      if (body.length == 0) {
        throw new EngineException(
            what + " failed: the engine at " + address + " answered with an empty body");
      }
      return JsonTrees.read(body);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** Sends a request whose answer does not matter. */
  void call(HttpRequest request, String what) {
    try (HttpResponse r = send(request, what)) {
      r.bytes();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Sends a request that puts a resource in a state, for which the engine's 304 (Not Modified: it
   * is in that state already, e.g. a running container asked to start) means done, as 2xx does.
   */
  void change(HttpRequest request, String what) {
    try (HttpResponse r = send(request, what, true)) {
      r.bytes();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Sends a request whose answer is a stream of JSON objects (pull, push, build, load) and hands
   * each to {@code each}; an object carrying {@code error} ends it with {@code errorPrefix: error}.
   */
  void stream(
      HttpRequest request,
      String what,
      String errorPrefix,
      java.util.function.Consumer<JsonNode> each) {
    try (HttpResponse r = send(request, what);
        java.io.BufferedReader lines =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JsonTrees.read(line);
        if (n.has("error")) {
          throw new EngineException(errorPrefix + ": " + n.path("error").asText().strip());
        }
        each.accept(n);
      }
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  static byte[] bytes(JsonNode tree) {
    return JsonTrees.write(tree);
  }

  /**
   * A JSON object's fields as a sorted map of strings (Docker's labels); empty for anything else.
   */
  static Map<String, String> labels(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  /** A JSON array's elements as strings; empty for anything else. */
  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  /** An RFC 3339 time as Docker writes it, or the epoch when there is none. */
  static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  /** {@code filters} as the {@code filters} query parameter takes them, URL-encoded. */
  static String filters(io.jstack.engine.ListFilters filters) {
    ObjectNode f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    filters.values().forEach((k, values) -> values.forEach(f.withArray(k)::add));
    return encode(JsonTrees.text(f));
  }

  /** The {@code filters} query value {@code {"label":["k=v", "k2"]}}, URL-encoded. */
  static String labelFilter(Map<String, String> labels) {
    ObjectNode f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    ArrayNode values = f.putArray("label");
    new TreeMap<>(labels).forEach((k, v) -> values.add(v.isEmpty() ? k : k + "=" + v));
    return encode(JsonTrees.text(f));
  }

  private static String message(HttpResponse r) {
    try {
      String text = r.text();
      try {
        JsonNode n = JsonTrees.read(text);
        if (n != null && n.has("message")) {
          return n.get("message").asText();
        }
      } catch (IOException notJson) {
        // Fall through to the raw text.
      }
      return text.strip();
    } catch (IOException e) {
      return "(no message)";
    }
  }

  EngineException unreachable(IOException e) {
    if (e instanceof InterruptedIOException) {
      Thread.currentThread().interrupt();
      return new EngineException("interrupted while talking to the engine at " + address, e);
    }
    if (e instanceof io.jstack.engine.http.SocketTransport.TlsFailure) {
      return new EngineException(String.valueOf(e.getMessage()), e);
    }
    return new EngineException(
        e.getMessage()
            + " (is Docker running? start dockerd, or point DOCKER_HOST at a running engine)",
        e);
  }

  private static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  @Override
  public void close() {
    transport.close();
  }
}
