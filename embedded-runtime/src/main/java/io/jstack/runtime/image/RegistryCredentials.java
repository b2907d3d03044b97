package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Credentials a client sends with a request (Docker's {@code X-Registry-Auth} header, and the body
 * of {@code POST /auth}): they come before the engine host's Docker config for their registry.
 *
 * @param username the user, or null with only a token
 * @param password the password
 * @param registryToken a bearer token to present as it is
 * @param serverAddress the registry they are for ({@code registry.example:5000}, a URL, or empty:
 *     the one the request names)
 */
public record RegistryCredentials(
    @Nullable String username,
    @Nullable String password,
    @Nullable String registryToken,
    String serverAddress) {

  /**
   * The credentials of an {@code X-Registry-Auth} header: base64 (URL or standard alphabet, padded
   * or not) of Docker's AuthConfig JSON; null when there is none or it holds nothing ({@code {}}).
   *
   * @throws IllegalArgumentException when it is not base64 JSON
   */
  public static @Nullable RegistryCredentials fromHeader(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    byte[] json;
    try {
      String b64 = header.strip().replace('-', '+').replace('_', '/').replace("=", "");
      json = Base64.getDecoder().decode(b64 + "==".substring(0, (4 - b64.length() % 4) % 4 % 3));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("X-Registry-Auth is not base64: " + e.getMessage());
    }
    try {
      JsonNode node = ImageStore.JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IOException("not an object");
      }
      return fromJson(node);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "X-Registry-Auth is not the base64 of a JSON object: " + e.getMessage());
    }
  }

  /**
   * The credentials of Docker's AuthConfig JSON ({@code username}, {@code password}, {@code auth},
   * {@code registrytoken}, {@code serveraddress}); null when it holds none.
   */
  public static @Nullable RegistryCredentials fromJson(JsonNode a) {
    if (!a.isObject()) {
      throw new IllegalArgumentException("registry credentials must be a JSON object");
    }
    String user = text(a, "username");
    String password = text(a, "password");
    String auth = text(a, "auth");
    if (user == null && auth != null) {
      String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "registry credentials: auth is not base64(user:password)");
      }
      user = pair.substring(0, colon);
      password = pair.substring(colon + 1);
    }
    String token = text(a, "registrytoken");
    if (user == null && token == null) {
      return null;
    }
    String server = text(a, "serveraddress");
    return new RegistryCredentials(user, password, token, server == null ? "" : server);
  }

  private static @Nullable String text(JsonNode a, String field) {
    JsonNode v = a.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  /** base64(user:password), for Basic auth and token services; empty with a token only. */
  public Optional<String> basic() {
    return username == null
        ? Optional.empty()
        : Optional.of(
            Base64.getEncoder()
                .encodeToString(
                    (username + ":" + (password == null ? "" : password))
                        .getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether they are for {@code registry} (as {@link ImageReference#registry()} names it). */
  public boolean appliesTo(String registry) {
    return serverAddress.isBlank() || ImageReference.registryOf(serverAddress).equals(registry);
  }

  @Override
  public String toString() {
    // Never a secret in a log or a message.
    return "credentials of " + (username == null ? "a token" : username) + " for " + serverAddress;
  }
}
