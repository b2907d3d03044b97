package io.jstack.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What tests ask of the host's processes through {@code /proc}. */
public final class HostProcesses {
  private HostProcesses() {}

  /**
   * Whether process {@code pid} runs: it exists and is not a zombie (the host's init here reaps
   * orphans slowly, so an ended container's process may stay a zombie for a while).
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

  /**
   * The cgroup directory of container {@code id} below jstack's parent that lists its processes:
   * cgroup v1's {@code pids} hierarchy, else the unified one; null when it has none.
   */
  public static @Nullable Path containerCgroup(String id) {
    for (Path p :
        List.of(
            Path.of("/sys/fs/cgroup/pids/jstack", id),
            Path.of("/sys/fs/cgroup/jstack", id),
            Path.of("/sys/fs/cgroup/unified/jstack", id))) {
      if (Files.isRegularFile(p.resolve("cgroup.procs"))) {
        return p;
      }
    }
    return null;
  }

  /** Whether the process of a conmon for container {@code id} runs. */
  public static boolean conmonOf(String id) {
    return ProcessHandle.allProcesses()
        .anyMatch(
            p ->
                p.info()
                        .commandLine()
                        .map(c -> c.contains("conmon") && (c + " ").contains("--cid " + id + " "))
                        .orElse(false)
                    && runs(p.pid()));
  }
}
