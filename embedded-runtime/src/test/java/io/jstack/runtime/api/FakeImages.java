package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.engine.ImageRemoval;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Images in memory: tags, and the images they point to, given by the test; removals, pulls and
 * loads answer what the test set up and are written down.
 */
final class FakeImages implements ImageService {
  final Map<String, String> tags = new TreeMap<>();
  final Map<String, ImageStore.Image> images = new HashMap<>();
  final List<String> calls = new ArrayList<>();

  /** What a removal answers; null: there is no such image. */
  ImageRemoval removal;

  /** What a removal throws, if set. */
  RuntimeException removalFailure;

  /** What a pull reports; a pull of {@code failing} fails. */
  List<RegistryClient.Progress> progress = List.of();

  RuntimeException pullFailure;
  List<ImageArchives.Loaded> loaded = List.of();

  /** The sizes of the layers "unpacked here", by diff ID. */
  final Map<String, Long> diffSizes = new java.util.HashMap<>();

  @Override
  public java.util.OptionalLong diffSize(String diffId) {
    Long size = diffSizes.get(diffId);
    return size == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(size);
  }

  FakeImages with(ImageStore.Image image, String... tagsOfIt) {
    images.put(image.manifestDigest(), image);
    for (String t : tagsOfIt) {
      tags.put(t, image.manifestDigest());
    }
    return this;
  }

  @Override
  public Map<String, String> tags() {
    return Map.copyOf(tags);
  }

  @Override
  public ImageStore.Image image(String manifestDigest) {
    return images.get(manifestDigest);
  }

  @Override
  public Optional<String> findImage(String reference) {
    return Optional.ofNullable(tags.get(reference));
  }

  /** The config digests containers are made from. */
  final java.util.Set<String> inUse = new java.util.HashSet<>();

  @Override
  public java.util.Set<String> imagesInUse() {
    return java.util.Set.copyOf(inUse);
  }

  /**
   * Without a {@link #removal} set, a name (or, by its config digest, an image without names) is
   * taken off as the engine does: the image goes with its last name.
   */
  @Override
  public ImageRemoval removeImage(String reference, boolean force) {
    calls.add("remove " + reference + " force=" + force);
    if (removalFailure != null) {
      throw removalFailure;
    }
    if (removal != null) {
      return removal;
    }
    String manifest = tags.get(reference);
    List<String> untagged = new ArrayList<>();
    if (manifest != null) {
      tags.remove(reference);
      untagged.add(reference);
    } else {
      manifest =
          images.values().stream()
              .filter(i -> i.configDigest().equals(reference))
              .map(ImageStore.Image::manifestDigest)
              .findFirst()
              .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
      String m = manifest;
      tags.entrySet().removeIf(t -> t.getValue().equals(m) && t.getKey().startsWith("@"));
    }
    if (tags.containsValue(manifest)) {
      return new ImageRemoval(untagged, Optional.empty());
    }
    return new ImageRemoval(untagged, Optional.of(images.remove(manifest).configDigest()));
  }

  @Override
  public void pull(
      ImageReference ref,
      io.jstack.runtime.image.RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> report) {
    calls.add("pull " + ref + (credentials == null ? "" : " as " + credentials.username()));
    progress.forEach(report);
    if (pullFailure != null) {
      throw pullFailure;
    }
  }

  @Override
  public void tag(String source, ImageReference target) {
    calls.add("tag " + source + " " + target);
    String manifest = findImage(source).orElse(null);
    if (manifest == null) {
      throw new EngineException.NotFound("No such image: " + source);
    }
    tags.put(target.toString(), manifest);
  }

  @Override
  public String push(
      ImageReference ref,
      io.jstack.runtime.image.RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> report) {
    calls.add("push " + ref + (credentials == null ? "" : " as " + credentials.username()));
    report.accept(new RegistryClient.Progress("l0", "Pushed", 5, 5));
    return "sha256:pushed";
  }

  @Override
  public void login(io.jstack.runtime.image.RegistryCredentials credentials) {
    calls.add("login " + credentials.username() + " at " + credentials.serverAddress());
    if ("wrong".equals(credentials.password())) {
      throw new EngineException.Unauthorized(
          "unauthorized: the registry refused the " + credentials);
    }
  }

  @Override
  public void save(List<ImageReference> refs, java.io.OutputStream out) {
    calls.add("save " + refs);
    try {
      out.write(("archive of " + refs.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String commit(
      String container,
      String reference,
      String comment,
      String author,
      List<String> changes,
      boolean pause) {
    calls.add(
        "commit "
            + container
            + " as "
            + reference
            + " comment="
            + comment
            + " author="
            + author
            + (changes.isEmpty() ? "" : " changes=" + changes)
            + " pause="
            + pause);
    return "sha256:committed";
  }

  @Override
  public List<ImageArchives.Loaded> load(InputStream archive) {
    try {
      calls.add("load " + archive.readAllBytes().length + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return loaded;
  }
}
