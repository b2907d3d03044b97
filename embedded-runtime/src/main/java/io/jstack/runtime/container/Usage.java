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
 * @param networks the counters of each interface of its network namespace but {@code lo}, by name;
 *     none when it shares the host's (as Docker's stats leave them out for host networking)
 * @param blockIo the bytes its processes read from and wrote to each block device
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
    long pidsLimit,
    Map<String, Interface> networks,
    List<BlockIo> blockIo) {

  public Usage {
    perCpuNanos = List.copyOf(perCpuNanos);
    memoryStat = Map.copyOf(memoryStat);
    networks = Map.copyOf(networks);
    blockIo = List.copyOf(blockIo);
  }

  /**
   * One counter of block I/O, as Docker's {@code blkio_stats.io_service_bytes_recursive} has it:
   * the device's numbers, the operation ({@code Read}, {@code Write}, ... on cgroup v1; {@code
   * read} and {@code write} on v2, as Docker names them) and the bytes.
   */
  public record BlockIo(int major, int minor, String op, long value) {}

  /** An interface's counters, as {@code /proc/net/dev} has them. */
  public record Interface(
      long rxBytes,
      long rxPackets,
      long rxErrors,
      long rxDropped,
      long txBytes,
      long txPackets,
      long txErrors,
      long txDropped) {}

  private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // USER_HZ

  /**
   * Reads the usage of the container whose cgroup is {@code cgroup} now, and the interfaces of the
   * network namespace of its process {@code pid} (0: none known).
   */
  static Usage of(ContainerCgroup cgroup, long pid) throws IOException {
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
        r.pidsLimit(),
        pid > 0 ? interfaces(pid) : Map.of(),
        r.blockIo());
  }

  /**
   * The interfaces of process {@code pid}'s network namespace but {@code lo}, from its {@code
   * /proc/PID/net/dev}; none when that namespace is this process's (the host's) or it is gone.
   */
  static Map<String, Interface> interfaces(long pid) {
    try {
      Path ns = Path.of("/proc", Long.toString(pid), "ns", "net");
      if (Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
        return Map.of();
      }
      return parseNetDev(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "dev")));
    } catch (IOException | RuntimeException gone) {
      return Map.of();
    }
  }

  /** {@code /proc/net/dev}'s lines as counters by interface, {@code lo} left out. */
  static Map<String, Interface> parseNetDev(List<String> lines) {
    Map<String, Interface> out = new java.util.TreeMap<>();
    for (String l : lines) {
      int colon = l.indexOf(':');
      if (colon < 0) {
        continue; // The two header lines.
      }
      String name = l.substring(0, colon).strip();
      String[] f = l.substring(colon + 1).strip().split("\\s+");
      if (name.equals("lo") || f.length < 16) {
        continue;
      }
      out.put(
          name,
          new Interface(
              Long.parseLong(f[0]),
              Long.parseLong(f[1]),
              Long.parseLong(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[8]),
              Long.parseLong(f[9]),
              Long.parseLong(f[10]),
              Long.parseLong(f[11])));
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
