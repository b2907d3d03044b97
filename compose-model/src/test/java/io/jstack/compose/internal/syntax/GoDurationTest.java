package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parsing cases from Go's {@code time/time_test.go} (parseDurationTests, parseDurationErrorTests)
 * and github.com/xhit/go-str2duration v2.1.0 {@code str2duration_test.go}; printing cases from Go's
 * {@code time/time_test.go} (durationTests).
 */
class GoDurationTest {
  private static final long NS = 1;
  private static final long US = 1_000;
  private static final long MS = 1_000_000;
  private static final long S = 1_000_000_000;
  private static final long M = 60 * S;
  private static final long H = 60 * M;

  static Stream<Arguments> parsed() {
    return Stream.of(
        // Go parseDurationTests: simple
        arguments("0", 0L),
        arguments("5s", 5 * S),
        arguments("30s", 30 * S),
        arguments("1478s", 1478 * S),
        // sign
        arguments("-5s", -5 * S),
        arguments("+5s", 5 * S),
        arguments("-0", 0L),
        arguments("+0", 0L),
        // decimal
        arguments("5.0s", 5 * S),
        arguments("5.6s", 5 * S + 600 * MS),
        arguments("5.s", 5 * S),
        arguments(".5s", 500 * MS),
        arguments("1.0s", S),
        arguments("1.00s", S),
        arguments("1.004s", S + 4 * MS),
        arguments("1.0040s", S + 4 * MS),
        arguments("100.00100s", 100 * S + MS),
        // different units
        arguments("10ns", 10 * NS),
        arguments("11us", 11 * US),
        arguments("12\u00b5s", 12 * US),
        arguments("12\u03bcs", 12 * US),
        arguments("13ms", 13 * MS),
        arguments("14s", 14 * S),
        arguments("15m", 15 * M),
        arguments("16h", 16 * H),
        // composite durations
        arguments("3h30m", 3 * H + 30 * M),
        arguments("10.5s4m", 4 * M + 10 * S + 500 * MS),
        arguments("-2m3.4s", -(2 * M + 3 * S + 400 * MS)),
        arguments("1h2m3s4ms5us6ns", H + 2 * M + 3 * S + 4 * MS + 5 * US + 6 * NS),
        arguments("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS),
        // large values
        arguments("52763797000ns", 52763797000L),
        arguments("0.3333333333333333333h", 20 * M),
        arguments("9007199254740993ns", (1L << 53) + 1),
        arguments("9223372036854775807ns", Long.MAX_VALUE),
        arguments("9223372036854775.807us", Long.MAX_VALUE),
        arguments("9223372036s854ms775us807ns", Long.MAX_VALUE),
        arguments("0.100000000000000000000h", 6 * M),
        arguments("0.830103483285477580700h", 49 * M + 48 * S + 372539827L),
        // str2duration: what time.Duration.String() prints
        arguments("1h", H),
        arguments("1m", M),
        arguments("1s", S),
        arguments("1ms", MS),
        arguments("1\u00b5s", US),
        arguments("1us", US),
        arguments("1ns", NS),
        arguments("4.000000001s", 4 * S + 1),
        arguments("1h0m4.000000001s", H + 4 * S + 1),
        arguments("1h1m0.01s", 61 * M + 10 * MS),
        arguments("1h1m0.123456789s", 61 * M + 123456789L),
        arguments("1.00002ms", MS + 20),
        arguments("1.00000002s", S + 20),
        arguments("693ns", 693L),
        arguments("10s1us693ns", 10 * S + US + 693),
        // str2duration: other readable forms
        arguments("1ms1ns", MS + 1),
        arguments("1s20ns", S + 20),
        arguments("60h8ms", 60 * H + 8 * MS),
        arguments("96h63s", 96 * H + 63 * S),
        // str2duration: days and weeks
        arguments("1d", 24 * H),
        arguments("2d3s96ns", 48 * H + 3 * S + 96),
        arguments("1w2d3s96ns", 168 * H + 48 * H + 3 * S + 96),
        arguments("1w2d3s3\u00b5s96ns", 168 * H + 48 * H + 3 * S + 3 * US + 96),
        arguments("1.5d", 36 * H),
        // the forms Compose files use
        arguments("1h30m", H + 30 * M),
        arguments("1.5s", 1500 * MS),
        arguments("300ms", 300 * MS),
        arguments("2us", 2 * US),
        arguments("-1s", -S),
        arguments("1m30s", 90 * S));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("parsed")
  void parse_readsAsComposeGo(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        // Go parseDurationErrorTests, invalid
        "",
        "-",
        "s",
        ".",
        "-.",
        ".s",
        "+.s",
        "\u0085\u0085",
        "\uFFFD",
        "\uFFFD hello \uFFFD world",
        "hello",
        "s1",
      })
  void parse_rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(
            "invalid duration \""
                + text
                + "\": expected a number with a unit, such as \"30s\" or \"1m30s\"");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "3|invalid duration \"3\": missing unit (use ns, us, ms, s, m, h, d or w, as in \"30s\")",
        "10|invalid duration \"10\": missing unit (use ns, us, ms, s, m, h, d or w, as in \"30s\")",
        "1.5|invalid duration \"1.5\": missing unit (use ns, us, ms, s, m, h, d or w, as in"
            + " \"30s\")",
        "1h30|invalid duration \"1h30\": missing unit (use ns, us, ms, s, m, h, d or w, as in"
            + " \"30s\")",
        "1.2.3s|invalid duration \"1.2.3s\": missing unit (use ns, us, ms, s, m, h, d or w, as in"
            + " \"30s\")",
        "1x|invalid duration \"1x\": unknown unit \"x\" (use ns, us, ms, s, m, h, d or w)",
        "1S|invalid duration \"1S\": unknown unit \"S\" (use ns, us, ms, s, m, h, d or w)",
        "1 s|invalid duration \"1 s\": unknown unit \" s\" (use ns, us, ms, s, m, h, d or w)",
        "1y|invalid duration \"1y\": unknown unit \"y\" (use ns, us, ms, s, m, h, d or w)",
        // Go parseDurationErrorTests, overflow
        "9223372036854775810ns|invalid duration \"9223372036854775810ns\": out of range (at most"
            + " 2562047h47m16.854775807s)",
        "9223372036854775808ns|invalid duration \"9223372036854775808ns\": out of range (at most"
            + " 2562047h47m16.854775807s)",
        "-9223372036854775809ns|invalid duration \"-9223372036854775809ns\": out of range (at"
            + " most 2562047h47m16.854775807s)",
        "9223372036854776us|invalid duration \"9223372036854776us\": out of range (at most"
            + " 2562047h47m16.854775807s)",
        "3000000h|invalid duration \"3000000h\": out of range (at most"
            + " 2562047h47m16.854775807s)",
        "9223372036854775.808us|invalid duration \"9223372036854775.808us\": out of range (at"
            + " most 2562047h47m16.854775807s)",
        "9223372036854ms775us808ns|invalid duration \"9223372036854ms775us808ns\": out of range"
            + " (at most 2562047h47m16.854775807s)",
        "16000w|invalid duration \"16000w\": out of range (at most 2562047h47m16.854775807s)",
        // Go accepts -2^63 ns; str2duration (which compose-go uses) does not
        "-9223372036854775808ns|invalid duration \"-9223372036854775808ns\": out of range (at"
            + " most 2562047h47m16.854775807s)",
        "-2562047h47m16.854775808s|invalid duration \"-2562047h47m16.854775808s\": out of range"
            + " (at most 2562047h47m16.854775807s)",
      })
  void parse_rejectsWithAMessage(String text, String message) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> printed() {
    return Stream.of(
        // Go durationTests
        arguments(0L, "0s"),
        arguments(1L, "1ns"),
        arguments(1100L, "1.1\u00b5s"),
        arguments(2200 * US, "2.2ms"),
        arguments(3300 * MS, "3.3s"),
        arguments(4 * M + 5 * S, "4m5s"),
        arguments(4 * M + 5001 * MS, "4m5.001s"),
        arguments(5 * H + 6 * M + 7001 * MS, "5h6m7.001s"),
        arguments(8 * M + 1, "8m0.000000001s"),
        arguments(Long.MAX_VALUE, "2562047h47m16.854775807s"),
        arguments(Long.MIN_VALUE, "-2562047h47m16.854775808s"),
        // ... and their negatives
        arguments(-1L, "-1ns"),
        arguments(-1100L, "-1.1\u00b5s"),
        arguments(-2200 * US, "-2.2ms"),
        arguments(-3300 * MS, "-3.3s"),
        arguments(-(4 * M + 5 * S), "-4m5s"),
        arguments(-(4 * M + 5001 * MS), "-4m5.001s"),
        arguments(-(5 * H + 6 * M + 7001 * MS), "-5h6m7.001s"),
        arguments(-(8 * M + 1), "-8m0.000000001s"),
        arguments(-Long.MAX_VALUE, "-2562047h47m16.854775807s"),
        // what docker compose config prints
        arguments(90 * S, "1m30s"),
        arguments(H, "1h0m0s"),
        arguments(500 * MS, "500ms"),
        arguments(1500 * MS, "1.5s"),
        arguments(10 * S, "10s"),
        arguments(S, "1s"),
        arguments(999 * NS, "999ns"),
        arguments(US, "1\u00b5s"),
        arguments(1500L, "1.5\u00b5s"),
        arguments(MS, "1ms"),
        arguments(1234567L, "1.234567ms"),
        arguments(24 * H, "24h0m0s"),
        arguments(168 * H, "168h0m0s"),
        arguments(H + S, "1h0m1s"),
        arguments(61 * M + 123456789L, "1h1m0.123456789s"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("printed")
  void format_printsAsGo(long nanos, String expected) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("printed")
  void format_readsBack(long nanos, String text) {
    if (nanos != Long.MIN_VALUE) {
      assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }
  }

  @Test
  void format_rejectsWhatGoCannotHold() {
    assertThatThrownBy(() -> GoDuration.format(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
