package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The auth of {@link RegistryClient}: the Authorization header that answers a registry's {@code
 * WWW-Authenticate} challenge (Basic, or a Bearer token from the registry's token service), with
 * credentials from the Docker config's {@code auths}; kept per registry, repository and actions.
 */
final class RegistryAuth {
  private final HttpClient http;
  private final Path dockerConfig;

  /** The Authorization header by {@code <host>/<repository>:<actions>}. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** Auth over {@code http}, with the credentials of {@code dockerConfig} (none when null). */
  RegistryAuth(HttpClient http, Path dockerConfig) {
    this.http = http;
    this.dockerConfig = dockerConfig;
  }

  /** The Authorization header for {@code scope}, once a challenge was answered; else null. */
  @Nullable String header(String scope) {
    return tokens.get(scope);
  }

  /**
   * Answers {@code challenge} for {@code scope}: {@link #header} gives the answer from now on.
   *
   * @throws EngineException when the registry wants credentials there are none of, or auth that
   *     jstack does not know, or its token service fails
   */
  void answer(String scope, ImageReference ref, String challenge, String actions)
      throws IOException, InterruptedException {
    tokens.put(scope, authorize(ref, challenge, actions));
  }

  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The Authorization header value that answers a challenge. */
  private String authorize(ImageReference ref, String challenge, String actions)
      throws IOException, InterruptedException {
    Optional<String> basic = credentials(ref.registry());
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      return "Basic " + basic.orElseThrow(() -> needsLogin(ref));
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw new EngineException(
          "the registry "
              + ref.registry()
              + " asks for authentication jstack does not know: "
              + challenge);
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new EngineException(
          "the registry " + ref.registry() + " sent a Bearer challenge without a realm");
    }
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      q.append("service=")
          .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8))
          .append('&');
    }
    q.append("scope=")
        .append(
            URLEncoder.encode(
                "repository:" + ref.repository() + ":" + actions, StandardCharsets.UTF_8));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(q.toString())).timeout(Duration.ofMinutes(1)).GET();
    basic.ifPresent(c -> b.header("Authorization", "Basic " + c));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw needsLogin(ref);
    }
    if (r.statusCode() / 100 != 2) {
      throw new EngineException(
          "the token service of " + ref.registry() + " answered " + r.statusCode());
    }
    JsonNode t = ImageStore.JSON.readTree(r.body());
    String token =
        t.hasNonNull("token") ? t.get("token").asText() : t.path("access_token").asText();
    if (token.isEmpty()) {
      throw new EngineException("the token service of " + ref.registry() + " gave no token");
    }
    return "Bearer " + token;
  }

  /** base64(user:password) for {@code registry} from the Docker config's {@code auths}. */
  private Optional<String> credentials(String registry) {
    Path config = dockerConfig;
    if (config == null || !Files.isRegularFile(config)) {
      return Optional.empty();
    }
    try {
      JsonNode auths = ImageStore.JSON.readTree(config.toFile()).path("auths");
      for (var e : auths.properties()) {
        String key = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        boolean hub =
            registry.equals(ImageReference.DOCKER_HUB)
                && (key.equals("index.docker.io")
                    || key.equals("docker.io")
                    || key.equals("registry-1.docker.io"));
        if (key.equals(registry) || hub) {
          JsonNode a = e.getValue();
          if (a.hasNonNull("auth")) {
            return Optional.of(a.get("auth").asText());
          }
          if (a.hasNonNull("username")) {
            return Optional.of(
                Base64.getEncoder()
                    .encodeToString(
                        (a.get("username").asText() + ":" + a.path("password").asText())
                            .getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot read credentials from " + config + ": " + e.getMessage(), e);
    }
    return Optional.empty();
  }

  private static EngineException needsLogin(ImageReference ref) {
    return new EngineException(
        "the registry "
            + ref.registry()
            + " refused access to "
            + ref.repository()
            + ": add credentials for it to ~/.docker/config.json (docker login "
            + ref.registry()
            + ")");
  }
}
