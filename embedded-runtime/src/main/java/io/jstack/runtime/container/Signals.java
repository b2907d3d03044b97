package io.jstack.runtime.container;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Signal names as Compose files and the Docker API give them, and their Linux numbers. */
public final class Signals {
  private Signals() {}

  private static final Map<String, Integer> NUMBERS =
      Map.ofEntries(
          Map.entry("HUP", 1),
          Map.entry("INT", 2),
          Map.entry("QUIT", 3),
          Map.entry("ILL", 4),
          Map.entry("TRAP", 5),
          Map.entry("ABRT", 6),
          Map.entry("BUS", 7),
          Map.entry("FPE", 8),
          Map.entry("KILL", 9),
          Map.entry("USR1", 10),
          Map.entry("SEGV", 11),
          Map.entry("USR2", 12),
          Map.entry("PIPE", 13),
          Map.entry("ALRM", 14),
          Map.entry("TERM", 15),
          Map.entry("STKFLT", 16),
          Map.entry("CHLD", 17),
          Map.entry("CONT", 18),
          Map.entry("STOP", 19),
          Map.entry("TSTP", 20),
          Map.entry("TTIN", 21),
          Map.entry("TTOU", 22),
          Map.entry("URG", 23),
          Map.entry("XCPU", 24),
          Map.entry("XFSZ", 25),
          Map.entry("VTALRM", 26),
          Map.entry("PROF", 27),
          Map.entry("WINCH", 28),
          Map.entry("IO", 29),
          Map.entry("PWR", 30),
          Map.entry("SYS", 31));

  /**
   * Whether {@code signal} names a signal as dockerd accepts it for a stop signal: a name with or
   * without {@code SIG} ({@code SIGINT}, {@code INT}), a number from 1 to 64, or a real-time one
   * ({@code SIGRTMIN+3}, {@code RTMAX-1}).
   */
  public static boolean known(String signal) {
    return number(signal) != null
        || signal
            .toUpperCase(Locale.ROOT)
            .matches("(SIG)?(RTMIN(\\+([1-9]|1[0-5]))?|RTMAX(-([1-9]|1[0-5]))?)");
  }

  /** {@code TERM}, {@code SIGTERM} or {@code 15} → 15; null for what it does not know. */
  public static @Nullable Integer number(@Nullable String signal) {
    if (signal == null) {
      return null;
    }
    String s = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
    if (s.matches("\\d{1,2}")) {
      int n = Integer.parseInt(s);
      return n >= 1 && n <= 64 ? n : null;
    }
    return NUMBERS.get(s);
  }
}
