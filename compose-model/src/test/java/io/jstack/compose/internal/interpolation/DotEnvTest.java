package io.jstack.compose.internal.interpolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour of {@link DotEnv}. The cases marked "compose-go" restate what compose-go's dotenv tests
 * (godotenv_test.go, parser_test.go, godotenv_var_expansion_test.go) check, against the fixtures
 * copied to the shared conformance directory.
 *
 * <p>Not restated, because they test API jstack does not have: loading files into the process
 * environment (TestLoad*, TestActualEnvVarsAreLeftAlone), reading paths and directories
 * (TestLoadFileNotFound, TestErrorReadDirectory, TestGetEnvFromFile), and the dropping of keys that
 * start with a digit, which only godotenv's Read does and Compose's env-file loading does not.
 */
class DotEnvTest {

  private static final Function<String, Optional<String>> NO_LOOKUP = name -> Optional.empty();

  private static Path fixture(String name) {
    String shared = System.getProperty("jstack.shared.dir");
    Path base = shared == null || shared.isBlank() ? Path.of("../../shared") : Path.of(shared);
    return base.resolve("conformance/compose-go/dotenv/fixtures").resolve(name);
  }

  private static String read(String fixture) throws IOException {
    return Files.readString(fixture(fixture), StandardCharsets.UTF_8);
  }

  private static Function<String, Optional<String>> lookupOf(Map<String, String> vars) {
    return name -> Optional.ofNullable(vars.get(name));
  }

  /**
   * An insertion-ordered map from {@code KEY=value} entries, split at the first '=' (Map.of has no
   * order, and pairs read better than alternating arguments).
   */
  private static Map<String, String> ordered(String... entries) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      map.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return map;
  }

  private static void assertParsesTo(Map<String, String> actual, Map<String, String> expected) {
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  // ---- compose-go: fixture files ----

  @ParameterizedTest(name = "[{index}] {0} with lookup {1}")
  @MethodSource
  void composeGo_fixtures(String fixture, Map<String, String> env, Map<String, String> expected)
      throws IOException {
    assertParsesTo(DotEnv.parse(read(fixture), lookupOf(env)), expected);
  }

  static Stream<Arguments> composeGo_fixtures() {
    // Compose keeps keys that start with a digit; only godotenv's Read drops them.
    Map<String, String> plain =
        ordered(
            "OPTION_A=1",
            "OPTION_B=2",
            "OPTION_C=3",
            "OPTION_D=4",
            "OPTION_E=5",
            "456=ABC",
            "OPTION_F=",
            "OPTION_G=",
            "OPTION_H=my string");
    String osVar = "VAR_TO_BE_LOADED_FROM_OS_ENV";
    Map<String, String> osEnv = Map.of(osVar, "SOME_RANDOM_VALUE");
    return Stream.of(
        // TestReadPlainEnv, TestLoadPlainEnv
        arguments("plain.env", Map.of(), plain),
        // TestLoadQuotedEnv
        arguments(
            "quoted.env",
            Map.of(),
            ordered(
                "OPTION_A=1",
                "OPTION_B=2",
                "OPTION_C=",
                "OPTION_D=\\n",
                "OPTION_E=1",
                "OPTION_F=2",
                "OPTION_G=",
                "OPTION_H=\n",
                "OPTION_I=echo 'asd'",
                "OPTION_J=first line\nsecond line\nthird line\nand so on",
                "OPTION_K=Let's go!",
                "OPTION_Z=last value")),
        // TestLoadExportedEnv
        arguments("exported.env", Map.of(), ordered("OPTION_A=2", "OPTION_B=\\n")),
        // TestLoadEqualsEnv
        arguments(
            "equals.env",
            Map.of(),
            ordered("OPTION_A=postgres://localhost:5432/database?sslmode=disable")),
        // TestLoadUnquotedEnv
        arguments(
            "unquoted.env",
            Map.of(),
            ordered(
                "OPTION_A=some quoted phrase",
                "OPTION_B=first one with an unquoted phrase",
                "OPTION_C=then another one with an unquoted phrase",
                "OPTION_D=then another one with an unquoted phrase special è char",
                "OPTION_E=then another one quoted phrase")),
        // TestSubstitutions
        arguments(
            "substitutions.env",
            Map.of(),
            ordered("OPTION_A=1", "OPTION_B=1", "OPTION_C=1", "OPTION_D=1_1", "OPTION_E=")),
        // TestSubstitutionsWithEnvFilePrecedence: the lookup wins over the file's own OPTION_A
        // when values refer to it, but the file still defines OPTION_A itself.
        arguments(
            "substitutions.env",
            Map.of("OPTION_A", "5"),
            ordered("OPTION_A=1", "OPTION_B=5", "OPTION_C=5", "OPTION_D=5_5", "OPTION_E=")),
        // TestSubstitutionsWithEnvFileDefaultValuePrecedence
        arguments(
            "substitutions-default.env",
            Map.of("OPTION_A", "5"),
            ordered("OPTION_A=5", "OPTION_B=5", "OPTION_C=5", "OPTION_D=5_5", "OPTION_E=")),
        // TestSubstitutionsWithUnsetVarEnvFileDefaultValuePrecedence
        arguments(
            "substitutions-default.env",
            Map.of(),
            ordered("OPTION_A=1", "OPTION_B=1", "OPTION_C=1", "OPTION_D=1_1", "OPTION_E=")),
        // TestDash
        arguments(
            "special.env",
            Map.of(),
            ordered(
                "VAR.WITH.DOTS=dots",
                "VAR_WITH_UNDERSCORES=underscores",
                "VAR-WITH-DASHES=dashes")),
        // TestInheritedEnvVariableSameSize
        arguments(
            "inherited-multi-var.env",
            osEnv,
            ordered("foo=bar", osVar + "=SOME_RANDOM_VALUE", "bar=baz")),
        // TestInheritedEnvVariableSingleVar
        arguments("inherited-single-var.env", osEnv, ordered(osVar + "=SOME_RANDOM_VALUE")),
        // TestInheritedEnvVariableNotFound
        arguments("inherited-not-found.env", osEnv, Map.of()),
        arguments("inherited-multi-var.env", Map.of(), ordered("foo=bar", "bar=baz")),
        // TestLoadWithFormat registers a "KEY:VALUE" parser; the dotenv syntax reads that too.
        arguments("custom.format", Map.of(), ordered("FOO=BAR", "ZOT=QIX")));
  }

  @Test
  void composeGo_utf8ByteOrderMarkIsSkipped() {
    // TestUTF8BOM: the shared fixtures lack utf8-bom.env, so its content is written out here.
    String content =
        "\uFEFFOPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\n"
            + "OPTION_F =\nOPTION_G=\nOPTION_H = my string # Inline comment\n";
    assertParsesTo(
        DotEnv.parse(content, NO_LOOKUP),
        ordered(
            "OPTION_A=1",
            "OPTION_B=2",
            "OPTION_C=3",
            "OPTION_D=4",
            "OPTION_E=5",
            "456=ABC",
            "OPTION_F=",
            "OPTION_G=",
            "OPTION_H=my string"));
  }

  @Test
  void composeGo_invalidFixtureNamesItsLine() throws IOException {
    // TestErrorParsing: the multi-line value on lines 2-6 is counted, so the bad line is 7.
    assertThatThrownBy(() -> DotEnv.parse(read("invalid1.env"), NO_LOOKUP))
        .isInstanceOfSatisfying(DotEnvException.class, e -> assertThat(e.line()).isEqualTo(7))
        .hasMessage("line 7: key cannot contain a space");
  }

  @Test
  void composeGo_bareKeyNotFoundIsAskedForAndDropped() throws IOException {
    // TestInheritedEnvVariableNotFoundWithLookup
    List<String> asked = new ArrayList<>();
    Map<String, String> env =
        DotEnv.parse(
            read("inherited-not-found.env"),
            name -> {
              asked.add(name);
              return Optional.empty();
            });
    assertThat(env).isEmpty();
    assertThat(asked).containsExactly("VARIABLE_NOT_FOUND");
  }

  // ---- compose-go: single statements ----

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void composeGo_statements(String content, String key, String value) {
    // TestParsing
    assertParsesTo(DotEnv.parse(content, NO_LOOKUP), ordered(key + "=" + value));
  }

  static Stream<Arguments> composeGo_statements() {
    return Stream.of(
        arguments("FOO=bar", "FOO", "bar"),
        // spaces around the equals sign
        arguments("FOO =bar", "FOO", "bar"),
        arguments("FOO= bar", "FOO", "bar"),
        // quoted values
        arguments("FOO=\"bar\"", "FOO", "bar"),
        arguments("FOO='bar'", "FOO", "bar"),
        arguments("FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar"),
        arguments("FOO=\"\\\"quoted\\\"\"", "FOO", "\"quoted\""),
        arguments("FOO=\"'d'\"", "FOO", "'d'"),
        // yaml-style statements, and colons in values
        arguments("OPTION_A: 1", "OPTION_A", "1"),
        arguments("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
        arguments("OPTION_A=1:B", "OPTION_A", "1:B"),
        // export
        arguments("export OPTION_A=2", "OPTION_A", "2"),
        arguments("export OPTION_B='\\n'", "OPTION_B", "\\n"),
        arguments("export exportFoo=2", "exportFoo", "2"),
        arguments("exportFOO=2", "exportFOO", "2"),
        arguments("export_FOO =2", "export_FOO", "2"),
        arguments("export.FOO= 2", "export.FOO", "2"),
        arguments("export\tOPTION_A=2", "OPTION_A", "2"),
        arguments("  export OPTION_A=2", "OPTION_A", "2"),
        arguments("\texport OPTION_A=2", "OPTION_A", "2"),
        arguments("export OPTION_A=\"export A\"", "OPTION_A", "export A"),
        // escapes: expanded in double quotes only
        arguments("FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz"),
        arguments("FOO=a\\tb", "FOO", "a\\tb"),
        arguments("FOO=\"a\\tb\"", "FOO", "a\tb"),
        arguments(
            "KEY=\"Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z\"",
            "KEY",
            "Z\u0007Z\bZ\fZ\nZ\rZ\tZ\u000BZ\\ZSZ"),
        // names and values
        arguments("FOO.BAR=foobar", "FOO.BAR", "foobar"),
        arguments("FOO=foobar=", "FOO", "foobar="),
        arguments("FOO=bar ", "FOO", "bar"),
        // inline comments need a space before the '#'
        arguments("FOO=bar # this is foo", "FOO", "bar"),
        arguments("FOO=bar #this is foo", "FOO", "bar"),
        arguments("FOO=bar #", "FOO", "bar"),
        arguments("FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"),
        // '#' inside quotes
        arguments("FOO=\"bar#baz\"", "FOO", "bar#baz"),
        arguments("FOO=\"bar#baz\"#", "FOO", "bar#baz"),
        arguments("FOO=\"bar#baz\" # comment", "FOO", "bar#baz"),
        arguments("FOO='bar#baz' # comment", "FOO", "bar#baz"),
        arguments("FOO=\"bar#baz#bang\" # comment", "FOO", "bar#baz#bang"),
        arguments("FOO=\"ba#r\"", "FOO", "ba#r"),
        arguments("FOO='ba#r'", "FOO", "ba#r"),
        // backslashes that start no escape are kept
        arguments("FOO=\"bar\\n\\ b\\az\"", "FOO", "bar\n\\ b\u0007z"),
        arguments("FOO=\"bar\\\\\\n\\ b\\az\"", "FOO", "bar\\\n\\ b\u0007z"),
        arguments("FOO=\"bar\\\\r\\ b\\az\"", "FOO", "bar\\r\\ b\u0007z"),
        arguments("FOO=\"bar\\nbaz\\\\\"", "FOO", "bar\nbaz\\"),
        // an empty key is accepted
        arguments("=\"value\"", "", "value"),
        // leading white space
        arguments(" KEY =value", "KEY", "value"),
        arguments("   KEY=value", "KEY", "value"),
        arguments("\tKEY=value", "KEY", "value"),
        // XSI octal escapes are expanded, other escapes are not
        arguments("KEY=\"\\0123\"", "KEY", "S"),
        arguments("KEY=\"\\x07\"", "KEY", "\\x07"),
        arguments("KEY=\"\\u12e4\"", "KEY", "\\u12e4"),
        arguments("KEY=\"\\U00101234\"", "KEY", "\\U00101234"));
  }

  @Test
  void composeGo_severalStatements() {
    // TestParse
    assertParsesTo(
        DotEnv.parse("ONE=1\nTWO='2'\nTHREE = \"3\"", NO_LOOKUP),
        ordered("ONE=1", "TWO=2", "THREE=3"));
    // TestVariableStringValueSeparator
    assertParsesTo(
        DotEnv.parse(
            "TEST_URLS=\"stratum+tcp://stratum.antpool.com:3333\n"
                + "stratum+tcp://stratum.antpool.com:443\"",
            NO_LOOKUP),
        ordered(
            "TEST_URLS=stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"));
    // TestParseBytes (parser_test.go): brackets, dots and non-ASCII letters in keys
    assertParsesTo(
        DotEnv.parse(
            "\na=b\na[1]=c\na.propertyKey=d\nárvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép\n",
            NO_LOOKUP),
        ordered(
            "a=b", "a[1]=c", "a.propertyKey=d", "árvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void composeGo_interpolation(String content, Map<String, String> expected) {
    // TestExpanding
    assertParsesTo(DotEnv.parse(content, NO_LOOKUP), expected);
  }

  static Stream<Arguments> composeGo_interpolation() {
    return Stream.of(
        arguments("FOO=test\nBAR=$FOO", ordered("FOO=test", "BAR=test")),
        arguments("FOO=test\nBAR=${FOO}bar", ordered("FOO=test", "BAR=testbar")),
        arguments("BAR=$FOO", ordered("BAR=")),
        arguments("FOO=test\nBAR=\"quote $FOO\"", ordered("FOO=test", "BAR=quote test")),
        arguments("BAR='quote $FOO'", ordered("BAR=quote $FOO")),
        arguments("FOO=\"foo\\$BAR\"", ordered("FOO=foo$BAR")),
        arguments("FOO=\"foo\\${BAR}\"", ordered("FOO=foo${BAR}")),
        arguments(
            "FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"", ordered("FOO=test", "BAR=foo${FOO} test")));
  }

  @Test
  void composeGo_lookupResolvesReferences() {
    // TestExpandingEnvironmentWithLookup
    assertParsesTo(DotEnv.parse("TEST=$ME", lookupOf(Map.of("ME", "YES"))), ordered("TEST=YES"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void composeGo_operatorsInValues(String value, String expected) {
    // godotenv_var_expansion_test.go: TestExpandIfEmptyOrUnset, TestExpandIfUnset and the cases
    // of TestErrorIfEmptyOrUnset / TestErrorIfUnset that succeed; EMPTY_VAR and TEST_VAR come from
    // an earlier file.
    Map<String, String> earlier = ordered("EMPTY_VAR=", "TEST_VAR=Test Value");
    Map<String, String> env = DotEnv.parse("RESULT=" + value, earlier, NO_LOOKUP, name -> {});
    assertThat(env).containsEntry("RESULT", expected).hasSize(3);
  }

  static Stream<Arguments> composeGo_operatorsInValues() {
    return Stream.of(
        arguments("${UNSET_VAR:-Default Value}", "Default Value"),
        arguments("${EMPTY_VAR:-Default Value}", "Default Value"),
        arguments("${TEST_VAR:-Default Value}", "Test Value"),
        arguments("${UNSET_VAR-Default Value}", "Default Value"),
        arguments("${EMPTY_VAR-Default Value}", ""),
        arguments("${TEST_VAR-Default Value}", "Test Value"),
        arguments("${TEST_VAR:?Default Value}", "Test Value"),
        arguments("${EMPTY_VAR?Test error}", ""),
        arguments("${TEST_VAR?Default Value}", "Test Value"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void composeGo_requiredVariablesInValues(String value, String message) {
    // The failing cases of TestErrorIfEmptyOrUnset and TestErrorIfUnset
    Map<String, String> earlier = ordered("EMPTY_VAR=", "TEST_VAR=Test Value");
    assertThatThrownBy(() -> DotEnv.parse("RESULT=" + value, earlier, NO_LOOKUP, name -> {}))
        .isInstanceOfSatisfying(
            DotEnvException.class,
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.getCause()).isInstanceOf(TemplateException.class);
            })
        .hasMessage("line 1: " + message);
  }

  static Stream<Arguments> composeGo_requiredVariablesInValues() {
    return Stream.of(
        arguments(
            "${UNSET_VAR:?Test error}",
            "required variable UNSET_VAR is missing a value: Test error"),
        arguments(
            "${EMPTY_VAR:?Test error}",
            "required variable EMPTY_VAR is missing a value: Test error"),
        arguments(
            "${UNSET_VAR?Test error}",
            "required variable UNSET_VAR is missing a value: Test error"));
  }

  @Test
  void composeGo_laterEnvFilesSeeEarlierOnes() {
    // TestMultipleFiles: Compose reads --env-file base --env-file override in turn.
    String base = "\nENV_HOSTNAME=localhost\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n";
    String override = "\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n";

    Map<String, String> env = DotEnv.parse(base, Map.of(), NO_LOOKUP, name -> {});
    env = DotEnv.parse(override, env, NO_LOOKUP, name -> {});
    assertParsesTo(
        env, ordered("ENV_HOSTNAME=dev.my-company.com", "ENV_MY_URL=http://dev.my-company.com"));

    // The process environment still wins when values refer to a variable.
    var osEnv = lookupOf(Map.of("ENV_HOSTNAME", "host.local"));
    env = DotEnv.parse(base, Map.of(), osEnv, name -> {});
    env = DotEnv.parse(override, env, osEnv, name -> {});
    assertParsesTo(env, ordered("ENV_HOSTNAME=dev.my-company.com", "ENV_MY_URL=http://host.local"));
  }

  // ---- compose-go: lines that are not statements, and bad lines ----

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "\n", "\r\n", "\t\t ", "# Comment", "\t # comment", "#a\n\n  #b\n"})
  void composeGo_linesToIgnore(String content) {
    // TestLinesToIgnore
    assertThat(DotEnv.parse(content, NO_LOOKUP)).isEmpty();
    assertParsesTo(
        DotEnv.parse(content + "\nexport OPTION_B='\\n'", NO_LOOKUP), ordered("OPTION_B=\\n"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void composeGo_badLines(String content, int line, String message) {
    assertThatThrownBy(() -> DotEnv.parse(content, NO_LOOKUP))
        .isInstanceOfSatisfying(DotEnvException.class, e -> assertThat(e.line()).isEqualTo(line))
        .hasMessage(message);
  }

  static Stream<Arguments> composeGo_badLines() {
    return Stream.of(
        // TestParsing: "lol$wut" is not a statement
        arguments("lol$wut", 1, "line 1: unexpected character \"$\" in variable name \"lol$wut\""),
        // TestParseVariable
        arguments(
            "%!(EXTRA string)=foo",
            1, "line 1: unexpected character \"%\" in variable name \"%!(EXTRA string)=foo\""),
        // TestUnterminatedQuotes
        arguments("KEY=\"", 1, "line 1: unterminated quoted value \""),
        arguments("KEY=\"value", 1, "line 1: unterminated quoted value \"value"),
        arguments("KEY=\"value\\\"", 1, "line 1: unterminated quoted value \"value\\\""),
        arguments("KEY=\"value'", 1, "line 1: unterminated quoted value \"value'"),
        arguments("KEY='", 1, "line 1: unterminated quoted value '"),
        arguments("KEY='value", 1, "line 1: unterminated quoted value 'value"),
        arguments("KEY='value\\'", 1, "line 1: unterminated quoted value 'value\\'"),
        arguments("KEY='value\"", 1, "line 1: unterminated quoted value 'value\""));
  }

  // ---- Beyond compose-go's own cases ----

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void errorsNameTheLineTheStatementStartsOn(String content, int line, String message) {
    assertThatThrownBy(() -> DotEnv.parse(content, NO_LOOKUP))
        .isInstanceOfSatisfying(DotEnvException.class, e -> assertThat(e.line()).isEqualTo(line))
        .hasMessage(message);
  }

  static Stream<Arguments> errorsNameTheLineTheStatementStartsOn() {
    return Stream.of(
        arguments("# c\n\nA=1\nB C=2", 4, "line 4: key cannot contain a space"),
        arguments("A=\"1\n2\n3\"\nB C", 4, "line 4: key cannot contain a space"),
        arguments(
            "A='1\n2'  # c\n\nB=1\nC\"=1",
            5,
            "line 5: unexpected character \"\\\"\" in variable name \"C\\\"=1\""),
        // compose-go skips counting the line of a bare key with trailing spaces, and says line 1.
        arguments("B  \nC D=1", 2, "line 2: key cannot contain a space"),
        // compose-go counts to the end of the file; the opening line is what the user needs.
        arguments("A=1\nB=\"open\nC=2\nD=3\n", 2, "line 2: unterminated quoted value \"open"),
        arguments(
            "A=1\n\nB=${C:?need C}\n", 3, "line 3: required variable C is missing a value: need C"),
        arguments("A=1\nB=\"x\n${ }\"", 2, "line 2: Invalid template: \"x\\n${ }\""),
        arguments("A=${FOO", 1, "line 1: Invalid template: \"${FOO\""),
        arguments("export   ", 1, "line 1: expected a variable name after \"export\""),
        arguments(
            "A\u2003B=1",
            1,
            "line 1: unexpected character \"\\u2003\" in variable name \"A\\u2003B=1\""),
        arguments("A B", 1, "line 1: key cannot contain a space"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void quirksAsComposeGo(String content, Map<String, String> expected) {
    assertParsesTo(DotEnv.parse(content, lookupOf(Map.of("X", "x"))), expected);
  }

  static Stream<Arguments> quirksAsComposeGo() {
    return Stream.of(
        // Whatever follows a closing quote is read as the next statement.
        arguments("A=\"a\" B=b", ordered("A=a", "B=b")),
        arguments("A='a'B", ordered("A=a")),
        // Only " #" starts an inline comment; a comment right after '=' is the value.
        arguments("A=b\t# c", ordered("A=b\t# c")),
        arguments("A= # c", ordered("A=# c")),
        // Keys may hold horizontal white space other than ' '.
        arguments("A\tB=1", ordered("A\tB=1")),
        // "export" followed by a newline leaves an empty key, looked up and dropped.
        arguments("export\nA=1", ordered("A=1")),
        // A bare key takes the lookup's value, with or without a final newline.
        arguments("X\nY\n", ordered("X=x")),
        arguments("X", ordered("X=x")),
        arguments("export X", ordered("X=x")),
        // A redefinition keeps the first position.
        arguments("A=1\nB=2\nA=3", ordered("A=3", "B=2")),
        arguments("A=1\nA", ordered("A=1")),
        arguments("X=mine\nX", ordered("X=x")),
        // Windows line ends.
        arguments("A=1\r\nB='b'\r\nC=\"c\"\r\nX\r\n", ordered("A=1", "B=b", "C=c", "X=x")),
        // Unicode white space is trimmed from unquoted values, and skipped between statements.
        arguments("A=v\u3000\u2003\n\u2028B=w", ordered("A=v", "B=w")),
        arguments("A=\u00a0v", ordered("A=v")),
        // Dollars.
        arguments("A=$$X", ordered("A=$X")),
        arguments("A=\"\\$X $$X $X\"", ordered("A=$X $X x")),
        arguments("A='$X ${'", ordered("A=$X ${")),
        arguments("A=price: 5$", ordered("A=price: 5$")),
        // Lookup first, then the file.
        arguments("X=mine\nA=$X", ordered("X=mine", "A=x")),
        arguments("Y=mine\nA=$Y", ordered("Y=mine", "A=mine")),
        arguments("A=$Y\nY=late", ordered("A=", "Y=late")));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource
  void doubleQuotedEscapes(String escaped, String expected) {
    assertParsesTo(DotEnv.parse("A=\"" + escaped + "\"", NO_LOOKUP), ordered("A=" + expected));
  }

  static Stream<Arguments> doubleQuotedEscapes() {
    return Stream.of(
        arguments("\\0", "\\"), // compose-go drops the 0 of a malformed octal escape
        arguments("\\01", "\\1"),
        arguments("\\012", "\\12"),
        arguments("\\0012", "\n"),
        arguments("\\01234", "S4"),
        arguments("\\0377", "\u00ff"),
        arguments("\\0400", "\\400"), // above 255
        arguments("\\0128", "\\128"),
        arguments("\\c", "\\c"),
        arguments("\\'", "\\'"),
        arguments("\\\\n", "\\n"),
        arguments("\\\\\\\\", "\\\\"),
        arguments("\\\"", "\""),
        arguments("\\$\\$", "$$"));
  }

  @Test
  void warnsAboutUnsetVariables() {
    List<String> unset = new ArrayList<>();
    Map<String, String> env =
        DotEnv.parse("A=$X\nB=\"${Y}\"\nC='$Z'\nD=${W:-w}", Map.of(), NO_LOOKUP, unset::add);
    assertParsesTo(env, ordered("A=", "B=", "C=$Z", "D=w"));
    assertThat(unset).containsExactly("X", "Y");
  }

  @Test
  void resultIsAnUnmodifiableCopy() {
    Map<String, String> earlier = new LinkedHashMap<>(Map.of("E", "e"));
    Map<String, String> env = DotEnv.parse("A=1", earlier, NO_LOOKUP, name -> {});
    assertThatThrownBy(() -> env.put("B", "2")).isInstanceOf(UnsupportedOperationException.class);
    earlier.put("F", "f");
    assertParsesTo(env, ordered("E=e", "A=1"));
    assertThat(earlier).containsOnlyKeys("E", "F");
  }

  @Test
  void manyLinesParseInOrder() {
    // TestMemoryExplosion: a thousand statements.
    StringBuilder content = new StringBuilder();
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      content.append("KEY").append(i).append("=VALUE").append(i).append('\n');
      expected.put("KEY" + i, "VALUE" + i);
    }
    assertParsesTo(DotEnv.parse(content.toString(), NO_LOOKUP), expected);
  }
}
