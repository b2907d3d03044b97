package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerIgnoreTest {

  /** moby/patternmatcher ignorefile/ignorefile_test.go TestReadAll (without its lone "!" lines). */
  @Test
  void parse_readsAsIgnorefileReadAll() {
    String content =
        "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n";
    assertThat(DockerIgnore.parse(content, ".dockerignore").patterns())
        .containsExactly("test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path");
  }

  @Test
  void parse_cleansPathsAndKeepsIndentedHashesAsPatterns() {
    DockerIgnore ignore =
        DockerIgnore.parse(
            "\uFEFF./node_modules/\r\n  #not-a-comment\nbuild//out/../bin\n/\n", ".dockerignore");
    assertThat(ignore.patterns())
        .containsExactly("node_modules", "#not-a-comment", "build/bin", "/");
  }

  @Test
  void lonelyExclamation_isAnErrorWithTheFileAndLine() {
    assertThatThrownBy(() -> DockerIgnore.parse("a\n!\n", ".dockerignore"))
        .isInstanceOfSatisfying(
            DockerIgnore.PatternException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      ".dockerignore:2: illegal exclusion pattern: \"!\"; fix the pattern; see"
                          + " https://docs.docker.com/build/concepts/context/#dockerignore-files");
              assertThat(e.file()).isEqualTo(".dockerignore");
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.problem()).isEqualTo("illegal exclusion pattern: \"!\"");
            });
    assertThatThrownBy(() -> DockerIgnore.parse("# ok\n[", "app.Dockerfile.dockerignore"))
        .hasMessageStartingWith("app.Dockerfile.dockerignore:2: syntax error in pattern [;");
    assertThatThrownBy(() -> DockerIgnore.parse("a\\", ".dockerignore"))
        .hasMessageStartingWith(".dockerignore:1: syntax error in pattern a\\;");
  }

  /** A backslash escapes the next character, as in Go's filepath.Match; it is no separator. */
  @Test
  void backslash_escapesTheNextCharacter() {
    DockerIgnore ignore = DockerIgnore.parse("a\\*b\nlogs\\?\n", ".dockerignore");
    assertThat(ignore.excludes("a*b")).isTrue();
    assertThat(ignore.excludes("axb")).isFalse();
    assertThat(ignore.excludes("a*b/inside")).isTrue();
    assertThat(ignore.excludes("logs?")).isTrue();
    assertThat(ignore.excludes("logs1")).isFalse();
    // Not a Windows separator: a\*b names no directory a.
    assertThat(ignore.excludes("a/xb")).isFalse();
  }

  /** In a class only ^ negates, as in Go's filepath.Match; [!a] is the class of ! and a. */
  @Test
  void bracketExclamation_isNoNegation_onlyCaretIs() {
    DockerIgnore bang = DockerIgnore.parse("file[!a].txt\n", ".dockerignore");
    assertThat(bang.excludes("filea.txt")).isTrue();
    assertThat(bang.excludes("file!.txt")).isTrue();
    assertThat(bang.excludes("fileb.txt")).isFalse();

    DockerIgnore caret = DockerIgnore.parse("file[^a].txt\n", ".dockerignore");
    assertThat(caret.excludes("filea.txt")).isFalse();
    assertThat(caret.excludes("fileb.txt")).isTrue();
    assertThat(caret.excludes("file!.txt")).isTrue();
  }

  @Test
  void excludes_laterPatternsWinAndDirectoriesExcludeWhatIsUnder() {
    DockerIgnore ignore = DockerIgnore.parse("*.md\n!README.md\ndocs\n**/*.tmp\n", ".dockerignore");
    assertThat(ignore.excludes("CHANGES.md")).isTrue();
    assertThat(ignore.excludes("README.md")).isFalse();
    assertThat(ignore.excludes("docs/guide/index.html")).isTrue();
    assertThat(ignore.excludes("src/a/b.tmp")).isTrue();
    assertThat(ignore.excludes("./src/Main.java")).isFalse();
    assertThat(ignore.excludes(".")).isFalse();
    // "*" stops at "/": a .md file in a directory is kept.
    assertThat(ignore.excludes("sub/CHANGES.md")).isFalse();
  }

  /** tonistiigi/fsutil filter.go: when a walk may skip an excluded directory. */
  @Test
  void canSkipDirectory_onlyWhenNoExceptionCanReachInside() {
    DockerIgnore plain = DockerIgnore.parse("node_modules\nbuild\n", ".dockerignore");
    assertThat(plain.canSkipDirectory("node_modules")).isTrue();
    assertThat(plain.canSkipDirectory("src")).isFalse();

    DockerIgnore prefixException =
        DockerIgnore.parse("build\n!build/keep/me.txt\n", ".dockerignore");
    assertThat(prefixException.canSkipDirectory("build")).isFalse();
    assertThat(prefixException.excludes("build/keep/me.txt")).isFalse();
    assertThat(prefixException.excludes("build/other")).isTrue();
    assertThat(prefixException.canSkipDirectory("build/other")).isTrue();

    DockerIgnore wildcardException = DockerIgnore.parse("build\n!**/*.keep\n", ".dockerignore");
    assertThat(wildcardException.canSkipDirectory("build")).isFalse();
    assertThat(wildcardException.excludes("build/x/a.keep")).isFalse();

    // A trailing /** or /* in the exception does not count as a wildcard.
    DockerIgnore trailing = DockerIgnore.parse("*\n!src/**\n", ".dockerignore");
    assertThat(trailing.canSkipDirectory("target")).isTrue();
    assertThat(trailing.canSkipDirectory("src")).isFalse();
  }

  @Test
  void load_prefersTheDockerfilesOwnIgnoreFile(@TempDir Path context) throws IOException {
    Path dockerfile = Files.createDirectories(context.resolve("docker")).resolve("app.Dockerfile");
    Files.writeString(dockerfile, "FROM a\n");
    assertThat(DockerIgnore.load(context, dockerfile).patterns()).isEmpty();
    assertThat(DockerIgnore.load(context, dockerfile).file()).isEmpty();
    Path general = Files.writeString(context.resolve(".dockerignore"), "general\n");
    assertThat(DockerIgnore.load(context, dockerfile).patterns()).containsExactly("general");
    assertThat(DockerIgnore.load(context, dockerfile).file()).contains(general);
    Path specific =
        Files.writeString(context.resolve("docker/app.Dockerfile.dockerignore"), "specific\n");
    assertThat(DockerIgnore.load(context, dockerfile).patterns()).containsExactly("specific");
    assertThat(DockerIgnore.load(context, dockerfile).file()).contains(specific);
  }

  @Test
  void load_aMalformedPattern_namesTheFileItIsIn(@TempDir Path context) throws IOException {
    Path dockerfile = Files.writeString(context.resolve("app.Dockerfile"), "FROM a\n");
    Files.writeString(context.resolve("app.Dockerfile.dockerignore"), "ok\n\n[x-]\n");
    assertThatThrownBy(() -> DockerIgnore.load(context, dockerfile))
        .isInstanceOf(DockerIgnore.PatternException.class)
        .hasMessageStartingWith("app.Dockerfile.dockerignore:3: syntax error in pattern [x-];");
  }
}
