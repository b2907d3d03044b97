package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases from github.com/mattn/go-shellwords v1.0.13 {@code shellwords_test.go} and {@code
 * shellwords_security_test.go} (those that run with the default parser, as compose-go does) and
 * from compose-go's loader tests.
 */
class ShellWordsTest {

  static Stream<Arguments> words() {
    return Stream.of(
        // go-shellwords testcases
        arguments("", List.of()),
        arguments("\"\"", List.of("")),
        arguments("''", List.of("")),
        arguments("var --bar=baz", List.of("var", "--bar=baz")),
        arguments("var --bar=\"baz\"", List.of("var", "--bar=baz")),
        arguments("var \"--bar=baz\"", List.of("var", "--bar=baz")),
        arguments("var \"--bar='baz'\"", List.of("var", "--bar='baz'")),
        arguments("var --bar=`baz`", List.of("var", "--bar=`baz`")),
        arguments("var \"--bar=\\\"baz'\"", List.of("var", "--bar=\"baz'")),
        arguments("var \"--bar=\\'baz\\'\"", List.of("var", "--bar='baz'")),
        arguments("var --bar='\\'", List.of("var", "--bar=\\")),
        arguments("var \"--bar baz\"", List.of("var", "--bar baz")),
        arguments("var --\"bar baz\"", List.of("var", "--bar baz")),
        arguments("var  --\"bar baz\"", List.of("var", "--bar baz")),
        arguments("a \"b\"", List.of("a", "b")),
        arguments("a \" b \"", List.of("a", " b ")),
        arguments("a \"   \"", List.of("a", "   ")),
        arguments("a 'b'", List.of("a", "b")),
        arguments("a ' b '", List.of("a", " b ")),
        arguments("a '   '", List.of("a", "   ")),
        arguments("foo bar\\  ", List.of("foo", "bar ")),
        arguments("foo \"\" bar ''", List.of("foo", "", "bar", "")),
        arguments("foo \\\\", List.of("foo", "\\")),
        arguments("foo \\& bar", List.of("foo", "&", "bar")),
        arguments(
            "sh -c \"printf 'Hello\\tworld\\n'\"", List.of("sh", "-c", "printf 'Hello\tworld\n'")),
        // go-shellwords TestBacktick, TestDollarParenLiteralWhenParseBacktickDisabled
        arguments("echo $(echo \"foo\")", List.of("echo", "$(echo \"foo\")")),
        arguments("echo $(`echo1)", List.of("echo", "$(`echo1)")),
        arguments("$(echo \"foo\")", List.of("$(echo \"foo\")")),
        // go-shellwords TestHaveMore, TestHaveRedirect: the rest of the line is dropped
        arguments("echo \ud83c\udf7a; seq 1 10", List.of("echo", "\ud83c\udf7a")),
        arguments("ls -la 2>foo", List.of("ls", "-la")),
        // go-shellwords TestEnvInQuoted, without environment expansion
        arguments("ssh 127.0.0.1 \"echo $FOO\"", List.of("ssh", "127.0.0.1", "echo $FOO")),
        arguments("echo $FOO", List.of("echo", "$FOO")),
        // go-shellwords TestParseWithEnvs, as plain words
        arguments("FOO=foo cmd --args=A=B", List.of("FOO=foo", "cmd", "--args=A=B")),
        arguments(
            "sh -c \"FOO=foo BAR=bar cmd --args=A=B -A=B\"",
            List.of("sh", "-c", "FOO=foo BAR=bar cmd --args=A=B -A=B")),
        // go-shellwords TestSubShellEnv
        arguments("program -f abc.txt", List.of("program", "-f", "abc.txt")),
        arguments("sh -c 'echo foo'", List.of("sh", "-c", "echo foo")),
        arguments("sh -c \"echo foo\"", List.of("sh", "-c", "echo foo")),
        // compose-go loader tests
        arguments("echo", List.of("echo")),
        arguments("echo hello", List.of("echo", "hello")),
        arguments(
            "/bin/ash -c \"rm -rf /tmp/might-not-exist\"",
            List.of("/bin/ash", "-c", "rm -rf /tmp/might-not-exist")),
        arguments("bundle exec thin -p 3000", List.of("bundle", "exec", "thin", "-p", "3000")),
        // separators
        arguments("  lead  trail  ", List.of("lead", "trail")),
        arguments("a\tb\nc\r\nd", List.of("a", "b", "c", "d")),
        arguments("a\\ b", List.of("a b")),
        arguments("\"a\"'b'c", List.of("abc")),
        // escapes
        arguments("'a\\nb'", List.of("a\\nb")),
        arguments("\"a\\nb\"", List.of("a\nb")),
        arguments("a\\tb", List.of("a\tb")),
        arguments("\"\\$HOME\"", List.of("$HOME")),
        arguments("\\'quoted\\'", List.of("'quoted'")),
        // backquotes and $( ) keep their text, spaces included
        arguments("echo `a b`", List.of("echo", "`a b`")),
        arguments("echo `a \"b\"`", List.of("echo", "`a b`")),
        arguments("echo $(a ; b)", List.of("echo", "$(a ; b)")),
        arguments("\"$\"(x)", List.of("$(x)")),
        arguments("echo \"(x)\" '(y)'", List.of("echo", "(x)", "(y)")),
        // the first unquoted ; & | < > ends the command
        arguments("echo hi && echo there", List.of("echo", "hi")),
        arguments("a|b", List.of("a")),
        arguments("a x2>y", List.of("a", "x2")),
        arguments("a 12>y", List.of("a")),
        arguments("cat <in", List.of("cat")),
        arguments("echo 'a' ; 'unterminated", List.of("echo", "a")),
        arguments("echo \"a;b\" 'c|d' e\\&f", List.of("echo", "a;b", "c|d", "e&f")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("words")
  void split_givesTheWords(String line, List<String> expected) {
    assertThat(ShellWords.split(line)).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // go-shellwords TestError
        arguments("foo '", "unterminated single quote"),
        arguments("foo \"", "unterminated double quote"),
        arguments("foo `", "unterminated backquote"),
        // go-shellwords TestBacktickError, with the default parser
        arguments("echo $(echo1", "unterminated \"$(\""),
        arguments("echo $ (echo1", "unexpected \"(\" (quote it)"),
        arguments("echo (echo1", "unexpected \"(\" (quote it)"),
        arguments("echo )echo1", "unmatched \")\" (quote it)"),
        // go-shellwords shellwords_security_test.go
        arguments(")a b)c d", "unmatched \")\" (quote it)"),
        arguments("))", "unmatched \")\" (quote it)"),
        // more
        arguments("foo \\", "it ends with a lone backslash"),
        arguments("echo $(a $(b))", "unexpected \"(\" (quote it)"),
        arguments("'it''s", "unterminated single quote"),
        arguments("\"a\\\"", "unterminated double quote"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void split_rejectsWithAMessage(String line, String problem) {
    assertThatThrownBy(() -> ShellWords.split(line))
        .isInstanceOf(SyntaxException.class)
        .hasMessage("invalid command line \"" + line + "\": " + problem);
  }
}
