package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.runtime.build.DockerIgnore;
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
}
