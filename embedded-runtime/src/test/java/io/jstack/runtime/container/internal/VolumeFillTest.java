package io.jstack.runtime.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new volume's first fill from the image: done once into an empty volume, never over what is
 * there, and done again from the start when an earlier fill did not finish (its engine was killed
 * midway), so that no volume stays half-filled; the order in which it makes its steps durable, so
 * that a machine crash at any point leaves no half either.
 */
class VolumeFillTest {
  @TempDir Path dir;
  Path image;
  Path volume;
  Path marker;

  /** Each sync asked for, with what was on disk at that moment. */
  final List<String> syncs = new ArrayList<>();

  VolumeFill fill;

  @BeforeEach
  void anImageDirectoryAndAnEmptyVolume() throws Exception {
    image = Files.createDirectories(dir.resolve("rootfs/var/lib/app"));
    Files.writeString(image.resolve("a.conf"), "a\n");
    Files.createDirectories(image.resolve("sub"));
    Files.writeString(image.resolve("sub/b.conf"), "b\n");
    Files.createSymbolicLink(image.resolve("link"), Path.of("/etc/passwd"));
    volume = Files.createDirectories(dir.resolve("volumes/data/_data"));
    marker = volume.resolveSibling(VolumeFill.FILLING);
    fill =
        new VolumeFill(
            new VolumeFill.Syncs() {
              @Override
              public void directory(Path d) throws IOException {
                syncs.add("directory " + dir.relativize(d) + " " + state());
              }

              @Override
              public void tree(Path d) throws IOException {
                syncs.add("tree " + dir.relativize(d) + " " + state());
              }
            });
  }

  /** Whether the marker is there, and what the volume holds. */
  private String state() throws IOException {
    return (Files.exists(marker) ? "marked" : "unmarked") + " [" + listing() + "]";
  }

  private String listing() throws IOException {
    try (Stream<Path> all = Files.walk(volume)) {
      return String.join(
          ",",
          all.filter(p -> !p.equals(volume))
              .map(p -> volume.relativize(p).toString())
              .sorted()
              .toList());
    }
  }

  /** What a kill midway leaves: the marker, and part of the files, one of them cut short. */
  private void aFillKilledMidway() throws IOException {
    Files.createFile(marker);
    Files.writeString(volume.resolve("a.conf"), "a, half writ");
    Files.createDirectories(volume.resolve("sub"));
  }

  @Test
  void anEmptyVolume_getsTheImagesFiles_andNoMarkerStays() throws Exception {
    fill.prepare(volume, image);

    assertThat(listing()).isEqualTo("a.conf,link,sub,sub/b.conf");
    assertThat(Files.readSymbolicLink(volume.resolve("link"))).isEqualTo(Path.of("/etc/passwd"));
    assertThat(marker).doesNotExist();
  }

  @Test
  void aVolumeWithData_isLeftAlone() throws Exception {
    Files.writeString(volume.resolve("mine.db"), "precious\n");

    fill.prepare(volume, image);

    assertThat(listing()).isEqualTo("mine.db");
    assertThat(syncs).isEmpty();
  }

  @Test
  void aFillThatDidNotFinish_isDoneAgainFromTheStart() throws Exception {
    aFillKilledMidway();

    fill.prepare(volume, image);

    assertThat(listing()).isEqualTo("a.conf,link,sub,sub/b.conf");
    assertThat(Files.readString(volume.resolve("a.conf"))).isEqualTo("a\n");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aFillThatDidNotFinish_isUndone_byAMountThatDoesNotFill() throws Exception {
    // nocopy, volumes_from, or an image with nothing at the target: before, the half stayed, was
    // seen by the container, and the marker with it.
    aFillKilledMidway();

    fill.prepare(volume, null);

    assertThat(listing()).isEmpty();
    assertThat(marker).doesNotExist();
    assertThat(syncs).containsExactly("directory volumes/data unmarked []");
  }

  @Test
  void whatAContainerWroteAfterAnUndoneFill_isKeptByALaterFill() throws Exception {
    // Before, the marker outlived the mount that did not fill, and the next fill emptied this.
    aFillKilledMidway();
    fill.prepare(volume, dir.resolve("rootfs/nothing/here"));
    Files.writeString(volume.resolve("mine.db"), "precious\n");

    fill.prepare(volume, image);

    assertThat(listing()).isEqualTo("mine.db");
  }

  @Test
  void theMarkerIsDurableBeforeTheFirstByte_theCopyBeforeTheMarkerGoes_andItsGoingBeforeUse()
      throws Exception {
    fill.prepare(volume, image);

    assertThat(syncs)
        .containsExactly(
            "directory volumes/data marked []",
            "tree volumes/data/_data marked [a.conf,link,sub,sub/b.conf]",
            "directory volumes/data unmarked [a.conf,link,sub,sub/b.conf]");
  }

  @Test
  void aRefill_syncsTheMarkerItFound_beforeItCopies() throws Exception {
    // The fill killed between making the marker and syncing it copied nothing, and left it.
    Files.createFile(marker);

    fill.prepare(volume, image);

    assertThat(syncs)
        .containsExactly(
            "directory volumes/data marked []",
            "tree volumes/data/_data marked [a.conf,link,sub,sub/b.conf]",
            "directory volumes/data unmarked [a.conf,link,sub,sub/b.conf]");
  }

  @Test
  void twoContainersSharingANewVolume_oneFillsIt_theOtherWaitsAndSeesItFilled() throws Exception {
    // The first fill stops midway (its copy made, the marker still there) until the second
    // prepare waits on the volume's lock; without the lock the second would find the marker and
    // empty the volume under the first.
    VolumeFill[] shared = new VolumeFill[1];
    List<Thread> second = new ArrayList<>();
    List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    shared[0] =
        new VolumeFill(
            new VolumeFill.Syncs() {
              @Override
              public void directory(Path d) throws IOException {
                syncs.add("directory " + dir.relativize(d) + " " + state());
              }

              @Override
              public void tree(Path d) throws IOException {
                if (second.isEmpty()) {
                  Thread t = new Thread(() -> prepare(shared[0], failed));
                  second.add(t);
                  t.start();
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> t.getState() == Thread.State.BLOCKED);
                }
                syncs.add("tree " + dir.relativize(d) + " " + state());
              }
            });

    try {
      shared[0].prepare(volume, image);
    } finally {
      for (Thread t : second) {
        t.join(10_000);
      }
    }

    assertThat(second).hasSize(1).noneMatch(Thread::isAlive);
    assertThat(failed).isEmpty();
    assertThat(listing()).isEqualTo("a.conf,link,sub,sub/b.conf");
    assertThat(syncs)
        .as("one fill, and nothing from the second")
        .containsExactly(
            "directory volumes/data marked []",
            "tree volumes/data/_data marked [a.conf,link,sub,sub/b.conf]",
            "directory volumes/data unmarked [a.conf,link,sub,sub/b.conf]");
  }

  /** Prepares this test's volume with {@code f}, keeping what it throws in {@code failed}. */
  private void prepare(VolumeFill f, List<Throwable> failed) {
    try {
      f.prepare(volume, image);
    } catch (IOException | RuntimeException e) {
      failed.add(e);
    }
  }

  @Test
  void theDiskSyncs_syncADirectoryAndAFileSystem() throws Exception {
    // Real fsync and syncfs on the test's directory: they fail loudly where they cannot run.
    VolumeFill.DISK.directory(volume.getParent());
    VolumeFill.DISK.tree(volume);
    new VolumeFill(VolumeFill.DISK).prepare(volume, image);

    assertThat(listing()).isEqualTo("a.conf,link,sub,sub/b.conf");
  }
}
