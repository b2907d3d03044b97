package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.build.DockerIgnore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache keys: the same parts give the same key; the context digest sees content, not times. */
class BuildCacheTest {
  @TempDir Path context;
  private String before;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(context.resolve("a.txt"), "a");
    Files.createDirectories(context.resolve("dir"));
    Files.writeString(context.resolve("dir/b.txt"), "b");
    Files.writeString(context.resolve("ignored.log"), "x");
    before = digest();
  }

  private String digest() {
    return BuildCache.contextDigest(context, DockerIgnore.parse("*.log\n", ".dockerignore"));
  }

  @Test
  void key_dependsOnEveryPart_andTheirBoundaries() {
    assertThat(BuildCache.key(List.of("a", "b"))).isEqualTo(BuildCache.key(List.of("a", "b")));
    assertThat(BuildCache.key(List.of("a", "b"))).isNotEqualTo(BuildCache.key(List.of("ab", "")));
    assertThat(BuildCache.key(List.of("a"))).hasSize(64);
  }

  @Test
  void touchingAFile_orChangingAnIgnoredOne_keepsTheDigest() throws Exception {
    Files.setLastModifiedTime(context.resolve("a.txt"), FileTime.fromMillis(0));
    Files.writeString(context.resolve("ignored.log"), "changed");

    assertThat(digest()).isEqualTo(before);
  }

  @Test
  void content_mode_orANewFile_changeTheDigest() throws Exception {
    Files.writeString(context.resolve("dir/b.txt"), "B");
    String content = digest();
    Files.setPosixFilePermissions(
        context.resolve("a.txt"), PosixFilePermissions.fromString("rwx------"));
    String mode = digest();
    Files.writeString(context.resolve("dir/c.txt"), "");

    assertThat(List.of(before, content, mode, digest())).doesNotHaveDuplicates();
  }
}
