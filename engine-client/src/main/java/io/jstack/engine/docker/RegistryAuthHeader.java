package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The {@code X-Registry-Auth} header a client sends with a pull or a push, as Docker's CLI does:
 * the credentials that {@code docker login} left for the image's registry in the client's Docker
 * config ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}), else an empty
 * JSON object (the engine then uses its own host's). Credential helpers are not asked.
 */
final class RegistryAuthHeader {
  private RegistryAuthHeader() {}

  /** The header value for an image {@code reference}, with the config {@code env} names. */
  static String forImage(String reference, Map<String, String> env) {
    ObjectNode auth = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    try {
      String registry = ImageReference.parse(reference).registry();
      JsonNode entry = entry(config(env), registry);
      if (entry != null && entry.hasNonNull("auth")) {
        String pair =
            new String(
                Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          auth.put("username", pair.substring(0, colon));
          auth.put("password", pair.substring(colon + 1));
          auth.put("serveraddress", registry);
        }
      }
    } catch (IOException | IllegalArgumentException unreadable) {
      // No credentials of the client's: the engine's own apply.
    }
    return Base64.getUrlEncoder().encodeToString(JsonTrees.write(auth));
  }

  private static Path config(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir, "config.json");
    }
    return Path.of(
        env.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
  }

  private static @org.jspecify.annotations.Nullable JsonNode entry(Path config, String registry)
      throws IOException {
    if (!Files.isRegularFile(config)) {
      return null;
    }
    JsonNode auths = JsonTrees.read(Files.readAllBytes(config)).path("auths");
    for (var e : auths.properties()) {
      if (ImageReference.registryOf(e.getKey()).equals(registry)) {
        return e.getValue();
      }
    }
    return null;
  }
}
