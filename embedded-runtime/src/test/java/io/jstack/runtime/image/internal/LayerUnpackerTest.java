package io.jstack.runtime.image.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.runtime.internal.NativeFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer unpacking as root: what a layer holds is kept exactly, and every breakout shape (the
 * checklist of containerd's archive tests, in our own cases) is refused with nothing changed
 * outside the layer directory. Each test snapshots the sandbox around the layer and compares.
 */
class LayerUnpackerTest {
  @TempDir Path sandbox;

  @org.junit.jupiter.api.Test
  void removeTree_toleratesFilesAnotherThreadRemovesMeanwhile(
      @org.junit.jupiter.api.io.TempDir Path own) throws Exception {
    // A container's directory loses an exec's files when the exec ends, which may be while the
    // container is being removed.
    for (int round = 0; round < 10; round++) {
      Path dir = own.resolve("c" + round);
      java.util.List<Path> files = new java.util.ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        Path sub = java.nio.file.Files.createDirectories(dir.resolve("d" + (i % 20)));
        files.add(java.nio.file.Files.writeString(sub.resolve("exec-" + i + ".json"), "{}"));
      }
      java.util.Collections.reverse(files);
      Thread other =
          new Thread(
              () -> {
                for (Path f : files) {
                  try {
                    java.nio.file.Files.deleteIfExists(f);
                  } catch (java.io.IOException e) {
                    // The tree's removal got there first.
                  }
                }
              });
      other.start();
      LayerUnpacker.removeTree(dir);
      other.join();
      org.assertj.core.api.Assertions.assertThat(dir).doesNotExist();
    }
  }

  Path layer;
  Path outside;
  Path victim;
  Map<String, String> before;

  @BeforeAll
  static void root() {
    assertThat(System.getProperty("user.name"))
        .as("the embedded engine and its tests run as root (device nodes, trusted.* attributes)")
        .isEqualTo("root");
  }

  @BeforeEach
  void sandbox() throws IOException {
    layer = Files.createDirectory(sandbox.resolve("layer"));
    outside = Files.createDirectory(sandbox.resolve("outside"));
    victim = Files.writeString(outside.resolve("victim"), "original");
    Files.setAttribute(victim, "unix:mode", 0644);
    Files.setLastModifiedTime(victim, FileTime.fromMillis(1_000_000_000L));
    before = outsideSnapshot();
  }

  @AfterEach
  void nothingOutsideChanged() throws IOException {
    assertThat(outsideSnapshot()).isEqualTo(before);
  }

  // --- what a layer holds is kept ---

  @Test
  void keepsOwnersModesTimesLinksDevicesAndAttributes() throws IOException {
    byte[] tar =
        new LayerTar()
            .dir("bin", 0755)
            .file("bin/su", 04755, 0, 0, "setuid", Map.of())
            .file("bin/wall", 02755, 0, 5, "setgid", Map.of())
            .dir("tmp", 01777)
            .file(
                "home/user/notes",
                0600,
                1000,
                1000,
                "mine",
                Map.of("SCHILY.xattr.user.tag", "blue"))
            .hardlink("bin/su-again", "bin/su", 04755)
            .symlink("bin/sh", "/bin/busybox")
            .device("dev/null", TarConstants.LF_CHR, 0666, 1, 3)
            .device("dev/loop9", TarConstants.LF_BLK, 0660, 7, 9)
            .device("run/fifo", TarConstants.LF_FIFO, 0620, 0, 0)
            .bytes();
    LayerUnpacker.Result r = unpack(tar);

    assertThat(r.entries()).isEqualTo(10);
    assertThat(mode("bin/su")).isEqualTo(04755);
    assertThat(mode("bin/wall")).isEqualTo(02755);
    assertThat(Files.getAttribute(layer.resolve("bin/wall"), "unix:gid")).isEqualTo(5);
    assertThat(mode("tmp")).isEqualTo(01777);
    assertThat(Files.getAttribute(layer.resolve("home/user/notes"), "unix:uid")).isEqualTo(1000);
    assertThat(NativeFs.getXattrText(layer.resolve("home/user/notes"), "user.tag"))
        .isEqualTo("blue");
    assertThat(Files.getLastModifiedTime(layer.resolve("bin/su"))).isEqualTo(LayerTar.MTIME);
    assertThat(Files.getLastModifiedTime(layer.resolve("bin"))).isEqualTo(LayerTar.MTIME);
    assertThat(Files.getAttribute(layer.resolve("bin/su-again"), "unix:ino"))
        .isEqualTo(Files.getAttribute(layer.resolve("bin/su"), "unix:ino"));
    assertThat(Files.readSymbolicLink(layer.resolve("bin/sh")).toString())
        .isEqualTo("/bin/busybox");
    assertThat(Files.getLastModifiedTime(layer.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(LayerTar.MTIME);
    assertThat(Files.getAttribute(layer.resolve("dev/null"), "unix:rdev")).isEqualTo(259L);
    assertThat(mode("dev/null")).isEqualTo(0666);
    assertThat(Files.getAttribute(layer.resolve("dev/loop9"), "unix:mode")).isEqualTo(0060660);
    assertThat(Files.getAttribute(layer.resolve("run/fifo"), "unix:mode")).isEqualTo(0010620);
  }

  @Test
  void whiteoutsBecomeOverlayCharacterDevices_andOpaqueMarkersAnAttribute() throws IOException {
    unpack(
        new LayerTar()
            .dir("etc", 0755)
            .file("etc/.wh.motd", 0, "")
            .dir("var/cache", 0755)
            .file("var/cache/.wh..wh..opq", 0, "")
            .bytes());

    Path wh = layer.resolve("etc/motd");
    assertThat(Files.getAttribute(wh, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0020000);
    assertThat(Files.getAttribute(wh, "unix:rdev")).isEqualTo(0L);
    assertThat(layer.resolve("etc/.wh.motd")).doesNotExist();
    assertThat(NativeFs.getXattrText(layer.resolve("var/cache"), "trusted.overlay.opaque"))
        .isEqualTo("y");
    assertThat(layer.resolve("var/cache/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void overlayAttributesFromTheArchive_areDropped() throws IOException {
    unpack(
        new LayerTar()
            .dirWithPax(
                "data",
                0755,
                Map.of(
                    "SCHILY.xattr.trusted.overlay.opaque", "y",
                    "SCHILY.xattr.trusted.overlay.redirect", "/etc",
                    "SCHILY.xattr.user.kept", "1"))
            .bytes());
    assertThat(NativeFs.getXattr(layer.resolve("data"), "trusted.overlay.opaque")).isNull();
    assertThat(NativeFs.getXattr(layer.resolve("data"), "trusted.overlay.redirect")).isNull();
    assertThat(NativeFs.getXattrText(layer.resolve("data"), "user.kept")).isEqualTo("1");
  }

  @Test
  void laterEntriesReplaceEarlierOnes_readOnlyDirectoriesStillFill() throws IOException {
    unpack(
        new LayerTar()
            .dir("ro", 0555)
            .file("ro/a", 0644, "one")
            .file("ro/a", 0600, "two")
            .dir("x", 0755)
            .file("x", 0644, "file now")
            .bytes());
    assertThat(Files.readString(layer.resolve("ro/a"))).isEqualTo("two");
    assertThat(mode("ro/a")).isEqualTo(0600);
    assertThat(mode("ro")).isEqualTo(0555);
    assertThat(Files.readString(layer.resolve("x"))).isEqualTo("file now");
  }

  // --- breakouts: each refused, nothing outside changed (checked after every test) ---

  @Test
  void relativePathClimbingOut_isRefused() {
    refused(
        new LayerTar().file("../outside/victim", 0644, "pwned").bytes(), "climbs out with '..'");
    refused(
        new LayerTar().file("a/../../outside/new", 0644, "pwned").bytes(), "climbs out with '..'");
  }

  @Test
  void absolutePath_isRefused() {
    refused(new LayerTar().file(victim.toString(), 0644, "pwned").bytes(), "absolute path");
  }

  @Test
  void fileThroughAbsoluteSymlink_isRefused() {
    refused(
        new LayerTar()
            .symlink("link", outside.toString())
            .file("link/victim", 0644, "pwned")
            .bytes(),
        "goes through the symbolic link 'link'");
  }

  @Test
  void fileThroughRelativeSymlinkToParent_isRefused() {
    refused(
        new LayerTar().symlink("up", "../outside").file("up/new", 0644, "pwned").bytes(),
        "goes through the symbolic link 'up'");
    refused(
        new LayerTar()
            .dir("d", 0755)
            .symlink("d/up", "..")
            .file("d/up/up/outside/x", 0644, "p")
            .bytes(),
        "goes through the symbolic link 'd/up'");
  }

  @Test
  void fileOverSymlink_replacesTheLinkInsteadOfWritingThroughIt() throws IOException {
    unpack(new LayerTar().symlink("f", victim.toString()).file("f", 0600, "inside").bytes());
    assertThat(Files.isSymbolicLink(layer.resolve("f"))).isFalse();
    assertThat(Files.readString(layer.resolve("f"))).isEqualTo("inside");
  }

  @Test
  void directoryOverSymlink_replacesTheLink() throws IOException {
    unpack(
        new LayerTar()
            .symlink("d", outside.toString())
            .dir("d", 0700)
            .file("d/victim", 0644, "in")
            .bytes());
    assertThat(Files.isDirectory(layer.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(layer.resolve("d/victim"))).isEqualTo("in");
  }

  @Test
  void symlinkEntries_neverChmodTheirTarget() throws IOException {
    unpack(new LayerTar().symlink("s", victim.toString()).bytes());
    assertThat(Files.isSymbolicLink(layer.resolve("s"))).isTrue();
  }

  @Test
  void hardlinkOutOfTheLayer_isRefused() {
    refused(
        new LayerTar().hardlink("h", "../outside/victim", 0644).bytes(), "climbs out with '..'");
    refused(new LayerTar().hardlink("h", victim.toString(), 0644).bytes(), "absolute path");
  }

  @Test
  void hardlinkThroughSymlink_isRefused() {
    refused(
        new LayerTar().symlink("s", outside.toString()).hardlink("h", "s/victim", 0777).bytes(),
        "goes through the symbolic link 's'");
  }

  @Test
  void hardlinkToSymlinkThenChmod_neverReachesTheTarget() throws IOException {
    // The hard link shares the symbolic link's inode; its mode must not be applied through it.
    unpack(new LayerTar().symlink("s", victim.toString()).hardlink("h", "s", 0777).bytes());
    assertThat(Files.isSymbolicLink(layer.resolve("h"))).isTrue();
  }

  @Test
  void hardlinkThenWriteThroughIt_replacesTheLinkOnly() throws IOException {
    unpack(
        new LayerTar().file("a", 0644, "a").hardlink("b", "a", 0644).file("b", 0644, "b").bytes());
    assertThat(Files.readString(layer.resolve("a"))).isEqualTo("a");
    assertThat(Files.readString(layer.resolve("b"))).isEqualTo("b");
  }

  @Test
  void hardlinkToAMissingEntry_isRefused() {
    refused(
        new LayerTar().hardlink("h", "nothing/here", 0644).bytes(), "which is not in the layer");
  }

  @Test
  void whiteoutThroughSymlink_isRefused() {
    refused(
        new LayerTar().symlink("s", outside.toString()).file("s/.wh.victim", 0, "").bytes(),
        "goes through the symbolic link 's'");
    refused(
        new LayerTar().symlink("s", outside.toString()).file("s/.wh..wh..opq", 0, "").bytes(),
        "goes through the symbolic link 's'");
  }

  @Test
  void whiteoutOfDotDot_isRefused() {
    refused(new LayerTar().dir("a", 0755).file("a/.wh...", 0, "").bytes(), "whites out '..'");
  }

  @Test
  void deviceThroughSymlink_isRefused() {
    refused(
        new LayerTar()
            .symlink("s", outside.toString())
            .device("s/null", TarConstants.LF_CHR, 0666, 1, 3)
            .bytes(),
        "goes through the symbolic link 's'");
  }

  @Test
  void entryCountAndSizeCaps_areEnforced() {
    LayerTar many = new LayerTar();
    for (int i = 0; i < 11; i++) {
      many.file("f" + i, 0644, "x");
    }
    assertThatThrownBy(
            () ->
                LayerUnpacker.unpack(
                    in(many.bytes()), layer, new LayerUnpacker.Limits(1 << 20, 10)))
        .isInstanceOf(LayerUnpacker.UnsafeLayerException.class)
        .hasMessageContaining("more than 10 entries");
    assertThatThrownBy(
            () ->
                LayerUnpacker.unpack(
                    in(new LayerTar().file("big", 0644, "x".repeat(2000)).bytes()),
                    layer,
                    new LayerUnpacker.Limits(1000, 10)))
        .isInstanceOf(LayerUnpacker.UnsafeLayerException.class)
        .hasMessageContaining("more than 1000 bytes");
  }

  @Test
  void extractForCopyIn_keepsWhiteoutNamesAsFiles_andRefusesTheSameBreakouts() throws IOException {
    Files.writeString(layer.resolve("kept.txt"), "already here");
    LayerUnpacker.extract(
        in(
            new LayerTar()
                .file(".wh.notes", 0644, "a file")
                .file("dir/.wh..wh..opq", 0600, "also")
                .bytes()),
        layer,
        LayerUnpacker.Limits.DEFAULT);
    assertThat(layer.resolve(".wh.notes")).hasContent("a file");
    assertThat(layer.resolve("dir/.wh..wh..opq")).hasContent("also");
    assertThat(NativeFs.getXattr(layer.resolve("dir"), "trusted.overlay.opaque")).isNull();
    assertThat(layer.resolve("kept.txt")).hasContent("already here");
    assertThatThrownBy(
            () ->
                LayerUnpacker.extract(
                    in(
                        new LayerTar()
                            .symlink("s", outside.toString())
                            .file("s/victim", 0644, "pwned")
                            .bytes()),
                    layer,
                    LayerUnpacker.Limits.DEFAULT))
        .isInstanceOf(LayerUnpacker.UnsafeLayerException.class)
        .hasMessageContaining("goes through the symbolic link 's'");
  }

  @Test
  void corruptHeader_isAnErrorNamingTheEntry() {
    byte[] tar = new LayerTar().file("etc/hosts", 0644, "x").bytes();
    tar[20] ^= 0x55;
    assertThatThrownBy(() -> unpack(tar))
        .hasMessageContaining("corrupt tar header")
        .hasMessageContaining("checksum");
  }

  /**
   * The docker CLI's build context when it adds a Dockerfile from outside the context: the stream
   * ends right after the last entry's content, with neither its padding nor the end-of-archive
   * blocks. Go's archive/tar (dockerd) reads it to the end; a stream that ends inside the content
   * or the padding is still broken.
   */
  @Test
  void aStreamEndingRightAfterTheLastContent_isWhole_butNotOneEndingInsideIt() throws IOException {
    byte[] tar = new LayerTar().file("a", 0644, "aa").file("b", 0600, "bbb").bytes();
    // Header, content block, header, then three bytes of content.
    int end = 512 + 512 + 512 + 3;

    unpack(java.util.Arrays.copyOf(tar, end));

    assertThat(layer.resolve("a")).hasContent("aa");
    assertThat(layer.resolve("b")).hasContent("bbb");
    assertThatThrownBy(() -> unpack(java.util.Arrays.copyOf(tar, end + 1)))
        .hasMessageContaining("the tar stream ends inside an entry");
    assertThatThrownBy(() -> unpack(java.util.Arrays.copyOf(tar, end - 1)))
        .hasMessageContaining("the tar stream ends inside an entry");
  }

  private LayerUnpacker.Result unpack(byte[] tar) throws IOException {
    return LayerUnpacker.unpack(in(tar), layer, LayerUnpacker.Limits.DEFAULT);
  }

  private void refused(byte[] tar, String why) {
    assertThatThrownBy(() -> unpack(tar))
        .isInstanceOf(LayerUnpacker.UnsafeLayerException.class)
        .hasMessageStartingWith("layer entry '")
        .hasMessageContaining(why);
  }

  private static ByteArrayInputStream in(byte[] b) {
    return new ByteArrayInputStream(b);
  }

  private int mode(String path) throws IOException {
    return (int) Files.getAttribute(layer.resolve(path), "unix:mode", LinkOption.NOFOLLOW_LINKS)
        & 07777;
  }

  /** Every path of the sandbox outside the layer, with type, mode, owner, time and content. */
  private Map<String, String> outsideSnapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(sandbox)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.startsWith(layer)) {
          continue;
        }
        Map<String, Object> a =
            Files.readAttributes(
                p, "unix:mode,uid,gid,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
        String content =
            Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
                : "";
        out.put(sandbox.relativize(p).toString(), new TreeMap<>(a) + " " + content);
      }
    }
    return out;
  }
}
