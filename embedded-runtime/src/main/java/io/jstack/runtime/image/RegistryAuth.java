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
  private final @Nullable RegistryCredentials given;

  /** The Authorization header by {@code <host>/<repository>:<actions>}. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /**
   * Auth over {@code http}, with a client's {@code given} credentials for their registry (none when
   * null), else those of {@code dockerConfig} (none when null).
   */
  RegistryAuth(HttpClient http, Path dockerConfig, @Nullable RegistryCredentials given) {
    this.http = http;
    this.dockerConfig = dockerConfig;
    this.given = given;
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
  private String authorize(ImageReference ref, String challenge, @Nullable String actions)
      throws IOException, InterruptedException {
    RegistryCredentials mine = given != null && given.appliesTo(ref.registry()) ? given : null;
    if (mine != null
        && mine.registryToken() != null
        && challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      return "Bearer " + mine.registryToken();
    }
    Optional<String> basic = mine != null ? mine.basic() : credentials(ref.registry());
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      // A wrong password shows as the registry's own 401 to the request that follows.
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
    if (actions != null) {
      q.append("scope=")
          .append(
              URLEncoder.encode(
                  "repository:" + ref.repository() + ":" + actions, StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(q.toString())).timeout(Duration.ofMinutes(1)).GET();
    basic.ifPresent(c -> b.header("Authorization", "Basic " + c));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw mine != null ? refused(ref, mine) : needsLogin(ref);
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
        if (ImageReference.registryOf(e.getKey()).equals(registry)) {
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

  /** The credentials a client gave were refused. */
  static EngineException refused(ImageReference ref, RegistryCredentials c) {
    return new EngineException.Unauthorized(
        "unauthorized: the registry "
            + ref.registry()
            + " refused the "
            + c
            + ": check the user name and password (docker login "
            + ref.registry()
            + ")");
  }

  /**
   * Answers {@code challenge} for the registry itself, with no repository scope (what a login
   * checks): the Authorization header to send.
   */
  String answerForLogin(ImageReference ref, String challenge)
      throws IOException, InterruptedException {
    return authorize(ref, challenge, null);
  }

  /** Whether a client gave credentials that apply to {@code registry}. */
  @Nullable RegistryCredentials given(String registry) {
    return given != null && given.appliesTo(registry) ? given : null;
  }

  private static EngineException needsLogin(ImageReference ref) {
    return new EngineException(
        "the registry "
            + ref.registry()
            + " refused access to "
            + ref.repository()
            + ": log in to it (docker login "
            + ref.registry()
            + ", whose credentials clients send), or add credentials for it to the engine"
            + " host's ~/.docker/config.json");
  }
}
