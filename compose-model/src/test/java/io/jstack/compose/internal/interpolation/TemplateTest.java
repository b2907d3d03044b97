package io.jstack.compose.internal.interpolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour of {@link Template}. The cases grouped under "compose-go" restate, case for case, what
 * compose-go's template_test.go checks, so a change that breaks Compose compatibility fails here.
 */
class TemplateTest {

  /** The variables compose-go's template tests run against. */
  private static final Map<String, String> ENV =
      Map.of("FOO", "first", "BAR", "", "JSON", "{\"json\":2}");

  /** A lookup over fixed variables that records which unset ones were reported. */
  private static final class Env {
    final Map<String, String> vars;
    final List<String> unset = new ArrayList<>();

    Env(Map<String, String> vars) {
      this.vars = vars;
    }

    String substitute(String template) {
      return Template.substitute(template, name -> Optional.ofNullable(vars.get(name)), unset::add);
    }
  }

  private static String substitute(String template) {
    return new Env(ENV).substitute(template);
  }

  // ---- compose-go: plain text, escapes and lone dollars ----

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource
  void composeGo_textAndEscapes(String template, String expected) {
    assertThat(substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> composeGo_textAndEscapes() {
    return Stream.of(
        // TestEscaped
        arguments("$${foo}", "${foo}"),
        // TestSubstituteNoMatch
        arguments("foo", "foo"),
        // TestUnescaped: a '$' that starts no expression is kept
        arguments("a $ string", "a $ string"),
        arguments("^REGEX$", "^REGEX$"),
        arguments("$}", "$}"),
        arguments("$", "$"),
        // TestNonBraced (docker/compose#8601): a name ends at the first non-name character
        arguments("$FOO-bar", "first-bar"));
  }

  // ---- compose-go: malformed templates ----

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}"})
  void composeGo_invalidTemplates(String template) {
    assertThatThrownBy(() -> substitute(template))
        .isInstanceOf(TemplateException.class)
        .hasMessage("Invalid template: \"" + template + "\"");
  }

  // ---- compose-go: plain and braced references, defaults and alternatives ----

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void composeGo_substitutions(String template, String expected) {
    assertThat(substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> composeGo_substitutions() {
    return Stream.of(
        // TestNoValueNoDefault
        arguments("This ${missing} var", "This  var"),
        arguments("This ${BAR} var", "This  var"),
        // TestValueNoDefault
        arguments("This $FOO var", "This first var"),
        arguments("This ${FOO} var", "This first var"),
        // TestNoValueWithDefault
        arguments("ok ${missing:-def}", "ok def"),
        arguments("ok ${missing-def}", "ok def"),
        // TestEmptyValueWithSoftDefault, TestValueWithSoftDefault, TestEmptyValueWithHardDefault
        arguments("ok ${BAR:-def}", "ok def"),
        arguments("ok ${FOO:-def}", "ok first"),
        arguments("ok ${BAR-def}", "ok "),
        // TestPresentValueWithUnset(2), ...WithNonEmpty, ...AndNonEmptyWithNonEmpty, ...WithSet,
        // ...AndNotEmptyWithSet
        arguments("ok ${UNSET_VAR:+presence_value}", "ok "),
        arguments("ok ${UNSET_VAR+presence_value}", "ok "),
        arguments("ok ${FOO:+presence_value}", "ok presence_value"),
        arguments("ok ${FOO+presence_value}", "ok presence_value"),
        arguments("ok ${BAR+presence_value}", "ok presence_value"),
        arguments("ok ${BAR:+presence_value}", "ok "),
        // TestNonAlphanumericDefault: only the first operator counts
        arguments("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
        // TestDefaultsForMandatoryVariables
        arguments("ok ${FOO:?err}", "ok first"),
        arguments("ok ${FOO?err}", "ok first"),
        arguments("ok ${BAR?err}", "ok "),
        // TestNoValueWithCurlyBracesDefault, TestValueWithCurlyBracesDefault
        arguments("ok ${missing:-{\"json\":1}}", "ok {\"json\":1}"),
        arguments("ok ${missing-{\"json\":1}}", "ok {\"json\":1}"),
        arguments("ok ${JSON:-{\"json\":1}}", "ok {\"json\":2}"),
        arguments("ok ${JSON-{\"json\":1}}", "ok {\"json\":2}"),
        // TestSubstituteWithReplacementFunc, last case: two expressions with operators
        arguments("ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void composeGo_textAroundIsNotAnOperator(String template, String expected) {
    // TestInterpolationExternalInterference: operator characters outside the braces are text.
    assertThat(substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> composeGo_textAroundIsNotAnOperator() {
    return Stream.of(
        arguments("-ok ${BAR:-defaultValue}", "-ok defaultValue"),
        arguments("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
        arguments("-ok ${FOO:-defaultValue}", "-ok first"),
        arguments(":-ok ${UNSET-defaultValue}", ":-ok defaultValue"),
        arguments(":-ok ${BAR-defaultValue}", ":-ok "),
        arguments(":?ok ${BAR-defaultValue}", ":?ok "),
        arguments(":?ok ${BAR:-defaultValue}", ":?ok defaultValue"),
        arguments(":+ok ${BAR:-defaultValue}", ":+ok defaultValue"),
        arguments("+ok ${BAR-defaultValue}", "+ok "),
        arguments("?ok ${BAR:-defaultValue}", "?ok defaultValue"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void composeGo_nestedOperands(String template, String expected) {
    // TestDefaultsWithNestedExpansion
    assertThat(substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> composeGo_nestedOperands() {
    return Stream.of(
        arguments("ok ${UNSET_VAR-$FOO}", "ok first"),
        arguments("ok ${UNSET_VAR-${FOO}}", "ok first"),
        arguments("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
        arguments("ok ${BAR:-$FOO}", "ok first"),
        arguments("ok ${BAR:-${FOO}}", "ok first"),
        arguments("ok ${BAR:-${FOO} ${FOO}}", "ok first first"),
        arguments("ok ${BAR+$FOO}", "ok first"),
        arguments("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"));
  }

  // ---- compose-go: required variables ----

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void composeGo_requiredVariables(String template, String message) {
    assertThatThrownBy(() -> substitute(template))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> composeGo_requiredVariables() {
    String unset = "required variable UNSET_VAR is missing a value";
    return Stream.of(
        // TestMandatoryVariableErrors
        arguments(
            "not ok ${UNSET_VAR:?Mandatory Variable Unset}", unset + ": Mandatory Variable Unset"),
        arguments(
            "not ok ${BAR:?Mandatory Variable Empty}",
            "required variable BAR is missing a value: Mandatory Variable Empty"),
        arguments("not ok ${UNSET_VAR:?}", unset),
        arguments(
            "not ok ${UNSET_VAR?Mandatory Variable Unset}", unset + ": Mandatory Variable Unset"),
        arguments("not ok ${UNSET_VAR?}", unset),
        // TestMandatoryVariableErrorsWithNestedExpansion: the message is interpolated
        arguments(
            "not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}", unset + ": Mandatory Variable first"),
        arguments(
            "not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", unset + ": Mandatory Variable first"),
        // TestPrecedence: the first operator decides; the rest is operand text
        arguments("${UNSET_VAR?bar-baz}", unset + ": bar-baz"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void composeGo_firstOperatorWins(String template, String expected) {
    // TestPrecedence, the cases that succeed
    assertThat(substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> composeGo_firstOperatorWins() {
    return Stream.of(
        arguments("${UNSET_VAR-myerror?msg}", "myerror?msg"),
        arguments("${FOO?bar-baz}", "first"),
        arguments("${BAR:-default_value_for_empty_var}", "default_value_for_empty_var"),
        arguments("${UNSET_VAR-default_value_for_unset_var}", "default_value_for_unset_var"));
  }

  /**
   * TestSubstitutionFunctionChoice checks which operator compose-go picks for an expression body;
   * here each body is checked end to end, with its variable unset, empty and set, against what the
   * chosen operator must do.
   */
  @ParameterizedTest(name = "[{index}] {0} uses {1}")
  @MethodSource
  void composeGo_operatorChoice(String body, String operator) {
    String template = "${" + body + "}";
    String operand = body.substring("VARNAME".length() + operator.length());
    assertThat(body).startsWith("VARNAME" + operator);
    String missing = "required variable VARNAME is missing a value: " + operand;

    Env unset = new Env(Map.of());
    Env empty = new Env(Map.of("VARNAME", ""));
    Env set = new Env(Map.of("VARNAME", "v"));
    switch (operator) {
      case ":?":
        assertThatThrownBy(() -> unset.substitute(template)).hasMessage(missing);
        assertThatThrownBy(() -> empty.substitute(template)).hasMessage(missing);
        assertThat(set.substitute(template)).isEqualTo("v");
        break;
      case "?":
        assertThatThrownBy(() -> unset.substitute(template)).hasMessage(missing);
        assertThat(empty.substitute(template)).isEmpty();
        assertThat(set.substitute(template)).isEqualTo("v");
        break;
      case ":-":
        assertThat(unset.substitute(template)).isEqualTo(operand);
        assertThat(empty.substitute(template)).isEqualTo(operand);
        assertThat(set.substitute(template)).isEqualTo("v");
        break;
      case "-":
        assertThat(unset.substitute(template)).isEqualTo(operand);
        assertThat(empty.substitute(template)).isEmpty();
        assertThat(set.substitute(template)).isEqualTo("v");
        break;
      case ":+":
        assertThat(unset.substitute(template)).isEmpty();
        assertThat(empty.substitute(template)).isEmpty();
        assertThat(set.substitute(template)).isEqualTo(operand);
        break;
      case "+":
        assertThat(unset.substitute(template)).isEmpty();
        assertThat(empty.substitute(template)).isEqualTo(operand);
        assertThat(set.substitute(template)).isEqualTo(operand);
        break;
      default:
        throw new AssertionError(operator);
    }
    // Operators never warn: the variable was looked at, not needed.
    assertThat(unset.unset).isEmpty();
  }

  static Stream<Arguments> composeGo_operatorChoice() {
    return Stream.of(
        arguments("VARNAME:?val?ue", ":?"),
        arguments("VARNAME?val:?ue", "?"),
        arguments("VARNAME?va-lu+e:?e", "?"),
        arguments("VARNAME?va+lu-e:?e", "?"),
        arguments("VARNAME:-value", ":-"),
        arguments("VARNAME-va:-lu:?e", "-"),
        arguments("VARNAME-va+lu?e", "-"),
        arguments("VARNAME-va?lu+e", "-"),
        arguments("VARNAME:+va:?lu:-e", ":+"),
        arguments("VARNAME+va:+lue", "+"),
        arguments("VARNAME+va?lu-e", "+"),
        arguments("VARNAME+va-lu?e", "+"));
  }

  // ---- compose-go: which unset variables are reported ----

  @ParameterizedTest(name = "[{index}] {1} reports {3}")
  @MethodSource
  void composeGo_unsetWarnings(
      Map<String, String> vars, String template, String expected, List<String> warned) {
    Env env = new Env(vars);
    assertThat(env.substitute(template)).isEqualTo(expected);
    assertThat(env.unset).isEqualTo(warned);
  }

  static Stream<Arguments> composeGo_unsetWarnings() {
    return Stream.of(
        // TestLazyDefaultDoesNotWarn: an unused alternative is not even looked at
        arguments(ENV, "${A:+${A},}B", "B", List.of()),
        // TestLazyDefaultWarnsWhenUsed: a used default is interpolated, and warns
        arguments(ENV, "${A:-${B}}", "", List.of("B")),
        // TestLazyRequiredMessageDoesNotWarn: the message is only built when it is needed
        arguments(Map.of("A", "value"), "${A?${B}}", "value", List.of()),
        // TestNoValueNoDefault: set-but-empty is not unset
        arguments(ENV, "This ${missing} var", "This  var", List.of("missing")),
        arguments(ENV, "This ${BAR} var", "This  var", List.of()),
        // One warning per reference, in order
        arguments(ENV, "$X ${Y} $X", "  ", List.of("X", "Y", "X")));
  }

  // ---- compose-go: custom substitution and replacement functions ----
  // compose-go lets callers plug in their own functions; here the same outcomes come from the
  // lookup and onUnset callbacks, which is how jstack expresses such policies.

  @Test
  void composeGo_customFunctionFailingOnMissingVariables() {
    // TestSubstituteWithCustomFunc: an unset variable is an error instead of a warning.
    Function<String, String> strict =
        t ->
            Template.substitute(
                t,
                name -> Optional.ofNullable(ENV.get(name)),
                name -> {
                  throw new TemplateException("required variable " + name + " is missing a value");
                });
    assertThat(strict.apply("ok ${FOO}")).isEqualTo("ok first");
    assertThat(strict.apply("ok ${BAR}")).isEqualTo("ok ");
    assertThatThrownBy(() -> strict.apply("ok ${NOTHERE}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("required variable");
  }

  @ParameterizedTest(name = "[{index}] blank values replaced: {0}")
  @ValueSource(booleans = {true, false})
  void composeGo_replacementFunctions(boolean replaceEmptyToo) {
    // TestSubstituteWithReplacementFunc (replaceEmptyToo) and
    // TestSubstituteWithReplacementAppliedFunc (only unset values are replaced).
    Function<String, String> replacing =
        t ->
            Template.substitute(
                t,
                name -> {
                  if (name.equals("NOTHERE")) {
                    throw new TemplateException("bad choice: \"${NOTHERE}\"");
                  }
                  String value = ENV.get(name);
                  boolean replace = value == null || (replaceEmptyToo && value.isEmpty());
                  return Optional.of(replace ? "foobar" : value);
                },
                name -> {});
    assertThat(replacing.apply("ok ${FOO}")).isEqualTo("ok first");
    assertThat(replacing.apply("ok ${BAR}")).isEqualTo(replaceEmptyToo ? "ok foobar" : "ok ");
    assertThat(replacing.apply("ok ${UNSET}")).isEqualTo("ok foobar");
    assertThatThrownBy(() -> replacing.apply("ok ${NOTHERE}")).hasMessageContaining("bad choice");
  }

  // ---- Names and dollars, beyond compose-go's own cases ----

  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void namesAndDollars(String template, String expected) {
    Env env =
        new Env(Map.of("FOO", "first", "foo", "lower", "_", "u", "FOO1bar", "digits", "a", "A"));
    assertThat(env.substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> namesAndDollars() {
    return Stream.of(
        arguments("$foo ${foo}", "lower lower"),
        arguments("$_ ${_}", "u u"),
        arguments("$FOO1bar", "digits"),
        arguments("$FOO1bar.x", "digits.x"),
        arguments("$a.b", "A.b"), // no dotted names: ".b" is text
        arguments("$1 $- $. $é $\t", "$1 $- $. $é $\t"),
        arguments("price: 5$", "price: 5$"),
        arguments("$$FOO", "$FOO"),
        arguments("$$$FOO", "$first"),
        arguments("$$$$", "$$"),
        arguments("$$$", "$$"),
        arguments("${FOO}}", "first}"),
        arguments("{$FOO}", "{first}"),
        arguments("${FOO}${FOO}$FOO", "firstfirstfirst"),
        arguments("line1 $FOO\nline2 ${FOO:-x}\n", "line1 first\nline2 first\n"),
        arguments("ünï ${FOO} 😀", "ünï first 😀"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void invalidTemplatesNameTheFragment(String template, String message) {
    assertThatThrownBy(() -> new Env(Map.of("FOO", "first")).substitute(template))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> invalidTemplatesNameTheFragment() {
    return Stream.of(
        arguments("${1}", "Invalid template: \"${1}\""),
        arguments("${a.b}", "Invalid template: \"${a.b}\""), // dotted names are not names
        arguments("${FOO:x}", "Invalid template: \"${FOO:x}\""), // unknown operator
        arguments("${FOO:}", "Invalid template: \"${FOO:}\""),
        arguments("${FOO", "Invalid template: \"${FOO\""),
        arguments("${FOO:-x", "Invalid template: \"${FOO:-x\""),
        arguments("ok ${FOO} then ${", "Invalid template: \"ok ${FOO} then ${\""),
        // An operand ends on its own line: a '}' on the next line does not close it.
        arguments("${FOO:-x\n}", "Invalid template: \"${FOO:-x\\n}\""),
        // A malformed expression inside an operand names the operand.
        arguments("a ${UNSET:-${ }} b", "Invalid template: \"${ }\""),
        arguments("${UNSET?${FOO:}}", "Invalid template: \"${FOO:}\""),
        // After an operand, the rest of its stretch is interpolated as a fragment of its own...
        arguments("${FOO:-x}${ }}", "Invalid template: \"${ }}\""),
        // ...up to the last '}' on the line; beyond it the whole template is named again.
        arguments("${FOO:-x}}\n${", "Invalid template: \"${FOO:-x}}\\n${\""),
        // Messages quote as Go does.
        arguments(
            "\"${ \\\t\u0001\u00a0é😀", "Invalid template: \"\\\"${ \\\\\\t\\x01\\u00a0é😀\""));
  }

  /** Consequences of compose-go's brace counting, which skips the character after each '{'. */
  @ParameterizedTest(name = "[{index}] {0} -> \"{1}\"")
  @MethodSource
  void braceCountingAsComposeGo(String template, String expected) {
    assertThat(new Env(Map.of("FOO", "first")).substitute(template)).isEqualTo(expected);
  }

  static Stream<Arguments> braceCountingAsComposeGo() {
    return Stream.of(
        // Balanced: the expression ends at its own brace; later text on the line is text.
        arguments("${UNSET:-a} and ${UNSET:-b}", "a and b"),
        arguments("${UNSET:-}x}", "x}"),
        arguments("${UNSET:-{x}}y", "{x}y"),
        arguments("${UNSET:-{}}", "{}"),
        // "{{" counts once, so the expression closes one brace early and the last '}' is text.
        arguments("${UNSET:-{{x}}}", "{{x}}"),
        arguments("${FOO:-{{x}}}", "first}"),
        // "{}" counts as an opening only, so the count returns to zero late (or never, and then
        // at the last '}' on the line): the operand swallows what follows when the variable is
        // set. Text after the last '}' on the line, and later lines, are not swallowed.
        arguments("${FOO:-{}} and $FOO}", "first"),
        arguments("${FOO:-{}} then\n$FOO", "first then\nfirst"),
        // Unused operands are never interpolated, so nothing in them can fail.
        arguments("${FOO:-${X:?boom}}", "first"),
        arguments("${UNSET:+${ }}", ""),
        arguments("${FOO?${ }}", "first"));
  }

  @Test
  void unbalancedOperandIsInterpolatedAsOneStretch() {
    // With FOO unset, the swallowed stretch "{}} ${FOO" is the default, and it is malformed.
    assertThatThrownBy(() -> new Env(Map.of()).substitute("${FOO:-{}} ${FOO}"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("Invalid template: \"{}} ${FOO\"");
  }

  @Test
  void deeplyNestedOperandsWorkUpToTheLimit() {
    int depth = Template.MAX_NESTING;
    String nested = "${A:-".repeat(depth) + "x" + "}".repeat(depth);
    assertThat(new Env(Map.of()).substitute(nested)).isEqualTo("x");

    String tooDeep = "${A:-".repeat(depth + 1) + "x" + "}".repeat(depth + 1);
    assertThatThrownBy(() -> new Env(Map.of()).substitute(tooDeep))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("more than " + depth + " levels deep");
  }

  @Test
  void lookupFailuresPropagate() {
    var boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                Template.substitute(
                    "$X",
                    name -> {
                      throw boom;
                    },
                    name -> {}))
        .isSameAs(boom);
  }

  @Test
  void stringsWithoutDollarsAreReturnedAsTheyAre() {
    String text = "no variables here {}";
    assertThat(Template.substitute(text, name -> Optional.empty(), name -> {})).isSameAs(text);
  }

  // ---- escape ----

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource
  void escapeDoublesEveryDollar(String literal, String escaped) {
    assertThat(Template.escape(literal)).isEqualTo(escaped);
    assertThat(substituteStrictly(escaped)).isEqualTo(literal);
  }

  static Stream<Arguments> escapeDoublesEveryDollar() {
    return Stream.of(
        arguments("", ""),
        arguments("plain", "plain"),
        arguments("$", "$$"),
        arguments("$$", "$$$$"),
        arguments("${FOO:-x}", "$${FOO:-x}"),
        arguments("a$b${", "a$$b$${"),
        arguments("${ }", "$${ }"));
  }

  @Test
  void escapeRoundTripsArbitraryText() {
    Random random = new Random(42);
    String alphabet = "$${}:-+?_aZ9 \n\t.é";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder literal = new StringBuilder();
      int length = random.nextInt(20);
      for (int j = 0; j < length; j++) {
        literal.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = literal.toString();
      assertThat(substituteStrictly(Template.escape(text)))
          .as("round trip of %s", text)
          .isEqualTo(text);
    }
  }

  /** Substitutes with callbacks that fail the test: for templates that must not read variables. */
  private static String substituteStrictly(String template) {
    return Template.substitute(
        template,
        name -> {
          throw new AssertionError("looked up " + name);
        },
        name -> {
          throw new AssertionError("warned about " + name);
        });
  }

  // ---- Scale ----

  @Test
  void largeTemplatesInterpolateInLinearTime() {
    // One very long line of operators is the worst case for compose-go's "up to the last '}' on
    // the line" rule; it must not turn quadratic here.
    int count = 50_000;
    StringBuilder oneLine = new StringBuilder();
    StringBuilder manyLines = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < count; i++) {
      oneLine.append("${UNSET_").append(i).append(":-d").append(i).append("} ");
      manyLines.append("image: ${IMAGE_").append(i).append("}:${TAG:-latest}\n");
      expected.append('d').append(i).append(' ');
      vars.put("IMAGE_" + i, "img" + i);
    }
    Env env = new Env(vars);
    assertTimeout(
        Duration.ofSeconds(10),
        () -> {
          assertThat(env.substitute(oneLine.toString())).isEqualTo(expected.toString());
          String result = env.substitute(manyLines.toString());
          assertThat(result).startsWith("image: img0:latest\nimage: img1:latest\n");
          assertThat(result).endsWith("image: img" + (count - 1) + ":latest\n");
        });
  }
}
