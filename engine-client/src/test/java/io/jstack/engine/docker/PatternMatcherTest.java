package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternMatcherTest {

  /** moby/patternmatcher patternmatcher_test.go TestMatches: pattern, path, matched. */
  static Stream<Arguments> singlePatternCases() {
    return Stream.of(
        Arguments.of("**", "file", true),
        Arguments.of("**", "file/", true),
        Arguments.of("**/", "file", true),
        Arguments.of("**/", "file/", true),
        Arguments.of("**", "/", true),
        Arguments.of("**/", "/", true),
        Arguments.of("**", "dir/file", true),
        Arguments.of("**/", "dir/file", true),
        Arguments.of("**", "dir/file/", true),
        Arguments.of("**/", "dir/file/", true),
        Arguments.of("**/**", "dir/file", true),
        Arguments.of("**/**", "dir/file/", true),
        Arguments.of("dir/**", "dir/file", true),
        Arguments.of("dir/**", "dir/file/", true),
        Arguments.of("dir/**", "dir/dir2/file", true),
        Arguments.of("dir/**", "dir/dir2/file/", true),
        Arguments.of("**/dir", "dir", true),
        Arguments.of("**/dir", "dir/file", true),
        Arguments.of("**/dir2/*", "dir/dir2/file", true),
        Arguments.of("**/dir2/*", "dir/dir2/file/", true),
        Arguments.of("**/dir2/**", "dir/dir2/dir3/file", true),
        Arguments.of("**/dir2/**", "dir/dir2/dir3/file/", true),
        Arguments.of("**file", "file", true),
        Arguments.of("**file", "dir/file", true),
        Arguments.of("**/file", "dir/file", true),
        Arguments.of("**file", "dir/dir/file", true),
        Arguments.of("**/file", "dir/dir/file", true),
        Arguments.of("**/file*", "dir/dir/file", true),
        Arguments.of("**/file*", "dir/dir/file.txt", true),
        Arguments.of("**/file*txt", "dir/dir/file.txt", true),
        Arguments.of("**/file*.txt", "dir/dir/file.txt", true),
        Arguments.of("**/file*.txt*", "dir/dir/file.txt", true),
        Arguments.of("**/**/*.txt", "dir/dir/file.txt", true),
        Arguments.of("**/**/*.txt2", "dir/dir/file.txt", false),
        Arguments.of("**/*.txt", "file.txt", true),
        Arguments.of("**/**/*.txt", "file.txt", true),
        Arguments.of("a**/*.txt", "a/file.txt", true),
        Arguments.of("a**/*.txt", "a/dir/file.txt", true),
        Arguments.of("a**/*.txt", "a/dir/dir/file.txt", true),
        Arguments.of("a/*.txt", "a/dir/file.txt", false),
        Arguments.of("a/*.txt", "a/file.txt", true),
        Arguments.of("a/*.txt**", "a/file.txt", true),
        Arguments.of("a[b-d]e", "ae", false),
        Arguments.of("a[b-d]e", "ace", true),
        Arguments.of("a[b-d]e", "aae", false),
        Arguments.of("a[^b-d]e", "aze", true),
        Arguments.of(".*", ".foo", true),
        Arguments.of(".*", "foo", false),
        Arguments.of("abc.def", "abcdef", false),
        Arguments.of("abc.def", "abc.def", true),
        Arguments.of("abc.def", "abcZdef", false),
        Arguments.of("abc?def", "abcZdef", true),
        Arguments.of("abc?def", "abcdef", false),
        Arguments.of("a\\\\", "a\\", true),
        Arguments.of("**/foo/bar", "foo/bar", true),
        Arguments.of("**/foo/bar", "dir/foo/bar", true),
        Arguments.of("**/foo/bar", "dir/dir2/foo/bar", true),
        Arguments.of("abc/**", "abc", false),
        Arguments.of("abc/**", "abc/def", true),
        Arguments.of("abc/**", "abc/def/ghi", true),
        Arguments.of("**/.foo", ".foo", true),
        Arguments.of("**/.foo", "bar.foo", false),
        Arguments.of("a(b)c/def", "a(b)c/def", true),
        Arguments.of("a(b)c/def", "a(b)c/xyz", false),
        Arguments.of("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        Arguments.of(
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            true),
        Arguments.of("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
        Arguments.of("a\\*b", "a*b", true));
  }

  /** patternmatcher_test.go TestMatches's multiPatternTests. */
  static Stream<Arguments> multiPatternCases() {
    return Stream.of(
        Arguments.of(List.of("**", "!util/docker/web"), "util/docker/web/foo", false),
        Arguments.of(
            List.of("**", "!util/docker/web", "util/docker/web/foo"), "util/docker/web/foo", true),
        Arguments.of(
            List.of("**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"),
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            false),
        Arguments.of(
            List.of("**", "!dist/*.whl"),
            "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
            false),
        // The single-pattern tests at the top of patternmatcher_test.go.
        Arguments.of(List.of("*"), "fileutils.go", true),
        Arguments.of(List.of("*.go"), "fileutils.go", true),
        Arguments.of(List.of("!fileutils.go", "*.go"), "fileutils.go", true),
        Arguments.of(List.of("docs", "!docs/README.md"), "docs/README.md", false),
        Arguments.of(List.of("docs/", "!docs/README.md"), "docs/README.md", false),
        Arguments.of(List.of("docs/*", "!docs/README.md"), "docs/README.md", false),
        Arguments.of(List.of("*.go", "!fileutils.go"), "fileutils.go", false),
        Arguments.of(List.of(), "/any/path/there", false));
  }

  static Stream<Arguments> allCases() {
    return Stream.concat(
        singlePatternCases().map(a -> Arguments.of(List.of(a.get()[0]), a.get()[1], a.get()[2])),
        multiPatternCases());
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource("allCases")
  void matchesOrParentMatches(List<String> patterns, String path, boolean expected) {
    assertThat(PatternMatcher.of(patterns).matchesOrParentMatches(path)).isEqualTo(expected);
  }

  /** TestMatches's MatchesUsingParentResults run: parents matched first, results handed down. */
  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource("allCases")
  void matchesUsingParentResults_walkingDown(List<String> patterns, String path, boolean expected) {
    PatternMatcher pm = PatternMatcher.of(patterns);
    String parent = GoPaths.dir(path);
    PatternMatcher.MatchInfo info = PatternMatcher.MatchInfo.NONE;
    if (!parent.equals(".")) {
      String[] dirs = parent.split("/", -1);
      for (int i = 0; i < dirs.length; i++) {
        info =
            pm.matchesUsingParentResults(String.join("/", List.of(dirs).subList(0, i + 1)), info)
                .info();
      }
    }
    assertThat(pm.matchesUsingParentResults(path, info).matched()).isEqualTo(expected);
    // MatchesUsingParentResultsNoContext: with no parent results it checks the parents itself.
    assertThat(pm.matchesUsingParentResults(path, PatternMatcher.MatchInfo.NONE).matched())
        .isEqualTo(expected);
  }

  /** The Go filepath.Match cases patternmatcher_test.go TestMatch runs through Matches. */
  static Stream<Arguments> goMatchCases() {
    return Stream.of(
        Arguments.of("abc", "abc", true),
        Arguments.of("*", "abc", true),
        Arguments.of("*c", "abc", true),
        Arguments.of("a*", "a", true),
        Arguments.of("a*", "abc", true),
        Arguments.of("a*", "ab/c", true),
        Arguments.of("a*/b", "abc/b", true),
        Arguments.of("a*/b", "a/c/b", false),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/f", true),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
        Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
        Arguments.of("a*b?c*x", "abxbbxdbxebxczzx", true),
        Arguments.of("a*b?c*x", "abxbbxdbxebxczzy", false),
        Arguments.of("ab[c]", "abc", true),
        Arguments.of("ab[b-d]", "abc", true),
        Arguments.of("ab[e-g]", "abc", false),
        Arguments.of("ab[^c]", "abc", false),
        Arguments.of("ab[^b-d]", "abc", false),
        Arguments.of("ab[^e-g]", "abc", true),
        Arguments.of("a\\*b", "a*b", true),
        Arguments.of("a\\*b", "ab", false),
        Arguments.of("a?b", "a☺b", true),
        Arguments.of("a[^a]b", "a☺b", true),
        Arguments.of("a???b", "a☺b", false),
        Arguments.of("a[^a][^a][^a]b", "a☺b", false),
        Arguments.of("[a-ζ]*", "α", true),
        Arguments.of("*[a-ζ]", "A", false),
        Arguments.of("a?b", "a/b", false),
        Arguments.of("a*b", "a/b", false),
        Arguments.of("[\\]a]", "]", true),
        Arguments.of("[\\-]", "-", true),
        Arguments.of("[x\\-]", "x", true),
        Arguments.of("[x\\-]", "-", true),
        Arguments.of("[x\\-]", "z", false),
        Arguments.of("[\\-x]", "x", true),
        Arguments.of("[\\-x]", "-", true),
        Arguments.of("[\\-x]", "a", false),
        Arguments.of("*x", "xxx", true));
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource("goMatchCases")
  void goFilepathMatchCases(String pattern, String path, boolean expected) {
    assertThat(PatternMatcher.of(List.of(pattern)).matchesOrParentMatches(path))
        .isEqualTo(expected);
  }

  /**
   * TestMatch's ErrBadPattern cases, TestSingleExclamationError and
   * TestMatchesWithMalformedPatterns.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]a]",
        "[-]",
        "[x-]",
        "[-x]",
        "\\",
        "[a-b-c]",
        "[",
        "[^",
        "[^bc",
        "a[",
        "!",
        "[Local-Only]/"
      })
  void malformedPatterns_areRefused(String pattern) {
    assertThatThrownBy(() -> PatternMatcher.of(List.of(pattern)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** TestCleanPatterns*: blank patterns are dropped, patterns are trimmed and cleaned. */
  @Test
  void patterns_areTrimmedCleanedAndBlankOnesDropped() {
    PatternMatcher pm =
        PatternMatcher.of(List.of("docs", "config", "", "  !docs/README.md  ", "a/./b/../c/"));
    assertThat(pm.patterns()).containsExactly("docs", "config", "!docs/README.md", "a/c");
    assertThat(pm.hasExclusions()).isTrue();
    assertThat(PatternMatcher.of(List.of("docs")).hasExclusions()).isFalse();
  }
}
