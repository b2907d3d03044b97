package io.jstack.compose.internal.syntax;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Byte sizes as Docker Compose reads and prints them ({@code mem_limit}, {@code shm_size}, {@code
 * deploy.resources.limits.memory}, {@code tmpfs.size}, ...): compose-go's {@code types.UnitBytes}.
 *
 * <p>Reading ({@code UnitBytes.parseString}): a plain decimal integer is a number of bytes and may
 * be negative ({@code "-1"}, which some fields use for "unlimited"). Anything else goes through
 * docker/go-units {@code RAMInBytes} (v0.5.0): a non-negative number in Go's float syntax ({@code
 * strconv.ParseFloat}: a fraction, an exponent, underscores between digits and hexadecimal floats
 * are all allowed), then optionally one space, then an optional unit, case-insensitive: {@code b},
 * or {@code k}, {@code m}, {@code g}, {@code t}, {@code p} each optionally followed by {@code b} or
 * {@code ib}. Units are binary ({@code 1k} = 1024, {@code 1gb} = 1 GiB); a fractional result is
 * truncated ({@code "1.5k"} = 1536, {@code "32.3"} = 32). A YAML integer is taken as is by
 * compose-go; that is the caller's.
 *
 * <p>Two deliberate differences, both where Go produces garbage: a result of 2^63 bytes or more,
 * and {@code inf} or {@code nan} as the number (which Go's float syntax admits), are rejected here
 * where Go converts them to {@code -9223372036854775808}.
 *
 * <p>Printing: {@code docker compose config} prints a UnitBytes as its number of bytes in decimal,
 * as a <em>string</em> ({@code MarshalYAML} returns {@code fmt.Sprintf("%d", u)} and {@code
 * MarshalJSON} writes {@code "\"%d\""}). The YAML encoder therefore quotes it, {@code shm_size:
 * "67108864"}, and JSON has {@code "shm_size": "67108864"} (compose-go {@code types/bytes.go};
 * compose-go's former full-example test expects {@code memory: "52428800"} and {@code size:
 * "10000"}). {@link #format} gives that text; the YAML writer must emit it as a quoted string.
 */
public final class ByteSizes {
  private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");

  /** strconv.ParseFloat's decimal syntax, underscores allowed among the digits. */
  private static final Pattern GO_DECIMAL =
      Pattern.compile("[+-]?(?:[0-9_]+\\.?[0-9_]*|\\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?");

  /** strconv.ParseFloat's hexadecimal syntax, whose exponent is required. */
  private static final Pattern GO_HEX =
      Pattern.compile(
          "[+-]?0[xX](?:[0-9a-fA-F_]+\\.?[0-9a-fA-F_]*|\\.[0-9a-fA-F_]+)[pP][+-]?[0-9][0-9_]*");

  private static final String UNITS = "use b, k, m, g, t or p, optionally followed by b or ib";

  private ByteSizes() {}

  /** Parses a size into bytes as compose-go does. */
  public static long parse(String text) {
    if (GO_INT.matcher(text).matches()) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooLong) {
        // Go falls through to RAMInBytes, which reads it as a float; see below.
      }
    }
    int sep = lastNumberChar(text);
    if (sep < 0) {
      throw fail(text, "expected a number of bytes with an optional unit, as in \"512m\"");
    }
    String number;
    String suffix;
    if (text.charAt(sep) != ' ') {
      number = text.substring(0, sep + 1);
    } else {
      number = text.substring(0, sep);
    }
    suffix = text.substring(sep + 1);
    if (!isGoFloat(number)) {
      throw fail(text, "expected a number of bytes with an optional unit, as in \"512m\"");
    }
    double size = Double.parseDouble(number.replace("_", ""));
    if (size < 0) {
      throw fail(text, "a size with a unit must not be negative");
    }
    long multiplier = multiplier(text, suffix);
    double bytes = size * multiplier;
    if (bytes >= 0x1p63) {
      throw fail(text, "too large");
    }
    return (long) bytes;
  }

  /** The text {@code docker compose config} prints for a size: its bytes in decimal. */
  public static String format(long bytes) {
    return Long.toString(bytes);
  }

  /**
   * Whether strconv.ParseFloat accepts {@code s} as a number: Go's float literal syntax, decimal or
   * hexadecimal, with underscores only between digits. "inf" and "nan", which Go also accepts, are
   * refused here: RAMInBytes turns them into garbage.
   */
  private static boolean isGoFloat(String s) {
    String mantissa;
    if (GO_DECIMAL.matcher(s).matches()) {
      mantissa = s.split("[eE]", 2)[0];
    } else if (GO_HEX.matcher(s).matches()) {
      String lower = s.toLowerCase(Locale.ROOT);
      mantissa = lower.substring(lower.indexOf('x') + 1, lower.indexOf('p'));
    } else {
      return false;
    }
    // The regular expressions admit only ASCII, so any hex digit found is an ASCII one.
    return mantissa.chars().anyMatch(c -> Character.digit(c, 16) >= 0) && underscoresOk(s);
  }

  /** strconv's underscoreOK: every underscore stands between digits (or a base prefix and one). */
  private static boolean underscoresOk(String number) {
    String s = number;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      s = s.substring(1);
    }
    char saw = '^';
    int i = 0;
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
      i = 2;
      saw = '0';
      hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9' || hex && Character.digit(c, 16) >= 0) {
        saw = '0';
      } else if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
      } else if (saw == '_') {
        return false;
      } else {
        saw = '!';
      }
    }
    return saw != '_';
  }

  private static int lastNumberChar(String text) {
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9' || c == '.' || c == ' ') {
        return i;
      }
    }
    return -1;
  }

  private static long multiplier(String text, String suffix) {
    if (suffix.isEmpty()) {
      return 1;
    }
    String sfx = suffix.toLowerCase(Locale.ROOT);
    if (suffix.length() > 3) {
      throw badUnit(text, suffix);
    }
    if (sfx.charAt(0) == 'b') {
      if (sfx.length() > 1) {
        throw badUnit(text, suffix);
      }
      return 1;
    }
    long multiplier =
        switch (sfx.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          case 't' -> 1L << 40;
          case 'p' -> 1L << 50;
          default -> throw badUnit(text, suffix);
        };
    if (sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.endsWith("ib")) {
      throw badUnit(text, suffix);
    }
    return multiplier;
  }

  private static SyntaxException badUnit(String text, String suffix) {
    return fail(text, "unknown unit \"" + suffix + "\" (" + UNITS + ")");
  }

  private static SyntaxException fail(String text, String problem) {
    return new SyntaxException("invalid size \"" + text + "\": " + problem);
  }
}
