package io.jstack.runtime.build.internal;

import io.jstack.engine.EngineException;
import io.jstack.runtime.image.ImageCommit;
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
      String image,
      ImageCommit.HistoryEntry entry,
      ImageStore.@Nullable Layer layer,
      @Nullable String diffId) {}

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
    List<ImageCommit.HistoryEntry> history =
        base == null ? List.of() : ImageCommit.HistoryEntry.of(base);
    List<String> diffIds = base == null ? List.of() : base.diffIds();
    for (ImageStore.Image candidate : sources) {
      List<ImageCommit.HistoryEntry> theirs = ImageCommit.HistoryEntry.of(candidate);
      if (!startsWith(theirs, history)
          || candidate.diffIds().size() < diffIds.size()
          || !candidate.diffIds().subList(0, diffIds.size()).equals(diffIds)
          || !theirs.get(history.size()).createdBy().equals(createdBy)) {
        continue;
      }
      ImageCommit.HistoryEntry entry = theirs.get(history.size());
      boolean empty = entry.emptyLayer();
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
   * Whether image {@code made}, a step's over {@code parent} (null: scratch), added what {@code
   * next} adds: no layer, or one with the same files: paths, types, modes, owners, sizes, link
   * targets and contents as {@link SourceDigest} reads a COPY's sources, times left out (so a COPY
   * whose sources were only touched still matches, as its cache key does).
   */
  public boolean sameLayer(@Nullable String parent, String made, Next next) {
    List<String> ids = store.image(made).diffIds();
    int before = parent == null ? 0 : store.image(parent).diffIds().size();
    String mine = ids.size() > before ? ids.get(ids.size() - 1) : null;
    String theirs = next.diffId();
    return mine == null || theirs == null
        ? java.util.Objects.equals(mine, theirs)
        : sameFiles(mine, theirs);
  }

  private boolean sameFiles(String a, String b) {
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
        new FileCopies.Source(layer, io.jstack.engine.docker.DockerIgnore.none(), true),
        List.of("."),
        List.of(),
        false,
        ContentHashes.load(layer.resolveSibling(".no-content-hashes")));
  }

  /** The layer index of history entry {@code at}: how many entries before it made a layer. */
  static int layerIndex(List<ImageCommit.HistoryEntry> history, int at) {
    int n = 0;
    for (int i = 0; i < at; i++) {
      if (!history.get(i).emptyLayer()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether {@code list} has more elements than {@code prefix} and starts with them (dockerd's
   * {@code isValidParent}, which also wants one entry more than the parent's).
   */
  static <T> boolean startsWith(List<T> list, List<T> prefix) {
    return list.size() > prefix.size() && list.subList(0, prefix.size()).equals(prefix);
  }
}
