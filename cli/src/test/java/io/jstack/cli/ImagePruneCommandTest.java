package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.ImageHolds;
import io.jstack.runtime.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jstack image prune}: the store's garbage only, as {@code docker image prune} leaves the
 * builder's cache alone; with {@code --build-cache} the cache too, as {@code docker builder prune}.
 */
class ImagePruneCommandTest {
  @TempDir Path dir;

  private JstackRunner.Run jstack(String... args) {
    return new JstackRunner(
            Map.of("JSTACK_DATA_ROOT", dir.resolve("data").toString(), "HOME", dir.toString()))
        .run(new String[0], args);
  }

  @Test
  void buildCache_isReclaimedOnlyWhenAsked() throws Exception {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("data")));
    String manifest =
        store.putBlob(
            ("{\"schemaVersion\":2,\"config\":{\"digest\":\""
                    + store.putBlob(
                        "{\"rootfs\":{\"diff_ids\":[]}}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "\"},\"layers\":[]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    new ImageHolds(store).hold("build-0123abcd", manifest);
    Path mount = Files.createDirectories(dir.resolve("data/build-cache/mounts/m1"));
    Files.write(mount.resolve("f"), new byte[1500]);

    JstackRunner.Run plain = jstack("image", "prune");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).doesNotContain("build cache");
    assertThat(store.hasBlob(manifest)).as("the cache holds its image").isTrue();

    JstackRunner.Run all = jstack("image", "prune", "--all");
    assertThat(all.code()).isEqualTo(2);
    assertThat(all.err()).contains("--all reclaims the build cache: add --build-cache");

    JstackRunner.Run cache = jstack("image", "prune", "--build-cache");
    assertThat(cache.code()).as(cache.err()).isZero();
    assertThat(cache.out())
        .startsWith("Deleted build cache objects:\n0123abcd\nmount:m1\n\nTotal reclaimed space: ");
    assertThat(store.hasBlob(manifest)).isFalse();
    assertThat(Files.exists(mount)).isFalse();
  }

  @Test
  void humanSize_isDockers() {
    assertThat(ImageCommands.humanSize(0)).isEqualTo("0B");
    assertThat(ImageCommands.humanSize(1500)).isEqualTo("1.5kB");
    assertThat(ImageCommands.humanSize(123_456_789)).isEqualTo("123.5MB");
  }
}
