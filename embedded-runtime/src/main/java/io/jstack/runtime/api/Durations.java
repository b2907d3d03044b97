package io.jstack.runtime.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code until} values of Docker's prune filters: a Go duration, a time, or epoch seconds. */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * The instant {@code value} names relative to {@code now}: {@code now} minus a Go duration
   * ({@code 24h}, {@code 1h30m}), an RFC 3339 time, or seconds since the epoch.
   *
   * @throws IllegalArgumentException naming the value when it is none of these
   */
  static Instant before(String value, Instant now) {
    return parse(value, now);
  }

  /**
   * The {@code until} filter of a prune (what was created before it goes); null without one.
   *
   * @throws IllegalArgumentException when it is given more than once, as dockerd refuses it, or is
   *     no time
   */
  static @org.jspecify.annotations.Nullable Instant until(
      io.jstack.engine.ListFilters filters, Instant now) {
    java.util.List<String> values = filters.get("until");
    if (values.size() > 1) {
      throw new IllegalArgumentException(
          "more than one until filter specified: give one, e.g. until=24h");
    }
    return values.isEmpty() ? null : parse(values.get(0), now);
  }

  private static Instant parse(String value, Instant now) {
    String v = value.strip();
    if (v.matches("\\d+(\\.\\d+)?")) {
      return Instant.ofEpochSecond(Long.parseLong(v.replaceFirst("\\..*", "")));
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      // Not a time: a duration then.
    }
    Matcher m = PART.matcher(v);
    Duration d = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      long nanos =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      d = d.plusNanos((long) (n * nanos));
      at = m.end();
    }
    if (at == 0 || at != v.length()) {
      throw new IllegalArgumentException(
          "until must be a duration (24h, 1h30m), a time (2006-01-02T15:04:05Z) or epoch seconds,"
              + " not "
              + value);
    }
    return now.minus(d);
  }
}
