package io.jstack.runtime.container.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.container.ContainerConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OCI runtime spec ({@code config.json}) of a container, with Docker's defaults: its 14
 * capabilities (none inheritable), masked and read-only kernel paths, the default devices, a {@code
 * /dev/shm} of 64 MiB, a seccomp filter that refuses the syscalls Docker's profile singles out, and
 * cgroup limits through the cgroupfs driver.
 *
 * <p>See https://github.com/opencontainers/runtime-spec/blob/main/config.md and Docker's
 * oci/defaults.go for the values this follows.
 */
public final class OciSpec {
  private OciSpec() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /** Docker's default capability set ({@code CapEff 00000000a80425fb}). */
  public static final List<String> DEFAULT_CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** Every capability the kernel knows up to 6.x, for {@code privileged} and {@code ALL}. */
  static final List<String> ALL_CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  static final List<String> MASKED =
      List.of(
          "/proc/asound",
          "/proc/acpi",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          "/sys/devices/virtual/powercap");

  static final List<String> READ_ONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /**
   * Syscalls Docker's default seccomp profile refuses that the default capabilities would not
   * already stop (see docs.docker.com/engine/security/seccomp); they fail with EPERM.
   */
  static final List<String> REFUSED_SYSCALLS =
      List.of(
          "acct",
          "add_key",
          "bpf",
          "clock_adjtime",
          "clock_settime",
          "create_module",
          "delete_module",
          "finit_module",
          "get_kernel_syms",
          "get_mempolicy",
          "init_module",
          "ioperm",
          "iopl",
          "kcmp",
          "kexec_file_load",
          "kexec_load",
          "keyctl",
          "lookup_dcookie",
          "mbind",
          "mount",
          "move_pages",
          "name_to_handle_at",
          "nfsservctl",
          "open_by_handle_at",
          "perf_event_open",
          "personality",
          "pivot_root",
          "process_vm_readv",
          "process_vm_writev",
          "ptrace",
          "query_module",
          "quotactl",
          "reboot",
          "request_key",
          "set_mempolicy",
          "setns",
          "settimeofday",
          "stime",
          "swapoff",
          "swapon",
          "sysfs",
          "_sysctl",
          "umount",
          "umount2",
          "unshare",
          "uselib",
          "userfaultfd",
          "ustat",
          "vm86",
          "vm86old",
          "fsopen",
          "fsconfig",
          "fsmount",
          "fspick",
          "move_mount",
          "open_tree");

  static final List<String> RLIMITS =
      List.of(
          "RLIMIT_AS",
          "RLIMIT_CORE",
          "RLIMIT_CPU",
          "RLIMIT_DATA",
          "RLIMIT_FSIZE",
          "RLIMIT_LOCKS",
          "RLIMIT_MEMLOCK",
          "RLIMIT_MSGQUEUE",
          "RLIMIT_NICE",
          "RLIMIT_NOFILE",
          "RLIMIT_NPROC",
          "RLIMIT_RSS",
          "RLIMIT_RTPRIO",
          "RLIMIT_RTTIME",
          "RLIMIT_SIGPENDING",
          "RLIMIT_STACK");

  /** The user a process runs as. */
  public record User(long uid, long gid, List<Long> additionalGids, String home) {}

  /** The files the engine writes for the container and binds in. */
  public record Files(Path hosts, Path hostname, Path resolvConf, @Nullable Path init) {}

  /** The {@code config.json} of {@code c}, whose root filesystem is mounted at {@code rootfs}. */
  public static ObjectNode of(ContainerConfig c, Path rootfs, User user, Files files) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("ociVersion", "1.0.2");
    ObjectNode root = spec.putObject("root");
    root.put("path", rootfs.toString());
    root.put("readonly", c.readOnly());
    spec.put(
        "hostname",
        c.hostname() == null ? c.id().substring(0, Math.min(12, c.id().length())) : c.hostname());

    ObjectNode process = spec.putObject("process");
    process.put("terminal", c.console().tty());
    ObjectNode u = process.putObject("user");
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    if (!user.additionalGids().isEmpty()) {
      ArrayNode g = u.putArray("additionalGids");
      user.additionalGids().forEach(g::add);
    }
    ArrayNode args = process.putArray("args");
    if (c.init()) {
      args.add("/sbin/jstack-init");
      args.add("--");
    }
    c.args().forEach(args::add);
    ArrayNode env = process.putArray("env");
    env(c, user).forEach(env::add);
    process.put("cwd", c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir());
    ObjectNode caps = process.putObject("capabilities");
    Set<String> set = capabilities(c);
    for (String kind : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = caps.putArray(kind);
      set.forEach(a::add);
    }
    ArrayNode rlimits = process.putArray("rlimits");
    java.util.Map<String, long[]> limits = new java.util.LinkedHashMap<>();
    long nofile = Math.min(1_048_576L, HostLimits.hardNofile());
    limits.put("RLIMIT_NOFILE", new long[] {nofile, nofile});
    for (ContainerConfig.Ulimit limit : c.ulimits()) {
      String type = "RLIMIT_" + limit.name().toUpperCase(Locale.ROOT);
      if (!RLIMITS.contains(type)) {
        throw new IllegalArgumentException(
            "unknown ulimit "
                + limit.name()
                + " (known: "
                + String.join(", ", RLIMITS).replace("RLIMIT_", "").toLowerCase(Locale.ROOT)
                + ")");
      }
      limits.put(type, new long[] {limit.soft(), limit.hard()});
    }
    limits.forEach(
        (type, v) -> {
          ObjectNode l = rlimits.addObject();
          l.put("type", type);
          l.put("soft", v[0]);
          l.put("hard", v[1]);
        });
    process.put("noNewPrivileges", c.noNewPrivileges());
    // No apparmorProfile, not even an empty one: runc ignores "", crun applies it and fails on a
    // host without AppArmor ("AppArmor is not initialized correctly").

    ArrayNode mounts = spec.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
        "gid=5");
    mount(
        mounts,
        "/sys",
        "sysfs",
        "sysfs",
        "nosuid",
        "noexec",
        "nodev",
        c.privileged() ? "rw" : "ro");
    mount(
        mounts,
        "/sys/fs/cgroup",
        "cgroup",
        "cgroup",
        "nosuid",
        "noexec",
        "nodev",
        "relatime",
        c.privileged() ? "rw" : "ro");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    long shm = c.shmBytes() == null ? 64L << 20 : c.shmBytes();
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        "nosuid",
        "noexec",
        "nodev",
        "mode=1777",
        "size=" + shm);
    bind(mounts, files.hosts(), "/etc/hosts", false);
    bind(mounts, files.hostname(), "/etc/hostname", false);
    bind(mounts, files.resolvConf(), "/etc/resolv.conf", false);
    if (c.init()) {
      // Bundles gives an init whenever the container asks for one.
      bind(mounts, Objects.requireNonNull(files.init()), "/sbin/jstack-init", true);
    }
    for (ContainerConfig.BindMount m : c.mounts()) {
      if (m.type().equals("tmpfs")) {
        // The engine made its options from dockerd's defaults and the container's own.
        mount(
            mounts,
            m.target(),
            "tmpfs",
            "tmpfs",
            m.options().isEmpty()
                ? new String[] {"noexec", "nosuid", "nodev", "rprivate"}
                : m.options().toArray(String[]::new));
      } else {
        bind(
            mounts,
            Objects.requireNonNull(m.source(), "a bind or volume mount has a source"),
            m.target(),
            m.readOnly());
      }
    }

    ObjectNode linux = spec.putObject("linux");
    ArrayNode ns = linux.putArray("namespaces");
    for (String t : List.of("pid", "ipc", "uts", "mount")) {
      ns.addObject().put("type", t);
    }
    if (c.networkNamespace() != null) {
      ns.addObject().put("type", "network").put("path", c.networkNamespace());
    } else if (!"host".equals(c.networkMode())) {
      ns.addObject().put("type", "network");
    }
    linux.put("cgroupsPath", "/jstack/" + c.id());
    // No mount events from the host reach the container (nor the reverse): with many containers,
    // every new overlay would otherwise propagate into each of their namespaces.
    linux.put("rootfsPropagation", "rprivate");
    ObjectNode resources = linux.putObject("resources");
    ArrayNode devices = resources.putArray("devices");
    device(devices, false, null, -1, -1, "rwm");
    if (c.privileged()) {
      device(devices, true, null, -1, -1, "rwm");
    } else {
      device(devices, true, "c", -1, -1, "m");
      device(devices, true, "b", -1, -1, "m");
      for (int[] d :
          new int[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {10, 200}}) {
        device(devices, true, "c", d[0], d[1], "rwm");
      }
      device(devices, true, "c", 136, -1, "rwm");
    }
    if (c.memoryBytes() != null) {
      ObjectNode m = resources.putObject("memory");
      m.put("limit", c.memoryBytes());
      m.put("swap", c.memoryBytes() * 2);
    }
    if (c.cpus() != null) {
      ObjectNode cpu = resources.putObject("cpu");
      cpu.put("period", 100_000);
      cpu.put("quota", Math.round(c.cpus() * 100_000));
    }
    if (c.pidsLimit() != null) {
      resources.putObject("pids").put("limit", c.pidsLimit());
    }
    if (!c.sysctls().isEmpty()) {
      ObjectNode s = linux.putObject("sysctl");
      c.sysctls().forEach(s::put);
    }
    if (!c.privileged()) {
      ArrayNode masked = linux.putArray("maskedPaths");
      MASKED.forEach(masked::add);
      ArrayNode ro = linux.putArray("readonlyPaths");
      READ_ONLY.forEach(ro::add);
      ObjectNode seccomp = linux.putObject("seccomp");
      seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
      ArrayNode archs = seccomp.putArray("architectures");
      if (System.getProperty("os.arch").equals("aarch64")) {
        archs.add("SCMP_ARCH_AARCH64");
        archs.add("SCMP_ARCH_ARM");
      } else {
        archs.add("SCMP_ARCH_X86_64");
        archs.add("SCMP_ARCH_X86");
        archs.add("SCMP_ARCH_X32");
      }
      ObjectNode refused = seccomp.putArray("syscalls").addObject();
      ArrayNode names = refused.putArray("names");
      REFUSED_SYSCALLS.stream()
          .filter(
              n ->
                  !set.contains("CAP_SYS_ADMIN")
                      || !List.of("mount", "umount", "umount2", "unshare", "setns", "pivot_root")
                          .contains(n))
          .filter(
              n ->
                  !set.contains("CAP_SYS_PTRACE")
                      || !List.of("ptrace", "process_vm_readv", "process_vm_writev", "kcmp")
                          .contains(n))
          .forEach(names::add);
      refused.put("action", "SCMP_ACT_ERRNO");
      refused.put("errnoRet", 1);
    }
    OciTuning.apply(spec, c.tuning());
    return spec;
  }

  /**
   * Points namespace {@code type} ({@code ipc} or {@code pid}) of a container's spec at the one of
   * process {@code pid}, for Docker's {@code container:<x>} modes; joining an IPC namespace also
   * binds {@code shm}, the other's {@code /dev/shm} on the host, there.
   */
  public static void join(ObjectNode spec, String type, long pid, Path shm) {
    OciTuning.join(spec, type, pid, shm);
  }

  /** Makes the container's {@code /dev/shm} a bind of host directory {@code shm}. */
  static void shareShm(ObjectNode spec, Path shm) {
    OciTuning.shm((ArrayNode) spec.path("mounts"), shm.toString());
  }

  /** Docker's set, with {@code cap_add} and {@code cap_drop} ({@code ALL} allowed in either). */
  static Set<String> capabilities(ContainerConfig c) {
    if (c.privileged()) {
      return new LinkedHashSet<>(ALL_CAPABILITIES);
    }
    Set<String> set = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
    for (String d : c.capDrop()) {
      String n = normalise(d);
      if (n.equals("CAP_ALL")) {
        set.clear();
      } else {
        set.remove(n);
      }
    }
    for (String a : c.capAdd()) {
      String n = normalise(a);
      if (n.equals("CAP_ALL")) {
        set.addAll(ALL_CAPABILITIES);
      } else if (!ALL_CAPABILITIES.contains(n)) {
        throw new IllegalArgumentException("unknown capability " + a + " in cap_add");
      } else {
        set.add(n);
      }
    }
    return set;
  }

  private static String normalise(String cap) {
    String u = cap.toUpperCase(Locale.ROOT);
    return u.startsWith("CAP_") ? u : "CAP_" + u;
  }

  private static List<String> env(ContainerConfig c, User user) {
    List<String> out = new java.util.ArrayList<>(c.env());
    if (out.stream().noneMatch(e -> e.startsWith("PATH="))) {
      out.add(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    if (out.stream().noneMatch(e -> e.startsWith("HOSTNAME="))) {
      out.add(
          "HOSTNAME="
              + (c.hostname() == null
                  ? c.id().substring(0, Math.min(12, c.id().length()))
                  : c.hostname()));
    }
    if (out.stream().noneMatch(e -> e.startsWith("HOME="))) {
      out.add("HOME=" + user.home());
    }
    return out;
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    ArrayNode o = m.putArray("options");
    for (String s : options) {
      o.add(s);
    }
  }

  private static void bind(ArrayNode mounts, Path source, String destination, boolean readOnly) {
    mount(
        mounts,
        destination,
        "bind",
        source.toString(),
        "rbind",
        "rprivate",
        readOnly ? "ro" : "rw");
  }

  private static void device(
      ArrayNode devices,
      boolean allow,
      @Nullable String type,
      int major,
      int minor,
      String access) {
    ObjectNode d = devices.addObject();
    d.put("allow", allow);
    if (type != null) {
      d.put("type", type);
    }
    if (major >= 0) {
      d.put("major", major);
    }
    if (minor >= 0) {
      d.put("minor", minor);
    }
    d.put("access", access);
  }
}
