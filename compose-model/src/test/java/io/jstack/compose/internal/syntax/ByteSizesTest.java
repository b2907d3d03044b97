package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cases from docker/go-units v0.5.0 {@code size_test.go} (TestRAMInBytes) and compose-go {@code
 * types/bytes_test.go}.
 */
class ByteSizesTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // go-units TestRAMInBytes
        "32|32",
        "32b|32",
        "32B|32",
        "32k|32768",
        "32K|32768",
        "32kb|32768",
        "32Kb|32768",
        "32Kib|32768",
        "32KIB|32768",
        "32Mb|33554432",
        "32Gb|34359738368",
        "32Tb|35184372088832",
        "32Pb|36028797018963968",
        "32PB|36028797018963968",
        "32P|36028797018963968",
        "32.3|32",
        "32.3 mb|33869004",
        "0.3MB|314572",
        // compose-go bytes_test.go: plain integers first, negative ones included
        "655360|655360",
        "-1|-1",
        "1g|1073741824",
        "512m|536870912",
        "0|0",
        // the forms Compose files use
        "1gb|1073741824",
        "1.5GB|1610612736",
        "100k|102400",
        "1024b|1024",
        "64M|67108864",
        "2gb|2147483648",
        "640kb|655360",
        "20G|21474836480",
        // the corners of Go's number syntax
        "-32|-32",
        "+5|5",
        "007|7",
        "1 k|1024",
        "5.|5",
        ".5k|512",
        "1e3|1000",
        "1E3k|1024000",
        "0x1p4k|16384",
        "0x_1p4k|16384",
        // strconv.ParseFloat takes underscores between digits (strconv.ParseInt does not)
        "1_000|1000",
        "1_024k|1048576",
        "1e1_0|10000000000",
        "1.5b|1",
        "9223372036854775807|9223372036854775807",
        "-9223372036854775808|-9223372036854775808",
        "8191p|9222246136947933184",
      })
  void parse_readsAsComposeGo(String text, long expected) {
    assertThat(ByteSizes.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // go-units TestRAMInBytes errors ("-32" is a valid plain integer for compose-go)
        "''|invalid size \"\": expected a number of bytes with an optional unit, as in \"512m\"",
        "hello|invalid size \"hello\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "' 32 '|invalid size \" 32 \": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "32m b|invalid size \"32m b\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "32bm|invalid size \"32bm\": unknown unit \"bm\" (use b, k, m, g, t or p, optionally"
            + " followed by b or ib)",
        // compose-go bytes_test.go
        "invalid|invalid size \"invalid\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        // more
        "-32k|invalid size \"-32k\": a size with a unit must not be negative",
        "-1.5|invalid size \"-1.5\": a size with a unit must not be negative",
        "1gi|invalid size \"1gi\": unknown unit \"gi\" (use b, k, m, g, t or p, optionally followed"
            + " by b or ib)",
        "1kbb|invalid size \"1kbb\": unknown unit \"kbb\" (use b, k, m, g, t or p, optionally"
            + " followed by b or ib)",
        "1kibi|invalid size \"1kibi\": unknown unit \"kibi\" (use b, k, m, g, t or p, optionally"
            + " followed by b or ib)",
        "1x|invalid size \"1x\": unknown unit \"x\" (use b, k, m, g, t or p, optionally followed by"
            + " b or ib)",
        "1e|invalid size \"1e\": unknown unit \"e\" (use b, k, m, g, t or p, optionally followed by"
            + " b or ib)",
        "k|invalid size \"k\": expected a number of bytes with an optional unit, as in \"512m\"",
        ".|invalid size \".\": expected a number of bytes with an optional unit, as in \"512m\"",
        "1.2.3k|invalid size \"1.2.3k\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "0x10|invalid size \"0x10\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "1__0|invalid size \"1__0\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "_1k|invalid size \"_1k\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "1_.5k|invalid size \"1_.5k\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "0_x1p4|invalid size \"0_x1p4\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "1_000_|invalid size \"1_000_\": unknown unit \"_\" (use b, k, m, g, t or p, optionally"
            + " followed by b or ib)",
        "inf k|invalid size \"inf k\": expected a number of bytes with an optional unit, as in"
            + " \"512m\"",
        "99999999999999999999|invalid size \"99999999999999999999\": too large",
        "8192p|invalid size \"8192p\": too large",
        "1e400|invalid size \"1e400\": too large",
      })
  void parse_rejectsWithAMessage(String text, String message) {
    assertThatThrownBy(() -> ByteSizes.parse(text))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"0, 0", "655360, 655360", "1073741824, 1073741824", "-1, -1"})
  void format_printsTheDecimalBytes(long bytes, String expected) {
    assertThat(ByteSizes.format(bytes)).isEqualTo(expected);
  }
}
