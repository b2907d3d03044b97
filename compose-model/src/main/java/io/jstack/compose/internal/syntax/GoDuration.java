package io.jstack.compose.internal.syntax;

import java.time.Duration;
import java.util.Map;

/**
 * Durations as Docker Compose reads and prints them ({@code healthcheck.interval}, {@code
 * stop_grace_period}, {@code deploy.restart_policy.delay}, ...).
 *
 * <p>Reading follows compose-go's {@code types.Duration}, which parses with
 * github.com/xhit/go-str2duration/v2 {@code ParseDuration} (v2.1.0): Go's {@code
 * time.ParseDuration} plus the units {@code d} (24h) and {@code w} (7d). A duration is an optional
 * sign and one or more decimal numbers, each with an optional fraction and a unit: {@code ns},
 * {@code us} ({@code µs}, {@code μs}), {@code ms}, {@code s}, {@code m}, {@code h}, {@code d},
 * {@code w}, as in {@code "1h30m"} or {@code "-1.5s"}. A bare {@code "0"} is zero; any other number
 * needs a unit. A YAML integer reaches compose-go as its decimal text ({@code fmt.Sprint}), so
 * {@code 10} is an error and {@code 0} is zero; that conversion is the caller's.
 *
 * <p>Printing follows Go's {@code time.Duration.String()}, which {@code docker compose config} uses
 * for both YAML (an unquoted scalar: {@code interval: 1m30s}) and JSON (a string: {@code
 * "interval": "1m30s"}): hours, minutes and seconds with a decimal fraction ({@code "1h0m0s"},
 * {@code "1m30s"}, {@code "1.5s"}), or for less than a second one unit of ms, µs or ns ({@code
 * "500ms"}, {@code "1.5µs"}), and {@code "0s"} for zero.
 */
public final class GoDuration {
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign
          "\u03bcs", 1_000L, // Greek small letter mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L,
          "d", 86_400_000_000_000L,
          "w", 604_800_000_000_000L);

  private GoDuration() {}

  /** Parses a duration as compose-go does. */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw fail(text, "expected a number with a unit, such as \"30s\" or \"1m30s\"");
    }
    long total = 0;
    int p = 0;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (!(c == '.' || isDigit(c))) {
        throw fail(text, "expected a number with a unit, such as \"30s\" or \"1m30s\"");
      }
      // The integer part.
      int start = p;
      long v = 0;
      while (p < s.length() && isDigit(s.charAt(p))) {
        if (v > Long.MAX_VALUE / 10) {
          throw tooLarge(text);
        }
        v = v * 10 + (s.charAt(p) - '0');
        if (v < 0) {
          throw tooLarge(text);
        }
        p++;
      }
      boolean pre = p != start;
      // The fraction: digits past what a long can hold add no precision.
      long f = 0;
      double scale = 1;
      boolean post = false;
      if (p < s.length() && s.charAt(p) == '.') {
        p++;
        int fractionStart = p;
        boolean overflow = false;
        while (p < s.length() && isDigit(s.charAt(p))) {
          if (!overflow) {
            if (f > Long.MAX_VALUE / 10) {
              overflow = true;
            } else {
              long y = f * 10 + (s.charAt(p) - '0');
              if (y < 0) {
                overflow = true;
              } else {
                f = y;
                scale *= 10;
              }
            }
          }
          p++;
        }
        post = p != fractionStart;
      }
      if (!pre && !post) {
        throw fail(text, "expected a number with a unit, such as \"30s\" or \"1m30s\"");
      }
      // The unit: everything up to the next number.
      int unitStart = p;
      while (p < s.length() && s.charAt(p) != '.' && !isDigit(s.charAt(p))) {
        p++;
      }
      if (p == unitStart) {
        throw fail(text, "missing unit (use ns, us, ms, s, m, h, d or w, as in \"30s\")");
      }
      String unitName = s.substring(unitStart, p);
      Long unit = UNITS.get(unitName);
      if (unit == null) {
        throw fail(text, "unknown unit \"" + unitName + "\" (use ns, us, ms, s, m, h, d or w)");
      }
      if (v > Long.MAX_VALUE / unit) {
        throw tooLarge(text);
      }
      v *= unit;
      if (f > 0) {
        // As Go does: float64 keeps nanosecond accuracy for fractions of the largest units.
        v += (long) ((double) f * ((double) unit / scale));
        if (v < 0) {
          throw tooLarge(text);
        }
      }
      total += v;
      if (total < 0) {
        throw tooLarge(text);
      }
    }
    return Duration.ofNanos(negative ? -total : total);
  }

  /**
   * Prints a duration exactly as Go's {@code time.Duration.String()} does.
   *
   * @throws IllegalArgumentException when the duration does not fit Go's 64-bit nanoseconds
   */
  public static String format(Duration duration) {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration " + duration + " is too large for Go", e);
    }
    // u is the magnitude, unsigned (Long.MIN_VALUE's magnitude does not fit a signed long).
    long u = nanos < 0 ? -nanos : nanos;
    StringBuilder out = new StringBuilder(32);
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      if (u == 0) {
        return "0s";
      }
      int precision;
      String unit;
      if (u < 1_000L) {
        precision = 0;
        unit = "ns";
      } else if (u < 1_000_000L) {
        precision = 3;
        unit = "\u00b5s";
      } else {
        precision = 6;
        unit = "ms";
      }
      u = fraction(out, u, precision);
      out.insert(0, Long.toUnsignedString(u)).append(unit);
    } else {
      u = fraction(out, u, 9);
      out.append('s');
      out.insert(0, Long.remainderUnsigned(u, 60));
      u = Long.divideUnsigned(u, 60);
      if (u > 0) {
        out.insert(0, 'm').insert(0, u % 60);
        u /= 60;
        if (u > 0) {
          out.insert(0, 'h').insert(0, u);
        }
      }
    }
    if (nanos < 0) {
      out.insert(0, '-');
    }
    return out.toString();
  }

  /**
   * Go's {@code fmtFrac}: writes the last {@code precision} digits of {@code v} as a fraction
   * without trailing zeros (nothing at all when they are all zero) and returns the rest of {@code
   * v}.
   */
  private static long fraction(StringBuilder out, long v, int precision) {
    StringBuilder digits = new StringBuilder();
    boolean print = false;
    for (int i = 0; i < precision; i++) {
      long digit = Long.remainderUnsigned(v, 10);
      print = print || digit != 0;
      if (print) {
        digits.append((char) ('0' + digit));
      }
      v = Long.divideUnsigned(v, 10);
    }
    if (print) {
      out.append('.').append(digits.reverse());
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static SyntaxException fail(String text, String problem) {
    return new SyntaxException("invalid duration \"" + text + "\": " + problem);
  }

  private static SyntaxException tooLarge(String text) {
    return fail(text, "out of range (at most 2562047h47m16.854775807s)");
  }
}
