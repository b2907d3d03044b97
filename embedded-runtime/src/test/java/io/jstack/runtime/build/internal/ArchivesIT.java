package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import io.jstack.engine.docker.DockerIgnore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * ADD's local archives: recognised by content whatever their compression, unpacked with the
 * destination as their root (Docker's chrootarchive), never touching anything outside it. Owners
 * need root.
 */
class ArchivesIT {
  @TempDir Path dir;
  private Path context;
  private Path root;
  private Path outside;

  @BeforeEach
  void dirs() throws Exception {
    assertThat(String.valueOf(Files.getAttribute(dir, "unix:uid")))
        .as("files are given owners: run as root (an integration test)")
        .isEqualTo("0");
    context = Files.createDirectories(dir.resolve("context"));
    root = Files.createDirectories(dir.resolve("stage/root"));
    outside = dir.resolve("stage");
  }

  /**
   * A tar of {@code entries}: name, then "d" dir, "f:content" file, "l:target" symlink, "h:target".
   */
  private static byte[] tar(String... entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.length; i += 2) {
        String name = entries[i];
        String what = entries[i + 1];
        TarArchiveEntry e;
        byte[] content = new byte[0];
        if (what.equals("d")) {
          e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR, true);
          e.setMode(040750);
        } else if (what.startsWith("l:")) {
          e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
          e.setLinkName(what.substring(2));
        } else if (what.startsWith("h:")) {
          e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
          e.setLinkName(what.substring(2));
        } else {
          e = new TarArchiveEntry(name, true);
          content = what.substring(2).getBytes(StandardCharsets.UTF_8);
          e.setSize(content.length);
          e.setMode(0100640);
        }
        e.setIds(1234, 4321);
        t.putArchiveEntry(e);
        t.write(content);
        t.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] compress(byte[] raw, Function<OutputStream, OutputStream> how)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = how.apply(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  private static OutputStream unchecked(ThrowingOpen open) {
    try {
      return open.open();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private interface ThrowingOpen {
    OutputStream open() throws Exception;
  }

  private void add(String source, String dest) throws Exception {
    FileCopies.copy(
        new FileCopies.Source(context, DockerIgnore.none(), false),
        root,
        "/",
        new FileCopies.Request(List.of(source), dest, null, -1, true));
  }

  @Test
  void everyCompression_isRecognisedByContent_andUnpacked() throws Exception {
    byte[] raw = tar("top", "d", "top/in.txt", "f:inside");
    Files.write(context.resolve("plain.bin"), raw);
    Files.write(
        context.resolve("gz.bin"), compress(raw, o -> unchecked(() -> new GZIPOutputStream(o))));
    Files.write(
        context.resolve("bz2.bin"),
        compress(raw, o -> unchecked(() -> new BZip2CompressorOutputStream(o))));
    Files.write(
        context.resolve("xz.bin"),
        compress(raw, o -> unchecked(() -> new XZOutputStream(o, new LZMA2Options()))));
    Files.write(
        context.resolve("zst.bin"), compress(raw, o -> unchecked(() -> new ZstdOutputStream(o))));

    for (String kind : List.of("plain", "gz", "bz2", "xz", "zst")) {
      add(kind + ".bin", "/" + kind + "/");

      Path in = root.resolve(kind + "/top/in.txt");
      assertThat(in).as(kind).hasContent("inside");
      assertThat(Files.getAttribute(in, "unix:uid")).as(kind).isEqualTo(1234);
      assertThat(Files.getAttribute(in, "unix:gid")).as(kind).isEqualTo(4321);
      assertThat(Files.getAttribute(in, "unix:mode")).as(kind).isEqualTo(0100640);
      assertThat(Files.getAttribute(root.resolve(kind + "/top"), "unix:mode")).isEqualTo(040750);
    }
  }

  @Test
  void aFileThatIsNoArchive_orACompressedNonTar_isCopiedAsItIs() throws Exception {
    Files.writeString(context.resolve("notes.tar"), "just text, named like a tar\n");
    Files.write(
        context.resolve("text.gz"),
        compress(
            "plain text".getBytes(StandardCharsets.UTF_8),
            o -> unchecked(() -> new GZIPOutputStream(o))));

    add("notes.tar", "/x/");
    add("text.gz", "/x/");

    assertThat(root.resolve("x/notes.tar")).hasContent("just text, named like a tar");
    assertThat(Files.size(root.resolve("x/text.gz")))
        .isEqualTo(Files.size(context.resolve("text.gz")));
  }

  @Test
  void aBreakoutArchive_landsInsideTheDestination_asInDockersChroot() throws Exception {
    Files.write(
        context.resolve("evil.tar"),
        tar(
            "../x", "f:dotdot",
            "/abs", "f:absolute",
            "evil", "l:/",
            "evil/etc/x", "f:through-link",
            "up", "l:../../..",
            "up/y", "f:through-up"));
    Files.createDirectories(root.resolve("dest"));

    add("evil.tar", "/dest/");

    // Docker unpacks in a chroot at the destination: each name is resolved with it as "/".
    Path d = root.resolve("dest");
    assertThat(d.resolve("x")).hasContent("dotdot");
    assertThat(d.resolve("abs")).hasContent("absolute");
    assertThat(d.resolve("etc/x")).hasContent("through-link");
    assertThat(d.resolve("y")).hasContent("through-up");
    assertThat(Files.readSymbolicLink(d.resolve("evil"))).isEqualTo(Path.of("/"));
    try (var all = Files.walk(outside)) {
      assertThat(all.filter(p -> !p.startsWith(root)).map(outside::relativize).map(Path::toString))
          .containsExactly("");
    }
    assertThat(Files.exists(dir.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(Path.of("/abs"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(Path.of("/etc/x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aLinkTheBaseImagePlanted_inTheDestination_isResolvedInsideIt() throws Exception {
    Files.createDirectories(root.resolve("dest"));
    Files.createSymbolicLink(root.resolve("dest/etc"), dir.resolve("host-etc"));
    Files.write(context.resolve("a.tar"), tar("etc/passwd", "f:pwned"));

    add("a.tar", "/dest/");

    assertThat(Files.exists(dir.resolve("host-etc"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(root.resolve("dest" + dir.resolve("host-etc/passwd"))).hasContent("pwned");
  }

  @Test
  void aHardLinkToOutside_failsNamingTheEntry_andWritesNothingOutside() throws Exception {
    Files.writeString(outside.resolve("secret"), "host secret");
    Files.write(context.resolve("h.tar"), tar("a", "f:a", "h", "h:../../secret"));

    assertThatThrownBy(() -> add("h.tar", "/dest/"))
        .hasMessageContaining("archive entry 'h' hard-links to '../../secret'");
    assertThat(outside.resolve("secret")).hasContent("host secret");
    assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void aHardLinkInsideTheArchive_sharesTheFile() throws Exception {
    Files.write(context.resolve("h.tar"), tar("a", "f:a", "b", "h:a", "c", "h:/a"));

    add("h.tar", "/dest/");

    assertThat(Files.getAttribute(root.resolve("dest/a"), "unix:nlink")).isEqualTo(3);
  }
}
