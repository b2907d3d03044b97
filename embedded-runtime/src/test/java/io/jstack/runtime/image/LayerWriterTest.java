package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.NativeFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LayerWriter#writeAsLayer}: the same tar as {@link LayerWriter#write}, and a directory left
 * exactly as the safe unpacker makes that tar, so that a build step's upper directory can be the
 * store's layer without the tar being read back.
 */
class LayerWriterTest {
  @TempDir Path dir;

  @Test
  void writeAsLayer_writesTheSameTar_andLeavesWhatTheTarUnpacksTo() throws Exception {
    assertSettledAsUnpacked(null);
  }

  @Test
  void writeAsLayer_clampsTheTreesTimesAsTheTars() throws Exception {
    assertSettledAsUnpacked(Instant.parse("2020-01-02T03:04:05Z"));
  }

  private void assertSettledAsUnpacked(@Nullable Instant clamp) throws Exception {
    Path plain = upper(dir.resolve("plain"));
    Path settled = upper(dir.resolve("settled"));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    LayerWriter.write(plain, expected, clamp);
    ByteArrayOutputStream actual = new ByteArrayOutputStream();
    LayerWriter.writeAsLayer(settled, actual, clamp);
    assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());

    Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
    LayerUnpacker.unpack(
        new ByteArrayInputStream(expected.toByteArray()), unpacked, LayerUnpacker.Limits.DEFAULT);
    Map<String, String> tree = tree(settled);
    assertThat(tree).isEqualTo(tree(unpacked));
    // What the tar leaves out is gone, what it has is there: the comparison saw both.
    assertThat(tree)
        .containsKeys("app/big.bin", "app/hard.bin", "app/link", "gone", "replaced", "etc/passwd")
        .doesNotContainKeys("proc", "dev", "etc/hosts", "run", "app/sock");
    if (clamp != null) {
      assertThat(Files.getLastModifiedTime(settled.resolve("app/big.bin")).toInstant())
          .isEqualTo(clamp);
    }
  }

  /** An overlay upper directory as a RUN leaves it, in {@code at}. */
  private static Path upper(Path at) throws IOException {
    Path app = Files.createDirectories(at.resolve("app/sub"));
    Files.write(app.resolve("../big.bin").normalize(), new byte[200_000]);
    Files.writeString(app.resolve("small.txt"), "small\n");
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createLink(at.resolve("app/hard.bin"), at.resolve("app/big.bin"));
    Files.createSymbolicLink(at.resolve("app/link"), Path.of("sub/small.txt"));
    Files.setOwner(
        at.resolve("app/sub/small.txt"),
        at.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    NativeFs.mknod(at.resolve("gone"), NativeFs.S_IFCHR, 0, 0, 0);
    Files.createDirectories(at.resolve("replaced"));
    NativeFs.setXattr(at.resolve("replaced"), "trusted.overlay.opaque", new byte[] {'y'});
    // The runtime's mount points, and a directory only they are in.
    Files.createDirectories(at.resolve("proc"));
    Files.createDirectories(at.resolve("dev/pts"));
    Files.createDirectories(at.resolve("run"));
    Files.createFile(at.resolve("run/.containerenv"));
    Files.createDirectories(at.resolve("etc"));
    Files.createFile(at.resolve("etc/hosts"));
    Files.writeString(at.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    try (ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(at.resolve("app/sock")));
    }
    // Times with fractions of a second, after the whole tree is made.
    FileTime t = FileTime.from(Instant.parse("2024-05-06T07:08:09.123456789Z"));
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(at)) {
      walk.forEach(all::add);
    }
    java.util.Collections.reverse(all);
    for (Path p : all) {
      NativeFs.setTimes(p, t);
    }
    return at;
  }

  /**
   * Every entry below {@code root} with all a container sees of it: type, mode, owner, size,
   * modification time, device, link target, content, the opaque mark, and hard-link sharing.
   */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    Map<Object, String> inodes = new java.util.HashMap<>();
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    for (Path p : all) {
      String name = root.relativize(p).toString();
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      StringBuilder d = new StringBuilder();
      d.append(Integer.toOctalString((Integer) a.get("mode")))
          .append(' ')
          .append(a.get("uid"))
          .append(':')
          .append(a.get("gid"))
          .append(' ')
          .append(a.get("rdev"));
      if (((Integer) a.get("mode") & 0170000) != NativeFs.S_IFCHR) {
        // A whiteout's time is not seen in a container: neither the unpacker nor a RUN sets it.
        d.append(' ').append(((FileTime) a.get("lastModifiedTime")).toInstant());
      }
      if (Files.isSymbolicLink(p)) {
        d.append(" -> ").append(Files.readSymbolicLink(p));
      } else if (Files.isRegularFile(p)) {
        d.append(' ')
            .append(a.get("size"))
            .append(' ')
            .append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
        String first = inodes.putIfAbsent(a.get("ino"), name);
        d.append(first == null ? "" : " = " + first);
      } else if (Files.isDirectory(p)) {
        d.append(" opaque=").append(NativeFs.getXattrText(p, "trusted.overlay.opaque"));
      }
      tree.put(name, d.toString());
    }
    return tree;
  }
}
