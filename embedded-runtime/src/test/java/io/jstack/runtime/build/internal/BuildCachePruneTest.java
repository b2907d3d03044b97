package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.build.CachePruned;
import io.jstack.runtime.image.ImageCommit;
import io.jstack.runtime.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache entries keep their images through garbage collection until a prune: by default the entries
 * of images no tag names, with {@code all} every entry, and the cache mounts.
 */
class BuildCachePruneTest {
  @TempDir Path dir;
  private ImageStore store;
  private BuildCache cache;
  private String intermediate;
  private String named;

  @BeforeEach
  void images() throws Exception {
    store = ImageStore.open(new DataRoot(dir.resolve("data")));
    cache = new BuildCache(dir.resolve("data/build-cache"), store);
    intermediate = commit(null, "one");
    named = commit(intermediate, "two");
    store.tag(ImageReference.parse("app:latest"), named);
    cache.put("k1", intermediate);
    cache.put("k2", named);
    Files.createDirectories(dir.resolve("data/build-cache/mounts/m1"));
    Files.write(dir.resolve("data/build-cache/mounts/m1/blob"), new byte[4096]);
  }

  private String commit(String base, String file) throws Exception {
    Path changes = Files.createDirectories(dir.resolve("changes-" + file));
    Files.writeString(changes.resolve(file), file);
    return ImageCommit.commit(
        store,
        base,
        changes,
        StageState.scratchDefaults(),
        new ImageCommit.History(Instant.now(), "COPY " + file, null, null, null),
        null);
  }

  @Test
  void garbageCollection_keepsTheImagesTheCacheHolds() {
    store.forget(intermediate);
    store.collectGarbage();

    assertThat(cache.lookup("k1")).contains(intermediate);
    assertThat(cache.lookup("k3")).isEmpty();
  }

  @Test
  void prune_takesIntermediateImagesEntries_thenWithAllEveryEntry() {
    store.forget(intermediate); // committed untagged images are kept under @digest until then
    CachePruned dangling = cache.prune(false, 0, null);

    assertThat(dangling.deleted()).containsExactly("k1", "mount:m1");
    assertThat(dangling.reclaimed()).isGreaterThanOrEqualTo(4096);
    assertThat(cache.lookup("k1")).isEmpty();
    assertThat(store.hasBlob(intermediate)).isFalse();
    assertThat(Files.exists(dir.resolve("data/build-cache/mounts/m1"))).isFalse();
    assertThat(cache.lookup("k2")).contains(named);

    assertThat(cache.prune(true, 0, null).deleted()).containsExactly("k2");
    assertThat(cache.lookup("k2")).isEmpty();
    assertThat(store.hasBlob(named)).as("a tag keeps the image itself").isTrue();
  }

  @Test
  void prune_leavesACacheMountARunUses_andTakesItOnceLetGo() throws Exception {
    Path mounts = dir.resolve("data/build-cache/mounts");
    CacheMounts.Claim used =
        CacheMounts.claim(
            mounts, "cache-dir:/in-use", "shared", d -> Files.writeString(d.resolve("f"), "x"));
    try {
      CachePruned first = cache.prune(true, 0, null);

      assertThat(first.deleted())
          .contains("mount:m1")
          .doesNotContain("mount:" + used.dir().getFileName());
      assertThat(used.dir().resolve("f")).hasContent("x");
    } finally {
      used.release();
    }
    assertThat(cache.prune(true, 0, null).deleted())
        .containsExactly("mount:" + used.dir().getFileName());
    assertThat(used.dir()).doesNotExist();
  }

  @Test
  void prune_until_andKeepStorage_keepWhatWasUsedRecently_orFits() {
    store.forget(intermediate);
    store.forget(named);

    assertThat(cache.prune(true, 0, Instant.now().minusSeconds(3600)).deleted()).isEmpty();
    assertThat(cache.prune(true, 1 << 20, null).deleted()).isEmpty();
    // Layers no tag uses count against keep-storage; 1 byte keeps none of them.
    assertThat(cache.prune(true, 1, null).deleted()).containsExactlyInAnyOrder("k1", "k2");
    assertThat(store.hasBlob(named)).isFalse();
  }
}
