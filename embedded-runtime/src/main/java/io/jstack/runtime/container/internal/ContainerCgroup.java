package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's cgroup (the runtime puts it at {@code jstack/<id>}), read and frozen alike on
 * either hierarchy: cgroup v1, one hierarchy per controller ({@code cpuacct}, {@code memory},
 * {@code pids}, ...), and the unified v2 hierarchy, mounted at the cgroup root on a unified host
 * and at {@code unified/} on a hybrid one. A hybrid host's unified hierarchy may have no
 * controllers: it then offers the processes and the CPU time only, and the other readings are 0.
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
      long pidsLimit,
      List<io.jstack.runtime.container.Usage.BlockIo> blockIo) {}

  /** How long {@link #freeze} waits for the kernel. */
  private static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(5);

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

  /** Which hierarchy a container's cgroup is taken from on a host that has both. */
  public enum Preference {
    /** v1's where its {@code cpuacct} hierarchy has the container (as Docker), else the unified. */
    V1_FIRST,
    /** The unified hierarchy's only, also on a hybrid host (there the one at {@code unified/}). */
    UNIFIED
  }

  /**
   * Where containers' cgroups are: the cgroup root (normally {@code /sys/fs/cgroup}) and which
   * hierarchy to take a container's from. Every reading and every freeze finds a container's cgroup
   * here.
   *
   * @param root the cgroup root, with v1's hierarchies and the unified one (at the root on a
   *     unified host, at {@code unified/} on a hybrid one)
   * @param preference which hierarchy to take where both have the container
   */
  public record Hierarchies(Path root, Preference preference) {
    /** This host's: below {@code /sys/fs/cgroup}, v1 first. */
    public static final Hierarchies HOST =
        new Hierarchies(Path.of("/sys/fs/cgroup"), Preference.V1_FIRST);

    /**
     * Container {@code id}'s cgroup.
     *
     * @throws IOException when no hierarchy it may be taken from has it
     */
    public ContainerCgroup of(String id) throws IOException {
      if (preference == Preference.V1_FIRST
          && Files.isDirectory(root.resolve("cpuacct").resolve("jstack").resolve(id))) {
        return new ContainerCgroup(Version.V1, root, id);
      }
      for (Path unified : List.of(root, root.resolve("unified"))) {
        Path own = unified.resolve("jstack").resolve(id);
        if (Files.exists(unified.resolve("cgroup.controllers")) && Files.isDirectory(own)) {
          return new ContainerCgroup(Version.V2, own, id);
        }
      }
      throw new IOException(
          "no "
              + (preference == Preference.UNIFIED ? "unified " : "")
              + "cgroup for container "
              + id
              + " below "
              + root);
    }

    /**
     * The processes of container {@code id} that still run (a zombie does not); none when no
     * hierarchy has its cgroup any more (the runtime's forced delete removes it once it has
     * killed).
     */
    public List<Long> liveProcesses(String id) {
      ContainerCgroup cgroup;
      try {
        cgroup = of(id);
      } catch (IOException gone) {
        return List.of();
      }
      return cgroup.liveProcesses();
    }

    /**
     * Removes container {@code id}'s cgroups, from every hierarchy that has one (each v1
     * controller's, the unified one), as the runtime's delete does once the container has ended; a
     * cgroup the kernel still counts a leaving process in is tried again for up to {@code
     * patience}.
     *
     * @return whether none is left: false when one still holds a process after {@code patience}
     *     (one of a container sharing another's, or the host's, pid namespace, which its end did
     *     not kill; the runtime's forced delete kills those)
     */
    public boolean remove(String id, Duration patience) throws IOException {
      List<Path> own = new ArrayList<>();
      own.add(root.resolve("jstack").resolve(id));
      try (java.util.stream.Stream<Path> hierarchies = Files.list(root)) {
        hierarchies.forEach(h -> own.add(h.resolve("jstack").resolve(id)));
      }
      long deadline = System.nanoTime() + patience.toNanos();
      for (Path cgroup : own) {
        while (Files.isDirectory(cgroup, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.delete(cgroup); // rmdir: the kernel's control files go with it
          } catch (java.nio.file.NoSuchFileException gone) {
            break; // the same hierarchy, reached by another name (cpu -> cpu,cpuacct)
          } catch (java.nio.file.FileSystemException busy) {
            if (System.nanoTime() - deadline > 0) {
              return false;
            }
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("interrupted removing cgroup " + cgroup);
            }
          }
        }
      }
      return true;
    }
  }

  /** The hierarchy it is in. */
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

  /**
   * Its processes that still run (a zombie, which its parent has yet to reap, does not); none when
   * it is gone.
   */
  public List<Long> liveProcesses() {
    try {
      List<Long> live = new ArrayList<>();
      for (long pid : processes()) {
        if (io.jstack.runtime.internal.Processes.runs(pid)) {
          live.add(pid);
        }
      }
      return live;
    } catch (IOException gone) {
      return List.of();
    }
  }

  /**
   * Freezes every process in it ({@code true}) or thaws them, as the runtimes' {@code pause} and
   * {@code resume} do, and returns once the kernel says so: v1's {@code freezer.state} {@code
   * FROZEN} or {@code THAWED}, v2's {@code cgroup.events} {@code frozen 1} or {@code frozen 0}.
   *
   * @throws IOException when the kernel does not say so within 5 seconds (a freeze is then undone)
   */
  public void freeze(boolean frozen) throws IOException {
    freeze(frozen, FREEZE_TIMEOUT);
  }

  /** As {@link #freeze(boolean)}, waiting up to {@code timeout}. */
  void freeze(boolean frozen, Duration timeout) throws IOException {
    Path control = freezeControl();
    long deadline = System.nanoTime() + timeout.toNanos();
    Files.writeString(control, wanted(frozen));
    while (!frozenState().equals(wanted(frozen))) {
      if (System.nanoTime() - deadline > 0) {
        String state = frozenState();
        if (frozen) {
          try {
            Files.writeString(control, wanted(false));
          } catch (IOException ignored) {
            // The timeout is the one to report.
          }
        }
        throw new IOException(
            "cgroup "
                + control.getParent()
                + (frozen ? " did not freeze" : " did not thaw")
                + " within "
                + timeout.toMillis()
                + " ms ("
                + (version == Version.V1 ? "freezer.state " : "cgroup.events frozen ")
                + (state.isEmpty() ? "empty" : state)
                + ")");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted freezing cgroup " + control.getParent());
      }
      if (version == Version.V1) {
        // v1 may stay FREEZING while processes appear; writing the state again retries them.
        Files.writeString(control, wanted(frozen));
      }
    }
  }

  /** Whether it is frozen: v1's freezer says {@code FROZEN}, v2's events {@code frozen 1}. */
  public boolean frozen() throws IOException {
    return frozenState().equals(wanted(true));
  }

  /** v1: its freezer's {@code freezer.state}; v2: its {@code cgroup.freeze}. */
  private Path freezeControl() {
    return version == Version.V1
        ? v1("freezer").resolve("freezer.state")
        : root.resolve("cgroup.freeze");
  }

  /** What {@link #freezeControl} takes and {@link #frozenState} says for {@code frozen}. */
  private String wanted(boolean frozen) {
    if (version == Version.V1) {
      return frozen ? "FROZEN" : "THAWED";
    }
    return frozen ? "1" : "0";
  }

  /** v1: its freezer's state ({@code THAWED}, {@code FREEZING}, {@code FROZEN}); v2: 1 or 0. */
  private String frozenState() throws IOException {
    if (version == Version.V1) {
      return Files.readString(freezeControl()).strip();
    }
    Long frozen = keyed(root.resolve("cgroup.events")).get("frozen");
    return frozen == null ? "" : frozen.toString();
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
        optional(pids.resolve("pids.max")),
        blkioV1(v1("blkio").resolve("blkio.throttle.io_service_bytes_recursive")));
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
        optional(root.resolve("pids.max")),
        ioStat(root.resolve("io.stat")));
  }

  /**
   * The bytes read and written per device, from v1's {@code
   * blkio.throttle.io_service_bytes_recursive} ({@code MAJ:MIN Op N} lines, the throttle policy
   * being the one that counts with no CFQ), as Docker reports them: op {@code Read}, {@code Write}
   * (and the file's others); none when the controller is not mounted.
   */
  static List<io.jstack.runtime.container.Usage.BlockIo> blkioV1(Path file) throws IOException {
    List<io.jstack.runtime.container.Usage.BlockIo> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String l : Files.readAllLines(file)) {
      String[] f = l.strip().split("\\s+");
      if (f.length == 3 && f[0].indexOf(':') > 0) {
        out.add(counter(f[0], f[1], Long.parseLong(f[2])));
      }
    }
    return out;
  }

  /**
   * The bytes read and written per device, from v2's {@code io.stat} ({@code MAJ:MIN rbytes=N
   * wbytes=N ...}), as Docker reports them: op {@code read} and {@code write}; none without it.
   */
  static List<io.jstack.runtime.container.Usage.BlockIo> ioStat(Path file) throws IOException {
    List<io.jstack.runtime.container.Usage.BlockIo> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String l : Files.readAllLines(file)) {
      String[] f = l.strip().split("\\s+");
      if (f[0].indexOf(':') <= 0) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        String[] kv = f[i].split("=", 2);
        if (kv.length == 2 && (kv[0].equals("rbytes") || kv[0].equals("wbytes"))) {
          out.add(counter(f[0], kv[0].equals("rbytes") ? "read" : "write", Long.parseLong(kv[1])));
        }
      }
    }
    return out;
  }

  /** One counter of device {@code MAJ:MIN}. */
  private static io.jstack.runtime.container.Usage.BlockIo counter(
      String device, String op, long value) {
    int colon = device.indexOf(':');
    return new io.jstack.runtime.container.Usage.BlockIo(
        Integer.parseInt(device.substring(0, colon)),
        Integer.parseInt(device.substring(colon + 1)),
        op,
        value);
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
