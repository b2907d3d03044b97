package io.jstack.runtime.build.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's number formats that Dockerfile flags use: durations and binary sizes. */
final class Units {
  private static final Pattern SIZE =
      Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)([a-zµμ]*)");
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private Units() {}

  /** A size such as {@code 64m} or {@code 1.5GiB} in bytes (go-units RAMInBytes), or -1. */
  static long ramInBytes(String s) {
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      return -1;
    }
    BigDecimal n;
    try {
      n = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = m.group(3) == null ? "" : m.group(3).toLowerCase(java.util.Locale.ROOT);
    int shift = "kmgtp".indexOf(unit.isEmpty() ? 'x' : unit.charAt(0)) + 1;
    return n.multiply(BigDecimal.valueOf(1L << (10 * shift))).longValue();
  }

  /**
   * A Go duration such as {@code 30s}, {@code 1m30s} or {@code 1.5h} (time.ParseDuration).
   *
   * @throws LexException when it is not one
   */
  static Duration goDuration(String s) {
    String rest = s;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.startsWith("-");
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw new LexException("time: invalid duration \"" + s + "\"");
    }
    BigDecimal total = BigDecimal.ZERO;
    Matcher m = DURATION_PART.matcher(rest);
    int at = 0;
    while (at < rest.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw new LexException("time: invalid duration \"" + s + "\"");
      }
      if (m.group(2).isEmpty()) {
        throw new LexException("time: missing unit in duration \"" + s + "\"");
      }
      Long unit = NANOS.get(m.group(2));
      if (unit == null) {
        throw new LexException(
            "time: unknown unit \"" + m.group(2) + "\" in duration \"" + s + "\"");
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    long nanos = total.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }
}
