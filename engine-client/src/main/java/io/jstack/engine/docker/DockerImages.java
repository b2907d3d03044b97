package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;
import static io.jstack.engine.docker.DockerApi.labels;
import static io.jstack.engine.docker.DockerApi.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.Engine.PullProgress;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.http.HttpRequest;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The image resource of the Engine API ({@code /images}): list and inspect, tag, load, pull, push
 * and remove. Building is {@link ImageBuild}'s.
 */
final class DockerImages {
  private final DockerApi api;
  private final Map<String, String> environment;

  /** Images at {@code api}, with the registry logins of a client whose environment that is. */
  DockerImages(DockerApi api, Map<String, String> environment) {
    this.api = api;
    this.environment = Map.copyOf(environment);
  }

  List<ImageInfo> list(Map<String, String> labels) {
    JsonNode list =
        api.json(
            HttpRequest.get("/images/json?filters=" + DockerApi.labelFilter(labels)),
            "list images");
    List<ImageInfo> out = new ArrayList<>();
    for (JsonNode i : list) {
      out.add(
          new ImageInfo(
              i.path("Id").asText(),
              strings(i.path("RepoTags")),
              null,
              null,
              List.of(),
              null,
              null,
              labels(i.path("Labels")),
              i.path("Size").asLong(),
              Instant.ofEpochSecond(i.path("Created").asLong())));
    }
    return out;
  }

  Optional<ImageInfo> inspect(String reference) {
    try {
      JsonNode i =
          api.json(HttpRequest.get("/images/" + encode(reference) + "/json"), "image " + reference);
      JsonNode cfg = i.path("Config");
      return Optional.of(
          new ImageInfo(
              i.path("Id").asText(),
              strings(i.path("RepoTags")),
              cfg.path("Entrypoint").isArray() ? strings(cfg.path("Entrypoint")) : null,
              cfg.path("Cmd").isArray() ? strings(cfg.path("Cmd")) : null,
              strings(cfg.path("Env")),
              emptyToNull(cfg.path("WorkingDir").asText("")),
              emptyToNull(cfg.path("User").asText("")),
              labels(cfg.path("Labels")),
              i.path("Size").asLong(),
              DockerApi.instant(i.path("Created").asText())));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  void tag(String source, String target) {
    RepoTag repoTag = RepoTag.of(target);
    api.call(
        HttpRequest.post(
            "/images/"
                + encode(source)
                + "/tag?repo="
                + encode(repoTag.repository())
                + (repoTag.tag() == null ? "" : "&tag=" + encode(repoTag.tag()))),
        "tag image " + source + " as " + target);
  }

  /** Loads a {@code docker save} archive; the references (or ids) of the images it held. */
  List<String> load(InputStream archive) {
    List<String> loaded = new ArrayList<>();
    api.stream(
        HttpRequest.postStream("/images/load?quiet=1", "application/x-tar", archive),
        "load images",
        "load images failed",
        n -> {
          String stream = n.path("stream").asText("");
          for (String prefix : List.of("Loaded image: ", "Loaded image ID: ")) {
            if (stream.startsWith(prefix)) {
              loaded.add(stream.substring(prefix.length()).strip());
            }
          }
        });
    return loaded;
  }

  void pull(String reference, Consumer<PullProgress> progress) {
    RepoTag repoTag = RepoTag.of(reference);
    String path =
        "/images/create?fromImage="
            + encode(repoTag.repository())
            + (repoTag.tag() == null ? "" : "&tag=" + encode(repoTag.tag()));
    // As Docker's CLI: the engine (dockerd reads no config of its own) gets the client's login.
    api.stream(
        HttpRequest.post(path)
            .withHeader("X-Registry-Auth", RegistryAuthHeader.forImage(reference, environment)),
        "pull image " + reference,
        "pull image " + reference,
        n -> progress.accept(progressOf(reference, n)));
  }

  /**
   * Pushes {@code reference}; the digest from the stream's {@code aux}, as docker push reads it.
   */
  String push(String reference, Consumer<PullProgress> progress) {
    RepoTag repoTag = RepoTag.of(reference);
    String path =
        "/images/"
            + encode(repoTag.repository())
            + "/push"
            + (repoTag.tag() == null ? "" : "?tag=" + encode(repoTag.tag()));
    // The engine wants the header even when the registry needs no credentials ({}).
    String[] digest = {null};
    api.stream(
        HttpRequest.post(path)
            .withHeader("X-Registry-Auth", RegistryAuthHeader.forImage(reference, environment)),
        "push image " + reference,
        "push image " + reference,
        n -> {
          String d = n.path("aux").path("Digest").asText("");
          if (!d.isEmpty()) {
            digest[0] = d;
          }
          progress.accept(progressOf(reference, n));
        });
    if (digest[0] == null) {
      throw new EngineException(
          "the engine at "
              + api.address()
              + " pushed "
              + reference
              + " but reported no digest: push it with docker push to see what the registry says");
    }
    return digest[0];
  }

  void remove(String reference) {
    api.call(HttpRequest.delete("/images/" + encode(reference)), "remove image " + reference);
  }

  /** A pull's or push's progress object. */
  private static PullProgress progressOf(String reference, JsonNode n) {
    JsonNode detail = n.path("progressDetail");
    return new PullProgress(
        reference,
        n.path("id").asText(""),
        n.path("status").asText(""),
        detail.path("current").asLong(0),
        detail.path("total").asLong(0));
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
