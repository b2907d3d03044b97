package io.jstack.runtime.image.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffSizeTest {
  @TempDir Path dir;

  /** As moby's pkg/directory.Size: no directories, links by lstat, a hard-linked file once. */
  @Test
  void countsFilesAndLinksOnce_notDirectories_norWhatALinkPointsTo() throws Exception {
    Path layer = Files.createDirectories(dir.resolve("layer/sub/deeper"));
    Files.writeString(dir.resolve("layer/sub/ten.txt"), "0123456789");
    Files.createLink(dir.resolve("layer/hard.txt"), dir.resolve("layer/sub/ten.txt"));
    Files.createSymbolicLink(dir.resolve("layer/abc"), Path.of("xyz"));
    Files.writeString(dir.resolve("outside.txt"), "x".repeat(1000));
    Files.createSymbolicLink(dir.resolve("layer/out"), dir.resolve("outside.txt"));
    Files.createFile(dir.resolve("layer/empty"));

    long outLink = dir.resolve("outside.txt").toString().length();
    assertThat(DiffSize.of(dir.resolve("layer"))).isEqualTo(10 + 3 + outLink);
    assertThat(DiffSize.of(layer)).isZero();
  }
}
