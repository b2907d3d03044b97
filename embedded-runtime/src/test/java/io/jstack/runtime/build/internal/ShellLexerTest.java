package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShellLexerTest {
  private static final ShellLexer LEX = ShellLexer.of('\\');

  /**
   * Cases from moby/buildkit frontend/dockerfile/shell/envVarTest (TestShellParser4EnvVars), with
   * its environment PWD=/home, SHELL=bash, KOREAN=한국어, NULL= and its Unix expectations.
   */
  private static final String ENV_VAR_CASES =
      """
      hello                    |hello
      he'll'o                  |hello
      he'llo                   |error
      he\\'llo                 |he'llo
      he\\\\'llo               |error
      abc\\tdef                |abctdef
      "abc\\tdef"              |abc\\tdef
      "abc\\\\tdef"            |abc\\tdef
      'abc\\tdef'              |abc\\tdef
      hello\\                  |hello
      hello\\\\                |hello\\
      "hello                   |error
      "hello\\"                |error
      "hel'lo"                 |hel'lo
      'hello                   |error
      'hello\\'                |hello\\
      'hello\\there'           |hello\\there
      "''"                     |''
      $.                       |$.
      he$1x                    |hex
      he$.x                    |he$.x
      he$pwd.                  |he.
      he$PWD                   |he/home
      he\\$PWD                 |he$PWD
      he\\\\$PWD               |he\\/home
      "he\\$PWD"               |he$PWD
      "he\\\\$PWD"             |he\\/home
      \\${}                    |${}
      he\\${}xx                |he${}xx
      ${}                      |error
      he${}xx                  |error
      he${hi}xx                |hexx
      he${PWD}                 |he/home
      he${.}                   |error
      he${XXX:-000}xx          |he000xx
      he${PWD:-000}xx          |he/homexx
      he${XXX:-$PWD}xx         |he/homexx
      he${XXX:-${PWD:-yyy}}xx  |he/homexx
      he${XXX:-${YYY:-yyy}}xx  |heyyyxx
      he${XXX:YYY}             |error
      he${XXX?}                |error
      he${XXX:?}               |error
      he${PWD?}                |he/home
      he${PWD:?}               |he/home
      he${NULL?}               |he
      he${NULL:?}              |error
      he${XXX:+${PWD}}xx       |hexx
      he${PWD:+${XXX}}xx       |hexx
      he${PWD:+${SHELL}}xx     |hebashxx
      he${XXX:+000}xx          |hexx
      he${PWD:+000}xx          |he000xx
      'he${XX}'                |he${XX}
      "he${PWD}"               |he/home
      "he'$PWD'"               |he'/home'
      '$PWD'                   |$PWD
      '\\$PWD'                 |\\$PWD
      '"hello"'                |"hello"
      he${PWD                  |error
      he${PWD:=000}xx          |error
      he${PWD:+${PWD}:}xx      |he/home:xx
      he${XXX:-\\$PWD:}xx      |he$PWD:xx
      he${XXX:-\\${PWD}z}xx    |he${PWDz}xx
      안녕'하세요              |error
      안녕\\t하세요            |안녕t하세요
      안녕$PWD                 |안녕/home
      $KOREAN                  |한국어
      안녕$KOREAN              |안녕한국어
      ${{aaa}                  |error
      ${aaa}}                  |}
      ${aaa:-bbb}}             |bbb}
      ${aaa:-bbb               |error
      ${aaa:-${bbb:-ccc}}      |ccc
      ${aaa:-bbb ${foo}        |error
      ${aaa:-bbb {foo}         |bbb {foo
      ${:}                     |error
      ${:-bbb}                 |error
      $1                       |
      ${1:-bbb}                |bbb
      $999aaa                  |aaa
      ${001:-bbb}aaa           |bbbaaa
      $@@@                     |@@
      ${@:-bbb}aaa             |bbbaaa
      ${#:-bbb}                |bbb
      ${?:+bbb}                |
      $$                       |
      ${!:-bbb}                |bbb
      $0                       |
      """;

  static Stream<Arguments> envVarCases() {
    return ENV_VAR_CASES
        .lines()
        .map(l -> l.split("\\|", 2))
        .map(p -> Arguments.of(p[0].strip(), p[1].strip()));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("envVarCases")
  void processWord_matchesBuildKitsEnvVarTest(String input, String expected) {
    Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
    if (expected.equals("error")) {
      assertThatThrownBy(() -> LEX.processWord(input, env)).isInstanceOf(LexException.class);
    } else {
      assertThat(LEX.processWord(input, env)).isEqualTo(expected);
    }
  }

  /** Cases from moby/buildkit frontend/dockerfile/shell/wordsTest (TestShellParser4Words). */
  @Test
  void processWords_matchesBuildKitsWordsTest() {
    Map<String, String> env = new HashMap<>();
    assertThat(LEX.processWords("hello", env)).containsExactly("hello");
    assertThat(LEX.processWords("hello${hi}bye", env)).containsExactly("hellobye");
    env.put("hi", "hi");
    assertThat(LEX.processWords("hello${hi}bye", env)).containsExactly("hellohibye");
    env.put("space", "abc  def");
    assertThat(LEX.processWords("hello${space}bye", env)).containsExactly("helloabc", "defbye");
    assertThat(LEX.processWords("hello\"${space}\"bye", env)).containsExactly("helloabc  defbye");
    assertThat(LEX.processWords("hello \"${space}\"bye", env))
        .containsExactly("hello", "abc  defbye");
    env.put("leading", "  ab c");
    assertThat(LEX.processWords("hello${leading}def", env)).containsExactly("hello", "ab", "cdef");
    assertThat(LEX.processWords("hello\"${leading}\" def", env))
        .containsExactly("hello  ab c", "def");
    env.put("trailing", "ab c   ");
    assertThat(LEX.processWords("hello${trailing}d", env)).containsExactly("helloab", "c", "d");
    assertThat(LEX.processWords("hel\"lo${trailing}\"", env)).containsExactly("helloab c   ");
    assertThat(LEX.processWords("hello\" there  \"", env)).containsExactly("hello there  ");
    assertThat(LEX.processWords("hello there     ", env)).containsExactly("hello", "there");
    assertThat(LEX.processWords("hello\\ there", env)).containsExactly("hello there");
    assertThat(LEX.processWords("hello\\\" there", env)).containsExactly("hello\"", "there");
    assertThat(LEX.processWords("hello\"\\\\there\"", env)).containsExactly("hello\\there");
    assertThat(LEX.processWords("hello'\\\\there'", env)).containsExactly("hello\\\\there");
    assertThat(LEX.processWords("hello'$there'", env)).containsExactly("hello$there");
    assertThatThrownBy(() -> LEX.processWords("hello\" there", env))
        .isInstanceOf(LexException.class);
  }

  /** TestShellParser4Words's second mode: RawQuotes and SkipUnsetEnv, as heredoc detection uses. */
  @Test
  void rawQuotesAndSkipUnset_keepQuotesAndUnsetReferences() {
    ShellLexer raw = LEX.rawQuotes().skipUnsetEnv();
    assertThat(raw.processWords("hello${hi}bye", Map.of())).containsExactly("hello${hi}bye");
    assertThat(raw.processWords("hello\"${space}\"bye", Map.of("space", "abc  def")))
        .containsExactly("hello\"abc  def\"bye");
    assertThat(raw.processWord("${X:-a} $Y", Map.of())).isEqualTo("${X:-a} $Y");
  }

  /** From lex_test.go TestShellParserMandatoryEnvVars: the message is substituted too. */
  @Test
  void requiredVariable_messageIsSubstituted() {
    String noEmpty = "${VAR:?message here$ARG}";
    String noUnset = "${VAR?message here$ARG}";
    assertThat(LEX.processWord(noEmpty, Map.of("VAR", "plain", "ARG", "x"))).isEqualTo("plain");
    assertThatThrownBy(() -> LEX.processWord(noEmpty, Map.of("VAR", "", "ARG", "x")))
        .hasMessageContaining("message herex");
    assertThatThrownBy(() -> LEX.processWord(noEmpty, Map.of("ARG", "x")))
        .hasMessageContaining("message herex");
    assertThat(LEX.processWord(noUnset, Map.of("VAR", "", "ARG", "x"))).isEmpty();
    assertThatThrownBy(() -> LEX.processWord(noUnset, Map.of("ARG", "x")))
        .hasMessage("VAR: message herex");
  }

  /** From lex_test.go TestProcessWithMatches: results and which variables were looked up. */
  @Test
  void processWithMatches_substitutesAndReportsMatches() {
    Map<String, String> fooBar = Map.of("FOO", "xxx", "BAR", "");
    ShellLexer.Result r = LEX.process("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", fooBar);
    assertThat(r.word()).isEqualTo("xxx  ccc");
    assertThat(r.matched()).containsExactlyInAnyOrder("FOO", "BAR");
    assertThat(r.unmatched()).containsExactly("BAZ");
    assertThat(LEX.processWord("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", fooBar))
        .isEqualTo("xxx bbb ccc");
    assertThat(LEX.processWord("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", fooBar)).isEqualTo("aaa bbb ");
    assertThat(LEX.processWord("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", fooBar)).isEqualTo("aaa  ");
    assertThat(LEX.processWord("${BAR?bbb}", fooBar)).isEmpty();
    for (String bad :
        List.of("${BAZ?ccc}", "${BAR:?bbb}", "${BAZ:?}", "${FOO=aaa}", "${FOO=:aaa}")) {
      assertThatThrownBy(() -> LEX.processWord(bad, fooBar))
          .as(bad)
          .isInstanceOf(LexException.class);
    }
  }

  static Stream<Arguments> patternCases() {
    // lex_test.go TestProcessWithMatches: # ## % %% / // (input, FOO, other vars, expected)
    return Stream.of(
        Arguments.of("${FOO#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "", "x"),
        Arguments.of("${FOO%%\\**}", "xx**", "", "xx"),
        Arguments.of("${FOO#*x*y}", "xxyy", "", "y"),
        Arguments.of("${FOO#*}", "xxyy", "", "xxyy"),
        Arguments.of("${FOO#$BAR}", "xxyy", "BAR=x", "xyy"),
        Arguments.of("${FOO#$BAR}", "xxyy", "BAR=", "xxyy"),
        Arguments.of("${FOO#}", "xxyy", "", "xxyy"),
        Arguments.of("${FOO##*x}", "xxyy", "", "yy"),
        Arguments.of("${FOO##}", "xxyy", "", "xxyy"),
        Arguments.of("${FOO#?\\?}", "???y", "", "?y"),
        Arguments.of("${ABC:-.}${FOO%x}${ABC:-.}", "xxyy", "", ".xxyy."),
        Arguments.of("${FOO%%\\**\\*}", "a***yy*", "", "a"),
        Arguments.of("${FOO%}", "xxyy", "", "xxyy"),
        Arguments.of("${FOO%%$BAR}", "xxyy", "BAR=", "xxyy"),
        Arguments.of(
            "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            "/foo*/*/*.txt",
            "NEEDLE=\\*/",
            "/foo.*/*.txt - /foo..*.txt"),
        Arguments.of(
            "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            "/tmp/tmp/bar.txt",
            "NEEDLE=/tmp",
            "/tmp/bar.txt - /bar.txt"),
        Arguments.of(
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", "/a/foo/b/c.txt",
            "NEEDLE=/?/,REPLACEMENT=/", "/foo/b/c.txt - /foo/c.txt"),
        Arguments.of(
            "${FOO/$NEEDLE/$REPLACEMENT}", "http://google.de",
            "NEEDLE=http://,REPLACEMENT=https://", "https://google.de"),
        Arguments.of("${FOO//\\//\\/}", "/tmp/foo.txt", "", "\\/tmp\\/foo.txt"),
        Arguments.of("${FOO/$BAR/ww}", "xxyy", "BAR=", "wwxxyy"),
        Arguments.of("${FOO///}", "xxyy", "", "xxyy"));
  }

  @ParameterizedTest(name = "{0} with FOO={1} -> {3}")
  @MethodSource("patternCases")
  void patternModifiers_matchBuildKit(String input, String foo, String vars, String expected) {
    Map<String, String> env = new HashMap<>();
    env.put("FOO", foo);
    for (String kv : vars.isEmpty() ? new String[0] : vars.split(",")) {
      String[] p = kv.split("=", 2);
      env.put(p[0], p[1]);
    }
    assertThat(LEX.processWord(input, env)).isEqualTo(expected);
  }

  @Test
  void patternModifiers_rejectColonFormsAndMissingSeparators() {
    // lex_test.go TestProcessWithMatches expectedErr cases.
    for (String bad :
        List.of("${FOO:#}", "${FOO:##}", "${FOO:%}", "${FOO:%%}", "${FOO//ww}", "${FOO//}")) {
      assertThatThrownBy(() -> LEX.processWord(bad, Map.of("FOO", "xxyy")))
          .as(bad)
          .isInstanceOf(LexException.class);
    }
    assertThatThrownBy(() -> LEX.processWord("${FOO//ww}", Map.of("FOO", "xxyy")))
        .hasMessage("syntax error: missing '/' in ${}");
    assertThat(LEX.processWord("${FOO///}", Map.of())).isEmpty();
  }

  /** lex_test.go TestProcessWithMatchesPlatform: the release file name idiom. */
  @Test
  void targetVariantIdiom_dropsTheDashWhenEmptyOrUnset() {
    String release =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    Map<String, String> env = new HashMap<>(Map.of("VERSION", "v1.2.3", "TARGETOS", "linux"));
    env.put("TARGETARCH", "arm");
    env.put("TARGETVARIANT", "v7");
    assertThat(LEX.processWord(release, env)).isEqualTo("something-v1.2.3.linux-arm-v7.tar.gz");
    env.put("TARGETARCH", "arm64");
    env.put("TARGETVARIANT", "");
    assertThat(LEX.processWord(release, env)).isEqualTo("something-v1.2.3.linux-arm64.tar.gz");
    env.remove("TARGETVARIANT");
    assertThat(LEX.processWord(release, env)).isEqualTo("something-v1.2.3.linux-arm64.tar.gz");
  }

  /** lex_test.go TestReversePattern and TestConvertShellPatternToRegex. */
  @Test
  void patternHelpers_matchBuildKit() {
    assertThat(Substitution.reversePattern("a\\*c")).isEqualTo("c\\*a");
    assertThat(Substitution.reversePattern("\\\\\\ab")).isEqualTo("b\\a\\\\");
    assertThat(Substitution.reversePattern("ab\\")).isEqualTo("\\ba");
    assertThat(Substitution.reversePattern("\\\\b")).isEqualTo("b\\\\");
    assertThat(Substitution.reverse("🖖🚀👽")).isEqualTo("👽🚀🖖");
    assertThat(Substitution.toRegex("*", true, true).pattern()).isEqualTo("^.*");
    assertThat(Substitution.toRegex("\\*", true, true).pattern()).isEqualTo("^\\*");
    for (String bad : List.of("\\", "\\x", "\\\\\\")) {
      assertThatThrownBy(() -> Substitution.toRegex(bad, true, true))
          .isInstanceOf(LexException.class);
    }
  }

  @Test
  void backtickEscape_escapesLikeBackslash() {
    ShellLexer tick = ShellLexer.of('`');
    assertThat(tick.processWord("a`$B c\\d", Map.of("B", "x"))).isEqualTo("a$B c\\d");
    assertThat(tick.processWords("a` b", Map.of()))
        .isEqualTo(new ArrayList<>(Arrays.asList("a b")));
  }
}
