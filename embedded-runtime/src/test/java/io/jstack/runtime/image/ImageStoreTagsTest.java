package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags in the store: several removed in one change, as a build drops its temporary ones. */
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
}
