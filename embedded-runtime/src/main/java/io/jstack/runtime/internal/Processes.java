package io.jstack.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host processes as {@code /proc} shows them. */
public final class Processes {
  private Processes() {}

  /**
   * Whether process {@code pid} runs: it exists and is not a zombie (ended, its parent yet to reap
   * it; the host's init here reaps slowly).
   */
  public static boolean runs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
    } catch (IOException gone) {
      return false;
    }
  }
}
