package io.jstack.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile archive out of a container cannot change anything outside the destination. */
class SafeExtractTest {
  @TempDir Path tmp;
  Path dest;
  Path outside;

  @BeforeEach
  void setUp() throws IOException {
    dest = Files.createDirectories(tmp.resolve("dest"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("victim"), "untouched");
  }

  interface Entries {
    void write(ByteArrayOutputStream tar) throws IOException;
  }

  static ByteArrayInputStream tar(Entries entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    entries.write(out);
    TarWriter.end(out);
    return new ByteArrayInputStream(out.toByteArray());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  void assertOutsideUntouched() throws IOException {
    assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("untouched");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.toList()).containsExactly(outside.resolve("victim"));
    }
  }

  @Test
  void aTree_isUnpacked_withModesButNoSetIdBits() throws IOException {
    SafeExtract.extract(
        tar(
            t -> {
              TarWriter.directory(t, "site", 0755);
              TarWriter.file(t, "site/index.html", 04755, 0, 0, bytes("hi"));
            }),
        dest,
        null);
    Path f = dest.resolve("site/index.html");
    assertThat(Files.readString(f)).isEqualTo("hi");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void topName_renamesTheFirstComponent() throws IOException {
    SafeExtract.extract(
        tar(t -> TarWriter.file(t, "nginx.conf", 0644, 0, 0, bytes("x"))), dest, "copy.conf");
    assertThat(dest.resolve("copy.conf")).hasContent("x");
  }

  @Test
  void dotDot_isRefused() throws IOException {
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(t -> TarWriter.file(t, "../outside/victim", 0644, 0, 0, bytes("pwned"))),
                    dest,
                    null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class)
        .hasMessageContaining("climbs out");
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(
                        t ->
                            TarWriter.file(
                                t, "a/../../outside/victim", 0644, 0, 0, bytes("pwned"))),
                    dest,
                    null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class);
    assertOutsideUntouched();
  }

  @Test
  void absoluteNames_areRefused() throws IOException {
    String victim = outside.resolve("victim").toString();
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(t -> TarWriter.file(t, victim, 0644, 0, 0, bytes("pwned"))), dest, null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class)
        .hasMessageContaining("absolute");
    assertOutsideUntouched();
  }

  @Test
  void writingThroughASymlinkTheArchiveMade_isRefused() throws IOException {
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(
                        t -> {
                          TarWriter.header(t, "link", 0777, 0, '2', outside.toString());
                          TarWriter.file(t, "link/victim", 0644, 0, 0, bytes("pwned"));
                        }),
                    dest,
                    null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class)
        .hasMessageContaining("symbolic link");
    assertOutsideUntouched();
  }

  @Test
  void overwritingASymlinkToAFile_isRefused() throws IOException {
    Files.createSymbolicLink(dest.resolve("innocent"), outside.resolve("victim"));
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(t -> TarWriter.file(t, "innocent", 0644, 0, 0, bytes("pwned"))),
                    dest,
                    null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class);
    assertOutsideUntouched();
  }

  @Test
  void longNames_throughPaxHeaders_areStillChecked() throws IOException {
    String deep = "d/".repeat(60) + "../".repeat(70) + "outside/victim";
    assertThatThrownBy(
            () ->
                SafeExtract.extract(
                    tar(t -> TarWriter.file(t, deep, 0644, 0, 0, bytes("pwned"))), dest, null))
        .isInstanceOf(SafeExtract.UnsafeArchive.class);
    assertOutsideUntouched();
  }
}
