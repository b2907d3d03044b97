package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's cgroup (the runtime puts it at {@code jstack/<id>}), read alike on either
 * hierarchy: cgroup v1, one hierarchy per controller ({@code cpuacct}, {@code memory}, {@code
 * pids}, ...), and the unified v2 hierarchy, mounted at the cgroup root on a unified host and at
 * {@code unified/} on a hybrid one. A hybrid host's unified hierarchy may have no controllers: it
 * then offers the processes and the CPU time only, and the other readings are 0.
 */
public final class ContainerCgroup {
  /** Which hierarchy a reading comes from. */
  public enum Version {
    V1,
    V2
  }

  /**
   * What the container uses.
   *
   * @param cpuNanos CPU time of all its processes
   * @param perCpuNanos the same per host CPU (v1 only: v2 keeps no such count)
   * @param userNanos of that, in user mode
   * @param kernelNanos of that, in kernel mode
   * @param memoryUsage bytes in use
   * @param memoryMaxUsage the most ever in use (0 where the kernel keeps no peak)
   * @param memoryLimit 0 when unlimited
   * @param memoryStat the hierarchy's own {@code memory.stat}, as it names its entries
   * @param pids processes now
   * @param pidsLimit 0 when unlimited
   */
  public record Readings(
      long cpuNanos,
      List<Long> perCpuNanos,
      long userNanos,
      long kernelNanos,
      long memoryUsage,
      long memoryMaxUsage,
      long memoryLimit,
      Map<String, Long> memoryStat,
      long pids,
      long pidsLimit) {}

  /** cgroup v1 counts CPU time in user and system mode in USER_HZ ticks. */
  private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

  private final Version version;

  /** v1: the hierarchies' root ({@code /sys/fs/cgroup}); v2: the container's own directory. */
  private final Path root;

  private final String id;

  private ContainerCgroup(Version version, Path root, String id) {
    this.version = version;
    this.root = root;
    this.id = id;
  }

  /** Container {@code id}'s cgroup on this host (below {@code /sys/fs/cgroup}); see below. */
  public static ContainerCgroup of(String id) throws IOException {
    return of(Path.of("/sys/fs/cgroup"), id);
  }

  /**
   * Container {@code id}'s cgroup below {@code cgroupRoot} (normally {@code /sys/fs/cgroup}): the
   * v1 one where its {@code cpuacct} hierarchy has it, else the unified one.
   *
   * @throws IOException when neither hierarchy has it
   */
  public static ContainerCgroup of(Path cgroupRoot, String id) throws IOException {
    if (Files.isDirectory(cgroupRoot.resolve("cpuacct").resolve("jstack").resolve(id))) {
      return new ContainerCgroup(Version.V1, cgroupRoot, id);
    }
    for (Path unified : List.of(cgroupRoot, cgroupRoot.resolve("unified"))) {
      Path own = unified.resolve("jstack").resolve(id);
      if (Files.exists(unified.resolve("cgroup.controllers")) && Files.isDirectory(own)) {
        return new ContainerCgroup(Version.V2, own, id);
      }
    }
    throw new IOException("no cgroup for container " + id + " below " + cgroupRoot);
  }

  /** Container {@code id}'s cgroup in the unified hierarchy mounted at {@code unified}. */
  public static ContainerCgroup unified(Path unified, String id) throws IOException {
    Path own = unified.resolve("jstack").resolve(id);
    if (!Files.isDirectory(own)) {
      throw new IOException("no cgroup for container " + id + " below " + unified);
    }
    return new ContainerCgroup(Version.V2, own, id);
  }

  public Version version() {
    return version;
  }

  /** The host pids of its processes, in order. */
  public List<Long> processes() throws IOException {
    Path procs =
        version == Version.V2 ? root.resolve("cgroup.procs") : v1("pids").resolve("cgroup.procs");
    if (version == Version.V1 && !Files.isReadable(procs)) {
      procs = v1("cpuacct").resolve("cgroup.procs");
    }
    List<Long> pids = new ArrayList<>();
    for (String l : Files.readAllLines(procs)) {
      if (!l.isBlank()) {
        pids.add(Long.parseLong(l.strip()));
      }
    }
    pids.sort(null);
    return List.copyOf(pids);
  }

  /** What it uses now. */
  public Readings read() throws IOException {
    return version == Version.V1 ? readV1() : readV2();
  }

  private Path v1(String controller) {
    return root.resolve(controller).resolve("jstack").resolve(id);
  }

  private Readings readV1() throws IOException {
    Path cpu = v1("cpuacct");
    Path memory = v1("memory");
    Path pids = v1("pids");
    Map<String, Long> cpuStat = keyed(cpu.resolve("cpuacct.stat"));
    List<Long> perCpu = new ArrayList<>();
    for (String n : Files.readString(cpu.resolve("cpuacct.usage_percpu")).strip().split("\\s+")) {
      if (!n.isEmpty()) {
        perCpu.add(Long.parseLong(n));
      }
    }
    long limit = number(memory.resolve("memory.limit_in_bytes"));
    return new Readings(
        number(cpu.resolve("cpuacct.usage")),
        List.copyOf(perCpu),
        cpuStat.getOrDefault("user", 0L) * NANOS_PER_TICK,
        cpuStat.getOrDefault("system", 0L) * NANOS_PER_TICK,
        number(memory.resolve("memory.usage_in_bytes")),
        number(memory.resolve("memory.max_usage_in_bytes")),
        // v1 writes "no limit" as the largest page-aligned 64-bit number.
        limit >= Long.MAX_VALUE - 4096 ? 0 : limit,
        keyed(memory.resolve("memory.stat")),
        optional(pids.resolve("pids.current")),
        optional(pids.resolve("pids.max")));
  }

  private Readings readV2() throws IOException {
    Map<String, Long> cpu = keyed(root.resolve("cpu.stat"));
    Path memoryStat = root.resolve("memory.stat");
    return new Readings(
        cpu.getOrDefault("usage_usec", 0L) * 1000,
        List.of(),
        cpu.getOrDefault("user_usec", 0L) * 1000,
        cpu.getOrDefault("system_usec", 0L) * 1000,
        optional(root.resolve("memory.current")),
        optional(root.resolve("memory.peak")),
        optional(root.resolve("memory.max")),
        Files.exists(memoryStat) ? keyed(memoryStat) : Map.of(),
        optional(root.resolve("pids.current")),
        optional(root.resolve("pids.max")));
  }

  private static long number(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  /** A number file's value; 0 when the controller is not there or the value is {@code max}. */
  private static long optional(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    String value = Files.readString(file).strip();
    return value.equals("max") ? 0 : Long.parseLong(value);
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
}
