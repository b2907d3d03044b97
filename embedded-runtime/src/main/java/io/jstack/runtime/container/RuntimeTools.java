package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.Children;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The host programs the embedded engine runs containers with: an OCI runtime ({@code crun} or
 * {@code runc}, see {@link RuntimeChoice}), {@code conmon} to hold each container, and a static
 * init for {@code init: true}.
 */
public record RuntimeTools(Path runtime, Path conmon, @Nullable Path init) {
  private static final List<String> DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  /**
   * Rounds of the probe's timed run; the fastest counts (the first pays for cold caches, and on a
   * busy host the fastest is the least disturbed).
   */
  private static final int PROBE_ROUNDS = 5;

  private static final Pattern RUNC_VERSION =
      Pattern.compile("runc version (\\d+)\\.(\\d+)\\.(\\d+)(\\S*)");

  /** What crun says on a host with cgroup v1 hierarchies and controllers left on cgroup v2. */
  static final String HYBRID_REFUSAL = "cgroups in hybrid mode not supported";

  /**
   * The tools of the runtime this process uses: the one {@code JSTACK_RUNTIME} names, else the
   * fastest that runs a container here ({@link RuntimeChoice#forThisProcess}).
   *
   * @throws EngineException naming what is missing or why no runtime can run a container here
   */
  public static RuntimeTools detect() {
    return RuntimeChoice.forThisProcess().tools();
  }

  /** The runtime's name as its users know it: its file name ({@code crun}, {@code runc}). */
  public String name() {
    return runtime.getFileName().toString();
  }

  /**
   * What a probe found: the runtime ran a container here in {@code millis} (the fastest of its
   * rounds; -1 when it could not be timed: no static init to run), and what to warn about.
   */
  public record Probe(long millis, List<String> warnings) {
    public Probe {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Checks that the runtime really runs a container here, and how fast: it runs the static init's
   * {@code --version} (a static binary, so the root needs nothing else) in a throw-away bundle, and
   * returns the time with what to warn about (a runtime version with a known escape). A runtime
   * that ran a container with this binary, this boot and this cgroup layout still does: the verdict
   * and the time are kept in {@code scratch}, and the probe runs again only when one changed.
   *
   * @throws EngineException with the runtime's own words, and what to change, when it cannot run a
   *     container here (Debian's crun, for one, refuses hybrid cgroup hosts)
   */
  public Probe probe(Path scratch) {
    List<String> warnings = new ArrayList<>();
    String version = run(List.of(runtime.toString(), "--version"), "version").strip();
    Matcher m = RUNC_VERSION.matcher(version.lines().findFirst().orElse(""));
    if (m.find()) {
      int major = Integer.parseInt(m.group(1));
      int minor = Integer.parseInt(m.group(2));
      int patch = Integer.parseInt(m.group(3));
      boolean old = major < 1 || major == 1 && (minor < 1 || minor == 1 && patch < 12);
      // Distributions backport the fix: Debian 12's 1.1.5+ds1-1+deb12u1 carries it.
      boolean patched =
          version.contains("deb12u1") || version.contains("deb12u2") || version.contains("deb12u3");
      if (old && !patched) {
        warnings.add(
            runtime
                + " is runc "
                + m.group(1)
                + "."
                + m.group(2)
                + "."
                + m.group(3)
                + m.group(4)
                + ", which may lack the fix for CVE-2024-21626 (container escape through a leaked file descriptor); upgrade runc to 1.1.12 or newer");
      }
    }
    if (init == null) {
      return new Probe(-1, warnings);
    }
    Path verdict = scratch.resolve(name() + "-checked");
    String key = verdictKey();
    try {
      if (key != null && Files.exists(verdict)) {
        List<String> kept = Files.readAllLines(verdict);
        if (kept.size() == 2 && kept.get(0).equals(key)) {
          return new Probe(Long.parseLong(kept.get(1)), warnings);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Probe again.
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < PROBE_ROUNDS; i++) {
      best = Math.min(best, runOnce(scratch, init));
    }
    if (key != null) {
      try {
        Files.writeString(verdict, key + "\n" + best + "\n");
      } catch (IOException e) {
        // The next engine probes again.
      }
    }
    return new Probe(best, warnings);
  }

  /**
   * What the verdict depends on: the runtime binary, the boot (mounts made by hand go with a
   * reboot) and the controllers left on cgroup v2; null when one cannot be read.
   */
  private @Nullable String verdictKey() {
    try {
      Path unified = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
      return runtime
          + " "
          + Files.size(runtime)
          + " "
          + Files.getLastModifiedTime(runtime).toMillis()
          + " "
          + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()
          + " ["
          + (Files.isReadable(unified) ? Files.readString(unified).strip() : "")
          + "]";
    } catch (IOException e) {
      return null;
    }
  }

  /** Runs the throw-away container once; its wall time in milliseconds. */
  private long runOnce(Path scratch, Path init) {
    String name = "probe-" + ProcessHandle.current().pid();
    Path bundle = scratch.resolve(name);
    try {
      // The mount points are in the root: crun, unlike runc, makes no /dev there.
      Files.createDirectories(bundle.resolve("rootfs/proc"));
      Files.createDirectories(bundle.resolve("rootfs/dev"));
      Files.copy(init, bundle.resolve("rootfs/init"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(
          bundle.resolve("config.json"),
          "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
              + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
              + "\"process\":{\"args\":[\"/init\",\"--version\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[]},"
              + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"network\"}],"
              + "\"cgroupsPath\":\"/jstack/"
              + name
              + "\"}}");
      long start = System.nanoTime();
      run(
          List.of(
              runtime.toString(),
              "--root",
              bundle.resolve("state").toString(),
              "run",
              "--bundle",
              bundle.toString(),
              "jstack-" + name),
          "run");
      return (System.nanoTime() - start) / 1_000_000;
    } catch (IOException e) {
      throw new EngineException(
          "cannot prepare the runtime check in " + scratch + ": " + e.getMessage(), e);
    } finally {
      try {
        LayerUnpacker.removeTree(bundle);
      } catch (IOException ignored) {
        // The next check replaces it.
      }
    }
  }

  /**
   * Runs a probe's command. Not through {@link Runc#process}: one probe per engine start, so its
   * runtime's guard file in {@code /tmp} does not count.
   */
  private String run(List<String> cmd, String what) {
    try {
      Process p =
          Children.of(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        String said = out.strip().lines().reduce((a, b) -> b).orElse("");
        throw new EngineException(
            runtime
                + " cannot run containers on this host ("
                + what
                + " failed: "
                + said
                + "); "
                + remedy(said));
      }
      return out;
    } catch (IOException e) {
      throw new EngineException("cannot run " + runtime + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted checking " + runtime, e);
    }
  }

  /** What to change when the runtime refused with {@code said}. */
  private String remedy(String said) {
    if (said.contains(HYBRID_REFUSAL)) {
      return "to use it, move the controllers left on cgroup v2 to v1 hierarchies, as root: "
          + hybridFix(Path.of("/sys/fs/cgroup"))
          + " (.ci/setup does this); or use runc (--runtime runc, or JSTACK_RUNTIME=runc)";
    }
    return "install Debian's runc (apt-get install -y runc), which works on cgroup v1 and hybrid hosts";
  }

  /**
   * The commands that mount each controller still on the cgroup v2 hierarchy below {@code cgroups}
   * as a v1 hierarchy of its own (on Debian 12's hybrid hosts: {@code hugetlb}).
   */
  static String hybridFix(Path cgroups) {
    List<String> controllers = List.of("hugetlb");
    try {
      Path listed = cgroups.resolve("unified/cgroup.controllers");
      if (Files.isReadable(listed) && !Files.readString(listed).isBlank()) {
        controllers = List.of(Files.readString(listed).strip().split("\\s+"));
      }
    } catch (IOException e) {
      // Name the usual one.
    }
    List<String> steps = new ArrayList<>();
    for (String c : controllers) {
      Path at = cgroups.resolve(c);
      steps.add("mkdir -p " + at + " && mount -t cgroup -o " + c + " cgroup " + at);
    }
    return String.join(" && ", steps);
  }

  /** The static init, or an error saying how to get one. */
  public Path requireInit() {
    if (init == null) {
      throw missing("a static init for init: true (catatonit)", "catatonit");
    }
    return init;
  }

  /** The executable {@code name} on this process's PATH or in the usual system directories. */
  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : (path + ":" + String.join(":", DIRS)).split(":")) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  static EngineException missing(String what, String pkg) {
    return new EngineException(
        "the embedded engine needs "
            + what
            + ", which is not installed: apt-get install -y "
            + pkg);
  }
}
