package io.jstack.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.BuildSpec;
import io.jstack.engine.Engine.PullProgress;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The fake engine's images: a local store of image ids and the references that name them, and a
 * "registry" of references a pull fetches and a push fills. References are found in any form
 * ({@code nginx}, {@code nginx:latest} and {@code docker.io/library/nginx:latest} are one image) or
 * by id.
 */
final class FakeImages {
  private final FakeState state;
  private final FaultInjection faults;

  FakeImages(FakeState state, FaultInjection faults) {
    this.state = state;
    this.faults = faults;
  }

  void registry(String reference, String imageId) {
    Objects.requireNonNull(imageId, "imageId");
    synchronized (state.lock) {
      state.registry.put(FakeState.normalize(reference), imageId);
    }
  }

  void localImage(String reference, String imageId) {
    Objects.requireNonNull(imageId, "imageId");
    synchronized (state.lock) {
      state.images.add(imageId);
      state.tags.put(FakeState.normalize(reference), imageId);
    }
  }

  /** The local image a reference or id names: its tags and labels; no config besides. */
  Optional<ImageInfo> image(String reference) {
    synchronized (state.lock) {
      return Optional.ofNullable(state.localImageId(reference)).map(this::imageInfo);
    }
  }

  /** Local images carrying every label of {@code labels}, by id. */
  List<ImageInfo> images(Map<String, String> labels) {
    synchronized (state.lock) {
      return state.images.stream()
          .sorted()
          .filter(id -> FakeState.matches(state.imageLabels.getOrDefault(id, Map.of()), labels))
          .map(this::imageInfo)
          .toList();
    }
  }

  /**
   * Fetches the image the registry holds for {@code reference} into the local store, reporting
   * Docker-like progress: "Pulling from", then one layer's progress unless the local image is
   * already the registry's, then a "Status:" line.
   *
   * @throws EngineException.NotFound when the registry does not have it
   */
  void pullImage(String reference, Consumer<PullProgress> progress) {
    Objects.requireNonNull(reference, "reference");
    Consumer<PullProgress> report = progress == null ? p -> {} : progress;
    faults.mutate(
        "pullImage",
        reference,
        () -> {
          String ref = FakeState.normalize(reference);
          String repository = repository(ref);
          String imageId;
          boolean upToDate;
          synchronized (state.lock) {
            imageId = state.registry.get(ref);
            if (imageId == null) {
              boolean knownRepository =
                  state.registry.keySet().stream().anyMatch(r -> repository(r).equals(repository));
              throw new EngineException.NotFound(
                  knownRepository
                      ? "manifest for " + ref + " not found: manifest unknown"
                      : "pull access denied for "
                          + repository
                          + ", repository does not exist or may require 'docker login'");
            }
            upToDate = imageId.equals(state.tags.get(ref));
          }
          report.accept(new PullProgress(reference, "", "Pulling from " + repository, 0, 0));
          if (!upToDate) {
            String layer = shortId(imageId);
            long size = 1L << 20;
            report.accept(new PullProgress(reference, layer, "Pulling fs layer", 0, 0));
            report.accept(new PullProgress(reference, layer, "Downloading", size / 2, size));
            report.accept(new PullProgress(reference, layer, "Downloading", size, size));
            report.accept(new PullProgress(reference, layer, "Pull complete", size, size));
            synchronized (state.lock) {
              state.images.add(imageId);
              state.tags.put(ref, imageId);
            }
          }
          report.accept(
              new PullProgress(
                  reference,
                  "",
                  (upToDate
                          ? "Status: Image is up to date for "
                          : "Status: Downloaded newer image for ")
                      + ref,
                  0,
                  0));
        });
  }

  /**
   * Copies a local image into the registry under its reference; its manifest digest is a hash of
   * the image's ID (the same image, the same digest).
   */
  String pushImage(String reference, Consumer<PullProgress> progress) {
    String[] digest = {null};
    faults.mutate(
        "pushImage",
        reference,
        () -> {
          synchronized (state.lock) {
            String id = state.localImageId(reference);
            if (id == null) {
              // dockerd answers 200 and says it in the stream: a plain EngineException.
              throw new EngineException(
                  "An image does not exist locally with the tag: " + reference);
            }
            state.registry.put(FakeState.normalize(reference), id);
            digest[0] = "sha256:" + sha256(id);
            // As a registry: the manifest by its digest too.
            String normalized = FakeState.normalize(reference);
            String repository =
                normalized.contains("@")
                    ? normalized.substring(0, normalized.indexOf('@'))
                    : normalized.substring(0, normalized.lastIndexOf(':'));
            state.registry.put(repository + "@" + digest[0], id);
          }
          progress.accept(new PullProgress(reference, "", "Pushed", 0, 0));
        });
    return java.util.Objects.requireNonNull(digest[0], "a push that succeeded has a digest");
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  String commit(String containerId, io.jstack.engine.Engine.CommitSpec spec) {
    synchronized (state.lock) {
      FakeContainer c = state.require(containerId);
      String id = "sha256:" + FakeState.sha256Hex(c.id + "\0" + state.images.size());
      state.images.add(id);
      if (!c.spec.labels().isEmpty()) {
        state.imageLabels.put(id, Map.copyOf(c.spec.labels()));
      }
      if (spec.reference() != null) {
        state.tags.put(FakeState.normalize(spec.reference()), id);
      }
      return id;
    }
  }

  void tagImage(String source, String target) {
    faults.mutate(
        "tagImage",
        source,
        () -> {
          synchronized (state.lock) {
            String id = state.localImageId(source);
            if (id == null) {
              throw new EngineException.NotFound("No such image: " + source);
            }
            state.tags.put(FakeState.normalize(target), id);
          }
        });
  }

  /**
   * Removes a reference: untags it when the image has other tags, else deletes the image.
   *
   * @throws EngineException.NotFound when no local image has that reference or id
   * @throws EngineException.Conflict when that would delete an image a container (running or not)
   *     was created from, or an id names an image with several tags
   */
  void removeImage(String reference) {
    faults.mutate(
        "removeImage",
        reference,
        () -> {
          synchronized (state.lock) {
            String ref = FakeState.normalize(reference);
            boolean byTag = state.tags.containsKey(ref);
            String imageId = state.localImageId(reference);
            if (imageId == null) {
              throw new EngineException.NotFound("No such image: " + reference);
            }
            List<String> imageTags = state.tagsOf(imageId);
            if (!byTag && imageTags.size() > 1) {
              throw new EngineException.Conflict(
                  "conflict: unable to delete "
                      + shortId(imageId)
                      + " (must be forced) - image is referenced in multiple repositories");
            }
            boolean deletes = !byTag || imageTags.size() == 1;
            if (deletes) {
              Optional<FakeContainer> user =
                  state.containers.values().stream()
                      .filter(c -> c.imageId.equals(imageId))
                      .findFirst();
              if (user.isPresent()) {
                throw new EngineException.Conflict(
                    "conflict: unable to remove repository reference \""
                        + reference
                        + "\" (must force) - container "
                        + user.get().id.substring(0, 12)
                        + " is using its referenced image "
                        + shortId(imageId));
              }
              state.tags.values().removeIf(imageId::equals);
              state.images.remove(imageId);
              state.imageLabels.remove(imageId);
            } else {
              state.tags.remove(ref);
            }
          }
        });
  }

  /**
   * Loads the images a {@code docker save} archive names in its {@code manifest.json}: their {@code
   * Config} file name gives the id, {@code RepoTags} the names, the config its labels; layers are
   * not kept.
   */
  List<String> loadImages(InputStream archive) {
    Map<String, byte[]> files;
    try {
      files = TarEntries.readAll(archive);
    } catch (IOException e) {
      throw new EngineException("load images: cannot read the archive: " + e.getMessage());
    }
    byte[] manifest = files.get("manifest.json");
    if (manifest == null) {
      throw new EngineException(
          "load images: the archive has no manifest.json (is it a docker save archive?)");
    }
    List<String> loaded = new ArrayList<>();
    try {
      ObjectMapper json = new ObjectMapper();
      for (JsonNode m : json.readTree(manifest)) {
        String config = m.path("Config").asText();
        String id = "sha256:" + config.replaceAll("^.*/", "").replace(".json", "");
        Map<String, String> labels = new TreeMap<>();
        byte[] configFile = files.get(config);
        if (configFile != null) {
          json.readTree(configFile)
              .path("config")
              .path("Labels")
              .properties()
              .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        synchronized (state.lock) {
          state.images.add(id);
          if (!labels.isEmpty()) {
            state.imageLabels.put(id, Map.copyOf(labels));
          }
          if (m.path("RepoTags").isEmpty()) {
            loaded.add(id);
          }
          for (JsonNode t : m.path("RepoTags")) {
            state.tags.put(FakeState.normalize(t.asText()), id);
            loaded.add(t.asText());
          }
        }
      }
    } catch (IOException e) {
      throw new EngineException("load images: manifest.json is not valid JSON: " + e.getMessage());
    }
    return loaded;
  }

  /**
   * "Builds" an image whose id depends on the Dockerfile's text, the build args, target and labels,
   * so that changing any of them gives a new image, with the spec's labels, and tags it with every
   * tag of the spec.
   */
  String buildImage(BuildSpec spec, Consumer<String> progress) {
    Objects.requireNonNull(spec, "spec");
    String[] id = new String[1];
    faults.mutate(
        "buildImage",
        spec.tags().isEmpty() ? spec.context().toString() : spec.tags().get(0),
        () -> {
          String dockerfile;
          try {
            dockerfile =
                spec.dockerfileInline() != null
                    ? spec.dockerfileInline()
                    : Files.readString(
                        spec.context()
                            .resolve(spec.dockerfile() == null ? "Dockerfile" : spec.dockerfile()));
          } catch (IOException e) {
            throw new EngineException("build: cannot read the Dockerfile: " + e.getMessage());
          }
          String content =
              dockerfile
                  + "\0"
                  + spec.args()
                  + "\0"
                  + spec.target()
                  + "\0"
                  + new TreeMap<>(spec.labels());
          id[0] = "sha256:" + FakeState.sha256Hex(content);
          synchronized (state.lock) {
            state.images.add(id[0]);
            if (!spec.labels().isEmpty()) {
              state.imageLabels.put(id[0], Map.copyOf(spec.labels()));
            }
            for (String tag : spec.tags()) {
              state.tags.put(FakeState.normalize(tag), id[0]);
            }
          }
          progress.accept("Successfully built " + id[0]);
        });
    return id[0];
  }

  private ImageInfo imageInfo(String imageId) {
    return ImageInfo.named(
        imageId, state.tagsOf(imageId), state.imageLabels.getOrDefault(imageId, Map.of()));
  }

  /** A normalized reference without its tag or digest. */
  private static String repository(String ref) {
    int at = ref.indexOf('@');
    String name = at >= 0 ? ref.substring(0, at) : ref;
    int colon = name.indexOf(':', name.lastIndexOf('/') + 1);
    return colon >= 0 ? name.substring(0, colon) : name;
  }

  static String shortId(String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
