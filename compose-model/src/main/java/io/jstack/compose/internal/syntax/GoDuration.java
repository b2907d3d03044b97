package io.jstack.compose.internal.syntax;

import java.time.Duration;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class GoDuration {
  private GoDuration() {}

  public static Duration parse(String s) {
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    long total = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (start == i) {
        throw new SyntaxException("invalid duration \"" + s + "\"");
      }
      long n = Long.parseLong(s.substring(start, i));
      int u = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(u, i);
      long mult =
          switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us" -> 1_000L;
            case "ns" -> 1L;
            default -> throw new SyntaxException("invalid duration \"" + s + "\"");
          };
      total += n * mult;
    }
    return Duration.ofNanos(total);
  }

  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0 && d.getNano() == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (s >= 3600) {
      sb.append(s / 3600).append('h');
      s %= 3600;
      sb.append(s / 60).append('m');
      s %= 60;
    } else if (s >= 60) {
      sb.append(s / 60).append('m');
      s %= 60;
    }
    sb.append(s).append('s');
    return sb.toString();
  }
}
