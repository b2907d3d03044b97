package io.jstack.runtime.build.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.image.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The images a build's {@code --cache-from} names, as dockerd's classic builder reads them ({@code
 * image/cache.ImageCache.GetCache}): a step that its own cache misses may take, instead of running,
 * the next history entry (and that entry's layer) of an image whose layers and history start with
 * those of the step's parent and whose next entry says what the step would write. Names the store
 * does not have (or cannot read as one image) are ignored, as dockerd ignores them; nothing is
 * pulled.
 */
public final class CacheFromImages {
  /**
   * What a step may reuse: a history entry of {@code image} and the layer it made ({@code layer}
   * and {@code diffId}, both null for an {@code empty_layer} entry).
   */
  public record Next(
      String image, ObjectNode entry, ImageStore.@Nullable Layer layer, @Nullable String diffId) {}

  private final ImageStore store;
  private final List<ImageStore.Image> sources = new ArrayList<>();

  /** The images of {@code names} the store has (names it lacks are left out). */
  public CacheFromImages(ImageStore store, List<String> names) {
    this.store = store;
    for (String name : names) {
      try {
        Optional<String> m = store.find(name);
        if (m.isPresent()) {
          sources.add(store.image(m.get()));
        }
      } catch (EngineException | IllegalArgumentException e) {
        // As dockerd: a cache-from image that cannot be read is no candidate.
      }
    }
  }

  /** Whether no named image is in the store. */
  public boolean isEmpty() {
    return sources.isEmpty();
  }

  /**
   * The entry after {@code parent}'s history (null: scratch) of the first image that starts as
   * {@code parent} does and whose next entry was {@code createdBy}; with {@code layerless}, only an
   * {@code empty_layer} one. Empty when no image has one, or when its layer is no longer whole in
   * the store.
   */
  public Optional<Next> next(@Nullable String parent, String createdBy, boolean layerless) {
    ImageStore.Image base = parent == null ? null : store.image(parent);
    List<JsonNode> history = base == null ? List.of() : entries(base);
    List<String> diffIds = base == null ? List.of() : base.diffIds();
    for (ImageStore.Image candidate : sources) {
      List<JsonNode> theirs = entries(candidate);
      if (!startsWith(theirs, history)
          || candidate.diffIds().size() < diffIds.size()
          || !candidate.diffIds().subList(0, diffIds.size()).equals(diffIds)
          || !(theirs.get(history.size()) instanceof ObjectNode entry)
          || !entry.path("created_by").asText("").equals(createdBy)) {
        continue;
      }
      boolean empty = entry.path("empty_layer").asBoolean(false);
      if (layerless && !empty) {
        continue;
      }
      if (empty) {
        return Optional.of(new Next(candidate.manifestDigest(), entry, null, null));
      }
      int index = layerIndex(theirs, history.size());
      if (index >= candidate.layers().size() || index != diffIds.size()) {
        continue;
      }
      ImageStore.Layer layer = candidate.layers().get(index);
      String diffId = candidate.diffIds().get(index);
      if (store.hasBlob(layer.digest()) && store.layer(diffId).isPresent()) {
        return Optional.of(new Next(candidate.manifestDigest(), entry, layer, diffId));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether unpacked layers {@code a} and {@code b} hold the same files: paths, types, modes,
   * owners, sizes, link targets and contents as {@link SourceDigest} reads a COPY's sources, times
   * left out (so a COPY whose sources were only touched still matches, as its cache key does).
   */
  public boolean sameFiles(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    Optional<java.nio.file.Path> x = store.layer(a);
    Optional<java.nio.file.Path> y = store.layer(b);
    return x.isPresent() && y.isPresent() && files(x.get()).equals(files(y.get()));
  }

  private static String files(java.nio.file.Path layer) {
    // A hash cache of its own, never saved: layers are not the context.
    return SourceDigest.of(
        new FileCopies.Source(layer, io.jstack.runtime.build.DockerIgnore.none(), true),
        List.of("."),
        List.of(),
        false,
        ContentHashes.load(layer.resolveSibling(".no-content-hashes")));
  }

  /** The layer index of history entry {@code at}: how many entries before it made a layer. */
  static int layerIndex(List<JsonNode> history, int at) {
    int n = 0;
    for (int i = 0; i < at; i++) {
      if (!history.get(i).path("empty_layer").asBoolean(false)) {
        n++;
      }
    }
    return n;
  }

  private static List<JsonNode> entries(ImageStore.Image image) {
    List<JsonNode> list = new ArrayList<>();
    image.config().path("history").forEach(list::add);
    return list;
  }

  /**
   * Whether {@code list} has more elements than {@code prefix} and starts with them (dockerd's
   * {@code isValidParent}, which also wants one entry more than the parent's).
   */
  static <T> boolean startsWith(List<T> list, List<T> prefix) {
    return list.size() > prefix.size() && list.subList(0, prefix.size()).equals(prefix);
  }
}
