package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP of {@link RegistryClient}: the registry API's URIs (plain HTTP only for loopback
 * registries and those listed as insecure), requests with auth ({@link RegistryAuth}), redirects
 * followed by hand so that credentials never go to another host, and transient failures (I/O, 5xx,
 * 429) retried with back-off.
 */
final class RegistryHttp {
  private static final int ATTEMPTS = 4;

  private final HttpClient http;
  private final Set<String> insecure;
  private final RegistryAuth auth;

  RegistryHttp(RegistryClient.Options options) {
    // The JDK client reads 16 KiB at a time by default; layers stream a quarter faster with 128.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", String.valueOf(128 << 10));
    }
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(15))
            .build();
    this.auth = new RegistryAuth(http, options.dockerConfig(), options.credentials());
    this.insecure = options.insecure();
  }

  /**
   * Checks the client's credentials with {@code ref}'s registry as {@code docker login} does: its
   * API root, answered with them when it challenges.
   *
   * @throws EngineException when it refuses them or cannot be reached
   */
  void login(ImageReference ref) {
    String host = ref.apiHost();
    URI root = URI.create(scheme(host) + "://" + host + "/v2/");
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(root).timeout(Duration.ofMinutes(1)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 401) {
        RegistryCredentials c = auth.given(ref.registry());
        if (c == null) {
          throw new EngineException(
              "the registry " + ref.registry() + " wants credentials, and none were given");
        }
        String authorization =
            auth.answerForLogin(ref, r.headers().firstValue("WWW-Authenticate").orElse(""));
        r =
            http.send(
                HttpRequest.newBuilder(root)
                    .timeout(Duration.ofMinutes(1))
                    .header("Authorization", authorization)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
          throw RegistryAuth.refused(ref, c);
        }
      }
      if (r.statusCode() / 100 != 2) {
        throw new EngineException("login to " + ref.registry() + " failed: " + describe(ref, r));
      }
    } catch (IOException e) {
      throw new EngineException(
          "login to "
              + ref.registry()
              + " failed: "
              + reason(e)
              + " (is the registry "
              + ref.registry()
              + " reachable?)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted: login to " + ref.registry(), e);
    }
  }

  URI api(ImageReference ref, String path) {
    String host = ref.apiHost();
    return URI.create(scheme(host) + "://" + host + "/v2/" + ref.repository() + path);
  }

  private String scheme(String host) {
    String bare =
        host.startsWith("[")
            ? host.substring(1, host.indexOf(']'))
            : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
    boolean loopback = bare.equals("localhost") || bare.equals("::1") || bare.startsWith("127.");
    return loopback || insecure.contains(host) ? "http" : "https";
  }

  <T> HttpResponse<T> send(
      ImageReference ref,
      String actions,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      String what) {
    return sendAllowing(ref, actions, request, handler, what, Set.of());
  }

  /**
   * Sends a request with auth, redirects and retries; answers other than 2xx (or {@code allowed})
   * become an {@link EngineException} naming {@code what} and the registry's error.
   */
  <T> HttpResponse<T> sendAllowing(
      ImageReference ref,
      String actions,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      String what,
      Set<Integer> allowed) {
    String scopeKey = ref.apiHost() + "/" + ref.repository() + ":" + actions;
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        sleep(250L << (attempt - 1));
      }
      try {
        HttpRequest.Builder b = request.get().timeout(Duration.ofMinutes(10));
        String authorization = auth.header(scopeKey);
        if (authorization != null) {
          b.header("Authorization", authorization);
        }
        HttpRequest req = b.build();
        HttpResponse<T> r = followRedirects(req, handler);
        if (r.statusCode() == 401 && authorization == null) {
          String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
          discard(r);
          auth.answer(scopeKey, ref, challenge, actions);
          attempt--; // the challenge is not a failure
          continue;
        }
        if (r.statusCode() >= 500 || r.statusCode() == 429) {
          last = new IOException(what + ": the registry answered " + r.statusCode());
          discard(r);
          continue;
        }
        if (r.statusCode() / 100 == 2 || allowed.contains(r.statusCode())) {
          return r;
        }
        String failed = what + " failed: " + describe(ref, r);
        throw r.statusCode() == 404
            ? new EngineException.NotFound(failed)
            : new EngineException(failed);
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException("interrupted: " + what, e);
      }
    }
    throw new EngineException(
        what
            + " failed after "
            + ATTEMPTS
            + " attempts: "
            + (last == null ? "no answer" : reason(last))
            + " (is the registry "
            + ref.registry()
            + " reachable?)",
        last);
  }

  /** What went wrong, also when the JDK's client gives no message (a refused connection). */
  private static String reason(IOException e) {
    String message = e.getMessage();
    if (message != null && !message.isBlank()) {
      return message;
    }
    Throwable cause = e.getCause();
    String why = e.getClass().getSimpleName();
    return cause == null || cause.getMessage() == null ? why : why + ": " + cause.getMessage();
  }

  private <T> HttpResponse<T> followRedirects(HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpRequest current = req;
    for (int hops = 0; hops < 6; hops++) {
      HttpResponse<T> r = http.send(current, handler);
      int s = r.statusCode();
      if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
        return r;
      }
      Optional<String> loc = r.headers().firstValue("Location");
      discard(r);
      if (loc.isEmpty()) {
        return r;
      }
      URI next = current.uri().resolve(loc.get());
      HttpRequest.Builder b = HttpRequest.newBuilder(next).timeout(Duration.ofMinutes(10));
      boolean sameHost =
          next.getHost().equalsIgnoreCase(current.uri().getHost())
              && next.getPort() == current.uri().getPort();
      current
          .headers()
          .map()
          .forEach(
              (k, vs) -> {
                if (sameHost || !k.equalsIgnoreCase("Authorization")) {
                  vs.forEach(v -> b.header(k, v));
                }
              });
      // Blob redirects go to storage with GET (or HEAD); bodies are never re-sent.
      b.method(
          current.method().equals("HEAD") ? "HEAD" : "GET", HttpRequest.BodyPublishers.noBody());
      current = b.build();
    }
    throw new IOException("too many redirects from " + req.uri());
  }

  static String describe(ImageReference ref, HttpResponse<?> r) {
    String body = "";
    if (r.body() instanceof byte[] b) {
      body = new String(b, StandardCharsets.UTF_8);
    } else if (r.body() instanceof InputStream in) {
      try (in) {
        body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // The status alone will do.
      }
    }
    String message = body;
    try {
      JsonNode errors = ImageStore.JSON.readTree(body).path("errors");
      if (errors.size() > 0) {
        message =
            errors.get(0).path("code").asText() + ": " + errors.get(0).path("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // Keep the raw text.
    }
    String hint =
        r.statusCode() == 404 ? " (does " + ref + " exist in " + ref.registry() + "?)" : "";
    return r.statusCode() + (message.isBlank() ? "" : " " + message.strip()) + hint;
  }

  static void discard(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Nothing to keep.
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", e);
    }
  }
}
