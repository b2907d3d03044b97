package io.jstack.runtime.build.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code created_by} texts of history entries as BuildKit writes them, which print Go values
 * with {@code fmt}'s {@code %v} and {@code %q} ({@code frontend/dockerfile/dockerfile2llb/
 * convert.go}): {@code ["a" "b"]} for a command, {@code [a b]} for a plain list, {@code
 * map[80/tcp:{}]} for ports.
 */
public final class HistoryText {
  private HistoryText() {}

  /** Go's {@code %q} of a string slice. */
  static String quoted(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (String v : values) {
      b.append(b.length() == 1 ? "" : " ")
          .append('"')
          .append(v.replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return b.append(']').toString();
  }

  /** Go's {@code %v} of a string slice. */
  static String plain(List<String> values) {
    return "[" + String.join(" ", values) + "]";
  }

  /** Go's {@code %v} of a set of ports, {@code map[53/udp:{} 80/tcp:{}]}. */
  static String ports(List<String> ports) {
    StringBuilder b = new StringBuilder("map[");
    for (String p : new TreeSet<>(ports)) {
      b.append(b.length() == 4 ? "" : " ").append(p).append(":{}");
    }
    return b.append(']').toString();
  }

  /** BuildKit's RUN text: the build arguments it sees ({@code |1 A=b}), the command, a mark. */
  public static String run(Map<String, String> buildArgs, List<String> argv) {
    StringBuilder b = new StringBuilder("RUN ");
    if (!buildArgs.isEmpty()) {
      b.append('|').append(buildArgs.size()).append(' ');
      buildArgs.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
    }
    return b.append(String.join(" ", argv)).append(" # buildkit").toString();
  }

  /** Go's {@code %v} of a {@code *HealthConfig} of dockerd 20.10's BuildKit. */
  static String healthcheck(
      List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    String r =
        retries >= 32 && retries < 127
            ? "'" + (char) retries + "'"
            : String.format("'\\x%02x'", retries & 0xff);
    return String.format(
        "HEALTHCHECK &{%s \"%s\" \"%s\" \"%s\" %s}",
        quoted(test), duration(interval), duration(timeout), duration(startPeriod), r);
  }

  /** Go's {@code time.Duration} text: {@code 0s}, {@code 500ms}, {@code 1m30s}, {@code 1h0m0s}. */
  static String duration(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000_000_000L) {
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      return nanos % 1000 == 0 ? nanos / 1000 + "µs" : nanos + "ns";
    }
    String s =
        BigDecimal.valueOf(d.toSecondsPart())
                .add(BigDecimal.valueOf(d.toNanosPart(), 9))
                .stripTrailingZeros()
                .toPlainString()
            + "s";
    if (d.toHours() > 0) {
      return d.toHours() + "h" + d.toMinutesPart() + "m" + s;
    }
    return d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" + s : s;
  }
}
