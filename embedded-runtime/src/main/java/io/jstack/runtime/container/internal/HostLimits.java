package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Limits of the host that a container's must stay within. */
public final class HostLimits {
  private HostLimits() {}

  /** The hard {@code RLIMIT_NOFILE} of this process (what runc may grant), from /proc. */
  static long hardNofile() {
    return nofile(1);
  }

  /**
   * The soft {@code RLIMIT_NOFILE} of this process (how many files it may open now), from /proc.
   */
  public static long softNofile() {
    return nofile(0);
  }

  /** Column {@code column} (0 soft, 1 hard) of the open-file limit in /proc/self/limits. */
  private static long nofile(int column) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[column].equals("unlimited") ? 1_048_576L : Long.parseLong(f[column]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Fall through to a value every Linux allows.
    }
    return 4096;
  }
}
