package io.jstack.runtime.container.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new volume's first fill from the image: done once into an empty volume, never over what is
 * there, and done again from the start when an earlier fill did not finish (its engine was killed
 * midway), so that no volume stays half-filled.
 */
class VolumeFillTest {
  @TempDir Path dir;
  Path image;
  Path volume;

  @BeforeEach
  void anImageDirectoryAndAnEmptyVolume() throws Exception {
    image = Files.createDirectories(dir.resolve("rootfs/var/lib/app"));
    Files.writeString(image.resolve("a.conf"), "a\n");
    Files.createDirectories(image.resolve("sub"));
    Files.writeString(image.resolve("sub/b.conf"), "b\n");
    Files.createSymbolicLink(image.resolve("link"), Path.of("/etc/passwd"));
    volume = Files.createDirectories(dir.resolve("volumes/data/_data"));
  }

  private String listing() throws Exception {
    try (Stream<Path> all = Files.walk(volume)) {
      return String.join(",", all.map(p -> volume.relativize(p).toString()).sorted().toList());
    }
  }

  @Test
  void anEmptyVolume_getsTheImagesFiles_andNoMarkerStays() throws Exception {
    Bundles.populate(image, volume);

    assertThat(listing()).isEqualTo(",a.conf,link,sub,sub/b.conf");
    assertThat(Files.readSymbolicLink(volume.resolve("link"))).isEqualTo(Path.of("/etc/passwd"));
    assertThat(volume.resolveSibling(Bundles.FILLING)).doesNotExist();
  }

  @Test
  void aVolumeWithData_isLeftAlone() throws Exception {
    Files.writeString(volume.resolve("mine.db"), "precious\n");

    Bundles.populate(image, volume);

    assertThat(listing()).isEqualTo(",mine.db");
  }

  @Test
  void aFillThatDidNotFinish_isDoneAgainFromTheStart() throws Exception {
    // What a kill midway leaves: the marker, and part of the files.
    Files.createFile(volume.resolveSibling(Bundles.FILLING));
    Files.writeString(volume.resolve("a.conf"), "a, half writ");
    Files.createDirectories(volume.resolve("sub"));

    Bundles.populate(image, volume);

    assertThat(listing()).isEqualTo(",a.conf,link,sub,sub/b.conf");
    assertThat(Files.readString(volume.resolve("a.conf"))).isEqualTo("a\n");
    assertThat(volume.resolveSibling(Bundles.FILLING)).doesNotExist();
  }
}
