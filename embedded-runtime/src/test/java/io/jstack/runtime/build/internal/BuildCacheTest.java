package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.docker.DockerIgnore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache keys: the same parts give the same key; a COPY's digest sees the content, mode and owner of
 * what it reads and nothing else (not times, not other files, not what .dockerignore excludes), and
 * an unchanged file is not read twice.
 */
class BuildCacheTest {
  @TempDir Path context;
  @TempDir Path data;
  private ContentHashes hashes;
  private FileCopies.Source source;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(context.resolve("a.txt"), "a");
    Files.createDirectories(context.resolve("dir/sub"));
    Files.writeString(context.resolve("dir/b.txt"), "b");
    Files.writeString(context.resolve("dir/sub/c.txt"), "c");
    Files.writeString(context.resolve("dir/ignored.log"), "x");
    Files.createDirectories(context.resolve("node_modules/pkg"));
    Files.writeString(context.resolve("node_modules/pkg/big.js"), "x".repeat(100_000));
    hashes = ContentHashes.load(data.resolve("content-hashes"), Duration.ZERO);
    source =
        new FileCopies.Source(
            context, DockerIgnore.parse("*.log\n**/*.log\nnode_modules\n", ".dockerignore"), false);
  }

  private String digest(String... sources) {
    return SourceDigest.of(source, List.of(sources), List.of(), false, hashes);
  }

  @Test
  void key_dependsOnEveryPart_andTheirBoundaries() {
    assertThat(BuildCache.key(List.of("a", "b"))).isEqualTo(BuildCache.key(List.of("a", "b")));
    assertThat(BuildCache.key(List.of("a", "b"))).isNotEqualTo(BuildCache.key(List.of("ab", "")));
    assertThat(BuildCache.key(List.of("a"))).hasSize(64);
  }

  @Test
  void touchingAFile_orChangingAnIgnoredOne_keepsTheDigest() throws Exception {
    String all = digest(".");
    String dir = digest("dir");
    Files.setLastModifiedTime(context.resolve("dir/b.txt"), FileTime.fromMillis(0));
    Files.setLastModifiedTime(context.resolve("dir"), FileTime.fromMillis(0));
    Files.writeString(context.resolve("dir/ignored.log"), "changed");
    Files.writeString(context.resolve("node_modules/pkg/big.js"), "changed");

    assertThat(digest(".")).isEqualTo(all);
    assertThat(digest("dir")).isEqualTo(dir);
  }

  @Test
  void changingAFileAnotherCopyReads_keepsThisCopysDigest() throws Exception {
    String a = digest("a.txt");
    String dir = digest("dir/");
    Files.writeString(context.resolve("dir/sub/c.txt"), "C");
    Files.writeString(context.resolve("new.txt"), "new");

    assertThat(digest("a.txt")).isEqualTo(a);
    assertThat(digest("dir/")).isNotEqualTo(dir);
  }

  @Test
  void content_mode_owner_aNewFile_orALinkTarget_changeTheDigest() throws Exception {
    String before = digest("dir");
    Files.writeString(context.resolve("dir/b.txt"), "B");
    String content = digest("dir");
    Files.setPosixFilePermissions(
        context.resolve("dir/b.txt"), PosixFilePermissions.fromString("rwx------"));
    String mode = digest("dir");
    Files.setAttribute(context.resolve("dir/b.txt"), "unix:uid", 4321);
    String owner = digest("dir");
    Files.writeString(context.resolve("dir/sub/d.txt"), "");
    String added = digest("dir");
    Files.createSymbolicLink(context.resolve("dir/link"), Path.of("b.txt"));
    String link = digest("dir");
    Files.delete(context.resolve("dir/link"));
    Files.createSymbolicLink(context.resolve("dir/link"), Path.of("sub"));

    assertThat(List.of(before, content, mode, owner, added, link, digest("dir")))
        .doesNotHaveDuplicates();
  }

  /**
   * A remembered hash is not used for a file rewritten with content of the same size and its
   * modification time put back (its change time and the digest tell), nor after a mode or owner
   * change made with the content and times left alone.
   */
  @Test
  void aRememberedHash_isNotUsed_afterSameSizeContentWithItsTimePutBack_orAModeOrOwnerChange()
      throws Exception {
    Path b = context.resolve("dir/b.txt");
    String before = digest("dir");
    hashes.save();
    ContentHashes remembered = ContentHashes.load(data.resolve("content-hashes"), Duration.ZERO);
    FileTime modified = Files.getLastModifiedTime(b);
    Thread.sleep(10); // so that the change time moves on a coarse clock too
    Files.writeString(b, "B");
    Files.setLastModifiedTime(b, modified);

    String content = SourceDigest.of(source, List.of("dir"), List.of(), false, remembered);
    assertThat(remembered.reads()).isOne();
    Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rw-------"));
    Files.setLastModifiedTime(b, modified);
    String mode = SourceDigest.of(source, List.of("dir"), List.of(), false, remembered);
    Files.setAttribute(b, "unix:gid", 4321);
    String owner = SourceDigest.of(source, List.of("dir"), List.of(), false, remembered);

    assertThat(List.of(before, content, mode, owner)).doesNotHaveDuplicates();
  }

  @Test
  void wildcards_matchAsTheCopyDoes_andAMissingSourceHasItsOwnDigest() throws Exception {
    String txt = digest("*.txt");
    Files.writeString(context.resolve("b.txt"), "b");
    String more = digest("*.txt");
    Files.writeString(context.resolve("b.md"), "b");

    assertThat(more).isNotEqualTo(txt);
    assertThat(digest("*.txt")).isEqualTo(more);
    assertThat(read("*.txt")).containsExactly("a.txt", "b.txt");
    assertThat(digest("absent.txt")).isNotEqualTo(digest("absent2.txt"));
    assertThatThrownBy(() -> read("node_modules/pkg")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void excludedTrees_areNotRead_andUnchangedFilesAreNotReadAgain() throws Exception {
    digest(".");
    assertThat(hashes.reads()).isEqualTo(3); // a.txt, dir/b.txt, dir/sub/c.txt
    hashes.save();

    ContentHashes again = ContentHashes.load(data.resolve("content-hashes"), Duration.ZERO);
    String first = SourceDigest.of(source, List.of("."), List.of(), false, again);
    assertThat(again.reads()).isZero();
    Files.setLastModifiedTime(context.resolve("a.txt"), FileTime.from(Instant.now()));
    assertThat(SourceDigest.of(source, List.of("."), List.of(), false, again)).isEqualTo(first);
    assertThat(again.reads()).isOne();
  }

  @Test
  void recentlyChangedFiles_areNotRemembered() throws Exception {
    ContentHashes settling = ContentHashes.load(data.resolve("settling"), Duration.ofHours(1));
    SourceDigest.of(source, List.of("a.txt"), List.of(), false, settling);
    SourceDigest.of(source, List.of("a.txt"), List.of(), false, settling);

    assertThat(settling.reads()).isEqualTo(2);
  }

  @Test
  void sourceDateEpoch_isWholeSeconds() {
    assertThat(BuildCache.sourceDateEpoch(Map.of())).isNull();
    assertThat(BuildCache.sourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "1700000000")))
        .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThatThrownBy(() -> BuildCache.sourceDateEpoch(Map.of("SOURCE_DATE_EPOCH", "yesterday")))
        .hasMessageContaining("invalid SOURCE_DATE_EPOCH build argument \"yesterday\"");
  }

  /** The paths a COPY of {@code source} reads, as the copy walks them. */
  private List<String> read(String source) throws Exception {
    return FileCopies.sources(
            this.source,
            new FileCopies.Request(
                List.of(source), "", null, "", false, List.of(), false, List.of()))
        .stream()
        .map(FileCopies.Read::path)
        .toList();
  }
}
