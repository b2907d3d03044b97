package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.ImageCommit;
import io.jstack.runtime.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which history entry of a {@code --cache-from} image a step may take, as dockerd's {@code
 * ImageCache.GetCache} chooses it, and that {@link ImageCommit#reuse} of each entry in turn makes
 * the cached image again, ID for ID.
 */
class CacheFromImagesTest {
  @TempDir Path dir;
  private ImageStore store;
  private String one;
  private String env;
  private String two;

  @BeforeEach
  void images() throws Exception {
    store = ImageStore.open(new DataRoot(dir.resolve("data")));
    one = commit(null, "one", "COPY one / # buildkit", Instant.parse("2026-01-01T00:00:00Z"));
    env = commit(one, null, "ENV X=1", Instant.parse("2026-01-02T00:00:00Z"));
    two = commit(env, "two", "RUN two", Instant.parse("2026-01-03T00:00:00Z"));
    store.tag(ImageReference.parse("app:cache"), two);
  }

  private String commit(@Nullable String base, @Nullable String file, String by, Instant at)
      throws Exception {
    Path changes = null;
    if (file != null) {
      changes = Files.createDirectories(dir.resolve("changes-" + file + at.getEpochSecond()));
      Files.writeString(changes.resolve(file), file);
    }
    return ImageCommit.commit(
        store,
        base,
        changes,
        StageState.scratchDefaults(),
        new ImageCommit.History(at, by, null, null, null),
        null);
  }

  @Test
  void eachEntryInTurn_givesTheCachedImagesAgain_withoutRunningAnything() {
    CacheFromImages cache = new CacheFromImages(store, List.of("absent:1", "app:cache"));
    assertThat(cache.isEmpty()).isFalse();

    String parent = null;
    String[][] steps = {{"COPY one / # buildkit", "layer"}, {"ENV X=1", ""}, {"RUN two", "layer"}};
    List<String> expected = List.of(one, env, two);
    for (int i = 0; i < steps.length; i++) {
      boolean layerless = steps[i][1].isEmpty();
      CacheFromImages.Next next = cache.next(parent, steps[i][0], layerless).orElseThrow();
      assertThat(next.image()).isEqualTo(two);
      assertThat(next.layer() == null).isEqualTo(layerless);
      parent =
          ImageCommit.reuse(
              store,
              parent,
              next.layer(),
              next.diffId(),
              StageState.scratchDefaults(),
              next.entry(),
              ImageReference.parse("step:" + i));
      assertThat(store.image(parent).configDigest())
          .isEqualTo(store.image(expected.get(i)).configDigest());
      assertThat(store.image(parent).layers()).isEqualTo(store.image(expected.get(i)).layers());
    }
    // Past the cached image's last entry there is nothing to take.
    assertThat(cache.next(parent, "RUN three", false)).isEmpty();
  }

  @Test
  void aStepTakesOnlyTheNextEntry_ofAnImageThatStartsAsItsParent_andSaysWhatTheStepWrites()
      throws Exception {
    CacheFromImages cache = new CacheFromImages(store, List.of("app:cache"));

    assertThat(cache.next(null, "COPY other / # buildkit", false)).isEmpty();
    // The entry after the parent's is ENV, not RUN two.
    assertThat(cache.next(one, "RUN two", false)).isEmpty();
    // A metadata step takes only an empty_layer entry.
    assertThat(cache.next(env, "RUN two", true)).isEmpty();
    assertThat(cache.next(env, "RUN two", false)).isPresent();
    // A parent made at another time has another history: the cached image does not start as it.
    String other =
        commit(null, "one", "COPY one / # buildkit", Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(cache.next(other, "ENV X=1", true)).isEmpty();
  }

  @Test
  void namesTheStoreLacks_areIgnored() {
    assertThat(
            new CacheFromImages(store, List.of("absent:1", "sha256:" + "0".repeat(64))).isEmpty())
        .isTrue();
  }

  @Test
  void layerIndex_countsTheEntriesBeforeThatMadeALayer() {
    List<ImageCommit.HistoryEntry> history =
        List.of(
            new ImageCommit.HistoryEntry("a", false, "{}"),
            new ImageCommit.HistoryEntry("b", true, "{}"),
            new ImageCommit.HistoryEntry("c", false, "{}"),
            new ImageCommit.HistoryEntry("d", false, "{}"));
    assertThat(CacheFromImages.layerIndex(history, 0)).isZero();
    assertThat(CacheFromImages.layerIndex(history, 2)).isEqualTo(1);
    assertThat(CacheFromImages.layerIndex(history, 3)).isEqualTo(2);
  }
}
