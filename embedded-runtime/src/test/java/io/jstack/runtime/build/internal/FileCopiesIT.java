package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.docker.DockerIgnore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY's file work on plain directories: sources matched and resolved inside their root,
 * .dockerignore, destinations as Docker reads them, modes and owners. Owners need root.
 */
class FileCopiesIT {
  @TempDir Path dir;
  private Path context;
  private Path root;

  @BeforeEach
  void tree() throws Exception {
    assertThat(String.valueOf(Files.getAttribute(dir, "unix:uid")))
        .as("files are given owners: run as root (an integration test)")
        .isEqualTo("0");
    context = Files.createDirectories(dir.resolve("context"));
    root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(context.resolve("a.txt"), "a");
    Files.writeString(context.resolve("b.txt"), "bb");
    Files.writeString(context.resolve("c.md"), "c");
    Files.createDirectories(context.resolve("src/lib"));
    Files.writeString(context.resolve("src/main.c"), "int main;");
    Files.writeString(context.resolve("src/lib/x.o"), "obj");
    Files.createSymbolicLink(context.resolve("escape"), Path.of("/etc"));
    Files.createSymbolicLink(context.resolve("src/up"), Path.of("../../.."));
  }

  private void copy(DockerIgnore ignore, String dest, int mode, String... sources)
      throws Exception {
    FileCopies.copy(
        new FileCopies.Source(context, ignore, false),
        root,
        "/work",
        new FileCopies.Request(List.of(sources), dest, null, mode, false));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void aGlob_copiesEachMatch_intoTheDirectory_relativeToWorkdir() throws Exception {
    copy(DockerIgnore.none(), "out/", -1, "*.txt");

    assertThat(files()).containsExactly("work", "work/out", "work/out/a.txt", "work/out/b.txt");
  }

  @Test
  void aDirectory_copiesItsContents_withoutIgnoredFiles() throws Exception {
    copy(DockerIgnore.parse("src/**/*.o\n", ".dockerignore"), "/app", 0640, "src");

    assertThat(files()).containsExactly("app", "app/lib", "app/main.c", "app/up");
    assertThat(Files.readSymbolicLink(root.resolve("app/up"))).isEqualTo(Path.of("../../.."));
    assertThat(Files.getAttribute(root.resolve("app/main.c"), "unix:mode")).isEqualTo(0100640);
  }

  @Test
  void oneFile_toAPathWithoutSlash_isThatFile() throws Exception {
    copy(DockerIgnore.none(), "/etc/renamed", -1, "a.txt");

    assertThat(Files.readString(root.resolve("etc/renamed"))).isEqualTo("a");
  }

  @Test
  void aLinkOutOfTheContext_leadsToNothing() {
    assertThatThrownBy(() -> copy(DockerIgnore.none(), "/x", -1, "escape/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"/escape/passwd\" not found");
  }

  @Test
  void anIgnoredFile_isNotFound() {
    assertThatThrownBy(() -> copy(DockerIgnore.parse("*.md\n", ".dockerignore"), "/x", -1, "c.md"))
        .hasMessageContaining("excluded by .dockerignore");
  }

  @Test
  void aDestinationLinkOutOfTheRoot_staysInTheRoot() throws Exception {
    Files.createDirectories(root.resolve("work"));
    Files.createSymbolicLink(root.resolve("work/out"), dir.resolve("outside"));

    copy(DockerIgnore.none(), "out/", -1, "a.txt");

    assertThat(Files.exists(dir.resolve("outside"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(root.resolve(dir.toString().substring(1) + "/outside/a.txt")))
        .isEqualTo("a");
  }

  private void request(FileCopies.Request r) throws Exception {
    FileCopies.copy(new FileCopies.Source(context, DockerIgnore.none(), false), root, "/work", r);
  }

  private static FileCopies.Request req(
      List<String> sources,
      String dest,
      String chmod,
      List<String> excludes,
      boolean parents,
      List<FileCopies.Inline> docs) {
    return new FileCopies.Request(sources, dest, null, chmod, false, excludes, parents, docs);
  }

  // BuildKit's testCopyHeredoc (frontend/dockerfile/dockerfile_heredoc_test.go): each document is
  // a file named after its delimiter, mode 0644 (llb.Mkfile in dockerfile2llb/convert_copy.go).
  @Test
  void hereDocuments_areFilesNamedAfterTheirDelimiter_0644_orTheDestinationItself()
      throws Exception {
    request(
        req(
            List.of(),
            "/docs/",
            "",
            List.of(),
            false,
            List.of(new FileCopies.Inline("EOF", "one\n"), new FileCopies.Inline("two", "2\n"))));
    request(
        req(
            List.of(),
            "/single",
            "0755",
            List.of(),
            false,
            List.of(new FileCopies.Inline("X", "x"))));

    assertThat(root.resolve("docs/EOF")).hasContent("one");
    assertThat(root.resolve("docs/two")).hasContent("2");
    assertThat(Files.getAttribute(root.resolve("docs/EOF"), "unix:mode")).isEqualTo(0100644);
    assertThat(root.resolve("single")).hasContent("x");
    assertThat(Files.getAttribute(root.resolve("single"), "unix:mode")).isEqualTo(0100755);
  }

  // BuildKit's testExcludedFilesOnCopy (frontend/dockerfile/exclude_patterns_test.go): patterns are
  // relative to each source, repeatable, with dockerignore syntax.
  @Test
  void exclude_leavesOutWhatItsPatternsMatch_relativeToTheSource() throws Exception {
    request(req(List.of("."), "/all/", "", List.of("**/*.o", "*.md"), false, List.of()));
    request(req(List.of("src"), "/src/", "", List.of("lib", "!lib/keep"), false, List.of()));

    assertThat(root.resolve("all/src/lib/x.o")).doesNotExist();
    assertThat(root.resolve("all/c.md")).doesNotExist();
    assertThat(root.resolve("all/a.txt")).exists();
    assertThat(root.resolve("all/src/main.c")).exists();
    assertThat(root.resolve("src/lib/x.o")).doesNotExist();
    assertThat(root.resolve("src/main.c")).exists();
  }

  // BuildKit's testCopyParents and testCopyRelativeParents (dockerfile_parents_test.go).
  @Test
  void parents_keepTheSourcesDirectories_fromTheRootOrThePivot() throws Exception {
    request(req(List.of("src/lib/x.o"), "/p/", "", List.of(), true, List.of()));
    request(req(List.of("src/./lib"), "/q/", "", List.of(), true, List.of()));
    request(req(List.of("s*/*.c"), "/r/", "", List.of(), true, List.of()));

    assertThat(root.resolve("p/src/lib/x.o")).hasContent("obj");
    assertThat(root.resolve("p/src/main.c")).doesNotExist();
    assertThat(root.resolve("q/lib/x.o")).hasContent("obj");
    assertThat(root.resolve("q/src")).doesNotExist();
    assertThat(root.resolve("r/src/main.c")).hasContent("int main;");
    assertThat(root.resolve("r/src/lib")).doesNotExist();
    assertThatThrownBy(
            () -> request(req(List.of("src/nothing"), "/s/", "", List.of(), true, List.of())))
        .hasMessageContaining("\"/src/nothing\" not found");
  }

  @Test
  void severalSources_toAPathWithoutSlash_eachLandOnIt_theLastWinning_asBuildKit()
      throws Exception {
    copy(DockerIgnore.none(), "/dest", -1, "a.txt", "b.txt");
    copy(DockerIgnore.none(), "/glob", -1, "*.txt");
    copy(DockerIgnore.none(), "/dir", -1, "src", "a.txt");

    assertThat(root.resolve("dest")).hasContent("bb");
    assertThat(root.resolve("glob")).hasContent("bb");
    assertThat(root.resolve("dir/a.txt")).hasContent("a");
    assertThat(root.resolve("dir/main.c")).hasContent("int main;");
  }

  @Test
  void symbolicChmod_appliesToEachFilesOwnMode() throws Exception {
    Files.setAttribute(context.resolve("a.txt"), "unix:mode", 0700);
    request(req(List.of("a.txt", "b.txt"), "/m/", "go+rX", List.of(), false, List.of()));

    assertThat(Files.getAttribute(root.resolve("m/a.txt"), "unix:mode")).isEqualTo(0100755);
    assertThat(Files.getAttribute(root.resolve("m/b.txt"), "unix:mode")).isEqualTo(0100644);
  }

  @Test
  void sources_listEveryEntryTheCopyReads_sorted_withoutIgnoredOnes() throws Exception {
    List<FileCopies.Read> read =
        FileCopies.sources(
            new FileCopies.Source(context, DockerIgnore.parse("**/*.o\n", ".dockerignore"), false),
            new FileCopies.Request(
                List.of("src", "*.txt"), "/x/", null, "", false, List.of("up"), false, List.of()));

    assertThat(read.stream().map(FileCopies.Read::path))
        .containsExactly("a.txt", "b.txt", "src", "src/lib", "src/main.c");
    assertThat(read.get(0).file()).isEqualTo(context.resolve("a.txt"));
  }

  // Every destination is resolved inside the stage's root, as Docker's scoped resolution: a link
  // the base planted leads to its target inside the root.
  @Test
  void destinationLinks_anAbsoluteOne_orOneClimbingOut_leadInsideTheRoot() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("app"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
    Files.createSymbolicLink(root.resolve("host"), dir.resolve("context"));

    copy(DockerIgnore.none(), "/app/y", -1, "a.txt");
    copy(DockerIgnore.none(), "/up/z", -1, "a.txt");
    copy(DockerIgnore.none(), "/host/", -1, "b.txt");

    assertThat(root.resolve("etc/y")).hasContent("a");
    assertThat(root.resolve("z")).hasContent("a");
    assertThat(Files.isSymbolicLink(root.resolve("app"))).isTrue();
    assertThat(root.resolve(dir.resolve("context").toString().substring(1) + "/b.txt"))
        .hasContent("bb");
    assertThat(context.resolve("b.txt")).hasContent("bb");
    assertThat(dir.resolve("z")).doesNotExist();
    try (Stream<Path> s = Files.list(context)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("a.txt", "b.txt", "c.md", "src", "escape");
    }
  }

  @Test
  void aDirectoryOntoALinkInTheDestination_isRefused_likeBuildKit() throws Exception {
    Files.createDirectories(root.resolve("app"));
    Files.createSymbolicLink(root.resolve("app/lib"), dir);

    assertThatThrownBy(() -> copy(DockerIgnore.none(), "/app/", -1, "src"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot copy to non-directory: /app/lib");
    assertThat(dir.resolve("x.o")).doesNotExist();
  }

  @Test
  void aLinkInTheSourceDirectory_isCopiedAsALink_andALinkNamedAsTheSource_isFollowedInside()
      throws Exception {
    Files.createSymbolicLink(context.resolve("inside"), Path.of("src/main.c"));
    copy(DockerIgnore.none(), "/l/", -1, "src", "inside");

    assertThat(Files.readSymbolicLink(root.resolve("l/up"))).isEqualTo(Path.of("../../.."));
    assertThat(Files.isSymbolicLink(root.resolve("l/inside"))).isFalse();
    assertThat(root.resolve("l/inside")).hasContent("int main;");
  }
}
