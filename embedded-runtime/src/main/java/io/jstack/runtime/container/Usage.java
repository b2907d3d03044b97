package io.jstack.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a container uses, read from its cgroups at one moment (cgroup v1, where runc puts it below
 * {@code /jstack/<id>}): CPU time, memory, processes; and the host's CPU time for comparison.
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

  private static final Path CGROUP = Path.of("/sys/fs/cgroup");
  private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // USER_HZ

  /** Reads the usage of container {@code id} now. */
  static Usage of(String id) throws IOException {
    Path cpu = CGROUP.resolve("cpuacct/jstack").resolve(id);
    Path memory = CGROUP.resolve("memory/jstack").resolve(id);
    Path pids = CGROUP.resolve("pids/jstack").resolve(id);
    if (!Files.isDirectory(cpu) || !Files.isDirectory(memory)) {
      throw new IOException("no cgroup v1 accounting for container " + id + " on this host");
    }
    Map<String, Long> cpuStat = keyed(cpu.resolve("cpuacct.stat"));
    List<Long> perCpu = new ArrayList<>();
    for (String n : Files.readString(cpu.resolve("cpuacct.usage_percpu")).strip().split("\\s+")) {
      if (!n.isEmpty()) {
        perCpu.add(Long.parseLong(n));
      }
    }
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
    long limit = number(memory.resolve("memory.limit_in_bytes"));
    long hostMemory = hostMemory();
    long pidsMax = 0;
    if (Files.exists(pids.resolve("pids.max"))) {
      String max = Files.readString(pids.resolve("pids.max")).strip();
      pidsMax = max.equals("max") ? 0 : Long.parseLong(max);
    }
    return new Usage(
        Instant.now(),
        number(cpu.resolve("cpuacct.usage")),
        List.copyOf(perCpu),
        cpuStat.getOrDefault("user", 0L) * NANOS_PER_TICK,
        cpuStat.getOrDefault("system", 0L) * NANOS_PER_TICK,
        system * NANOS_PER_TICK,
        cpus,
        number(memory.resolve("memory.usage_in_bytes")),
        number(memory.resolve("memory.max_usage_in_bytes")),
        hostMemory > 0 && limit > hostMemory ? hostMemory : limit,
        keyed(memory.resolve("memory.stat")),
        Files.exists(pids.resolve("pids.current")) ? number(pids.resolve("pids.current")) : 0,
        pidsMax);
  }

  private static long number(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  private static Map<String, Long> keyed(Path file) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (String l : Files.readAllLines(file)) {
      String[] f = l.strip().split("\\s+");
      if (f.length == 2) {
        out.put(f[0], Long.parseLong(f[1]));
      }
    }
    return out;
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
