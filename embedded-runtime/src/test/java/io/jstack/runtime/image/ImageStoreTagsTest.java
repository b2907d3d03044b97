package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags in the store: several removed in one change, as a build drops its temporary ones; an image
 * whose last name moves stays, dangling, as dockerd keeps it.
 */
class ImageStoreTagsTest {
  @TempDir Path dir;

  @Test
  void untag_ofSeveral_removesThoseThereAndCountsThem() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String manifest =
        store.putBlob("{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8));
    ImageReference a = ImageReference.parse("jstack-build-x:0");
    ImageReference b = ImageReference.parse("jstack-build-x:1");
    ImageReference kept = ImageReference.parse("app:1");
    store.tag(a, manifest);
    store.tag(b, manifest);
    store.tag(kept, manifest);

    int removed = store.untag(List.of(a, b, ImageReference.parse("jstack-build-x:2")));

    assertThat(removed).isEqualTo(2);
    assertThat(store.tags()).containsOnlyKeys(kept.toString());
    assertThat(store.untag(List.of())).isZero();
    assertThat(store.untag(kept)).isTrue();
    assertThat(store.tags()).isEmpty();
  }

  @Test
  void retag_pointsTagsAtAnImage_andRemovesOthers_orRefusesAnImageNotThere() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String manifest =
        store.putBlob("{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8));
    ImageReference temporary = ImageReference.parse("jstack-build-x:0");
    store.tag(temporary, manifest);

    store.retag(
        manifest,
        List.of(ImageReference.parse("app"), ImageReference.parse("app:1")),
        List.of(temporary));

    assertThat(store.tags())
        .containsOnlyKeys("docker.io/library/app:latest", "docker.io/library/app:1");
    assertThat(store.tags()).containsValue(manifest);
    assertThatThrownBy(() -> store.retag("sha256:" + "0".repeat(64), List.of(temporary), List.of()))
        .hasMessageContaining("is not in the store");
    assertThat(store.tags())
        .containsOnlyKeys("docker.io/library/app:latest", "docker.io/library/app:1");
  }

  @Test
  void anImageWhoseLastNameMoves_staysDangling_andOneWithAnotherNameDoesNot() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String first = image(store, "first");
    String second = image(store, "second");
    String third = image(store, "third");
    store.tag(ImageReference.parse("app:1"), first);
    store.tag(ImageReference.parse("app:2"), second);
    store.tag(ImageReference.parse("other:1"), second);

    store.tag(ImageReference.parse("app:1"), third);
    store.tag(ImageReference.parse("app:2"), third);
    store.tag(ImageReference.parse("app:2"), third);

    assertThat(store.tags())
        .containsOnlyKeys(
            "docker.io/library/app:1",
            "docker.io/library/app:2",
            "docker.io/library/other:1",
            "@" + first);
    assertThat(store.tags()).containsEntry("@" + first, first);
    store.collectGarbage();
    assertThat(store.hasBlob(first)).isTrue();
    assertThat(store.image(first).config().path("comment").asText()).isEqualTo("first");
  }

  @Test
  void settle_afterANameWent_seesNamesAddedMeanwhile_keepsAnImageInUse_elseLetsItGo() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String renamed = image(store, "renamed");
    String used = image(store, "used");
    String gone = image(store, "gone");
    store.tag(ImageReference.parse("app:1"), renamed);
    store.keep(gone);

    assertThat(store.settle(renamed, false)).isEqualTo(ImageStore.Settled.NAMED);
    assertThat(store.settle(used, true)).isEqualTo(ImageStore.Settled.KEPT);
    assertThat(store.settle(gone, false)).isEqualTo(ImageStore.Settled.UNREFERENCED);

    assertThat(store.tags())
        .containsOnlyKeys("docker.io/library/app:1", "@" + used)
        .containsEntry("@" + used, used);
  }

  @Test
  void aDigestReference_isKeptAsSuch_andResolves() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String manifest = image(store, "pinned");
    String index = "sha256:" + "a".repeat(64); // a pull by an index's digest: no such blob here
    ImageReference byDigest = ImageReference.parse("registry:5000/team/app@" + index);

    store.tag(byDigest, manifest);

    assertThat(store.tags()).containsOnlyKeys("registry:5000/team/app@" + index);
    assertThat(store.resolve(byDigest)).contains(manifest);
    assertThat(store.resolve(ImageReference.parse("registry:5000/team/app@" + manifest)))
        .as("a manifest's own digest resolves by its blob")
        .contains(manifest);
  }

  /** A stored image without layers, its config told apart by {@code comment}. */
  private static String image(ImageStore store, String comment) {
    String config =
        store.putBlob(
            ("{\"comment\":\"" + comment + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8));
    return store.putBlob(
        ("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config + "\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8));
  }
}
