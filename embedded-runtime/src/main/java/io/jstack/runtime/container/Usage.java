package io.jstack.runtime.container;

import io.jstack.runtime.container.internal.ContainerCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a container uses, read from its cgroup at one moment (v1 or v2: {@link ContainerCgroup}):
 * CPU time, memory, processes; and the host's CPU time for comparison.
 *
 * @param cpuNanos CPU time of all its processes
 * @param perCpuNanos the same per host CPU
 * @param userNanos of that, in user mode
 * @param kernelNanos of that, in kernel mode
 * @param systemNanos CPU time of the whole host (all CPUs)
 * @param memoryStat the cgroup's {@code memory.stat}
 * @param pidsLimit 0 when unlimited
 * @param memoryLimit the host's memory when unlimited
 */
public record Usage(
    Instant read,
    long cpuNanos,
    List<Long> perCpuNanos,
    long userNanos,
    long kernelNanos,
    long systemNanos,
    int onlineCpus,
    long memoryUsage,
    long memoryMaxUsage,
    long memoryLimit,
    Map<String, Long> memoryStat,
    long pids,
    long pidsLimit) {

  private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // USER_HZ

  /** Reads the usage of the container whose cgroup is {@code cgroup} now. */
  static Usage of(ContainerCgroup cgroup) throws IOException {
    ContainerCgroup.Readings r = cgroup.read();
    long system = 0;
    int cpus = 0;
    for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
      if (l.startsWith("cpu ")) {
        String[] f = l.strip().split("\\s+");
        // user nice system idle iowait irq softirq steal, as Docker counts it
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
          system += Long.parseLong(f[i]);
        }
      } else if (l.matches("cpu\\d+ .*")) {
        cpus++;
      }
    }
    long hostMemory = hostMemory();
    long limit = r.memoryLimit();
    return new Usage(
        Instant.now(),
        r.cpuNanos(),
        r.perCpuNanos(),
        r.userNanos(),
        r.kernelNanos(),
        system * NANOS_PER_TICK,
        cpus,
        r.memoryUsage(),
        r.memoryMaxUsage(),
        hostMemory > 0 && (limit == 0 || limit > hostMemory) ? hostMemory : limit,
        r.memoryStat(),
        r.pids(),
        r.pidsLimit());
  }

  /** The host's memory in bytes ({@code MemTotal}), 0 when unknown. */
  public static long hostMemory() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException unknown) {
      // Unknown.
    }
    return 0;
  }
}
