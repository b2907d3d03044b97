package io.jstack.runtime.image;

import static io.jstack.runtime.image.RegistryClient.DOCKER_LIST;
import static io.jstack.runtime.image.RegistryClient.DOCKER_MANIFEST;
import static io.jstack.runtime.image.RegistryClient.OCI_INDEX;
import static io.jstack.runtime.image.RegistryClient.OCI_MANIFEST;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Fetches manifests for {@link RegistryClient}: a manifest or index by tag or digest, checked
 * against the digest asked for and the one the registry names, with its media type (from the
 * document, else its header, else its shape); and the manifest an index has for one platform.
 */
final class ManifestPuller {
  private static final String ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  /** A fetched manifest or index: its bytes as sent, its media type, and its JSON. */
  record Pulled(byte[] body, String mediaType, JsonNode json) {
    /** Whether it is an index (or Docker manifest list) of per-platform manifests. */
    boolean isIndex() {
      return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
    }
  }

  private final RegistryHttp registry;

  ManifestPuller(RegistryHttp registry) {
    this.registry = registry;
  }

  /**
   * The manifest or index {@code reference} (a tag or digest) of {@code ref}'s repository.
   *
   * @param expectedDigest the digest it must have, or null when {@code reference} is a tag
   * @throws EngineException when it is not JSON, or its digest is not the one expected or sent
   */
  Pulled pull(ImageReference ref, String reference, @Nullable String expectedDigest) {
    URI uri = registry.api(ref, "/manifests/" + reference);
    HttpResponse<byte[]> r =
        registry.send(
            ref,
            "pull",
            () -> HttpRequest.newBuilder(uri).header("Accept", ACCEPT).GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            "manifest of " + ref);
    byte[] body = r.body();
    String digest = Digests.of(body);
    if (expectedDigest != null && !digest.equals(expectedDigest)) {
      throw new EngineException(
          "the manifest "
              + expectedDigest
              + " of "
              + ref
              + " arrived with digest "
              + digest
              + ": the registry sent other content; check the registry");
    }
    Optional<String> said = r.headers().firstValue("Docker-Content-Digest");
    if (said.isPresent() && said.get().startsWith("sha256:") && !said.get().equals(digest)) {
      throw new EngineException(
          "the manifest of "
              + ref
              + " has digest "
              + digest
              + " but the registry says "
              + said.get()
              + ": check the registry");
    }
    JsonNode json;
    try {
      json = ImageStore.JSON.readTree(body);
    } catch (IOException e) {
      throw new EngineException("the manifest of " + ref + " is not JSON: " + e.getMessage(), e);
    }
    String type = json.path("mediaType").asText(r.headers().firstValue("Content-Type").orElse(""));
    if (type.isEmpty()
        || !(type.equals(OCI_INDEX)
            || type.equals(DOCKER_LIST)
            || type.equals(OCI_MANIFEST)
            || type.equals(DOCKER_MANIFEST))) {
      type = json.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
    }
    return new Pulled(body, type, json);
  }

  /**
   * The digest of the manifest {@code index} has for {@code platform} ({@code
   * os/architecture[/variant]}).
   *
   * @throws EngineException naming the platforms it has, when it has not that one
   */
  static String choosePlatform(ImageReference ref, JsonNode index, String platform) {
    String[] want = platform.split("/");
    List<String> offered = new ArrayList<>();
    for (JsonNode d : index.path("manifests")) {
      JsonNode p = d.path("platform");
      String os = p.path("os").asText();
      String arch = p.path("architecture").asText();
      String variant = p.path("variant").asText("");
      offered.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
      if (os.equals(want[0])
          && arch.equals(want[1])
          && (want.length < 3 || variant.equals(want[2]))) {
        return d.path("digest").asText();
      }
    }
    throw new EngineException(
        "image "
            + ref
            + " has no variant for "
            + platform
            + " (it has "
            + String.join(", ", offered)
            + "): pick one with --platform");
  }
}
