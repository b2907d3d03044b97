package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Limits of the host that a container's must stay within. */
final class HostLimits {
  private HostLimits() {}

  /** The hard {@code RLIMIT_NOFILE} of this process (what runc may grant), from /proc. */
  static long hardNofile() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[1].equals("unlimited") ? 1_048_576L : Long.parseLong(f[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Fall through to a value every Linux allows.
    }
    return 4096;
  }
}
