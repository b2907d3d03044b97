package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Children;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The host programs the embedded engine runs containers with: an OCI runtime ({@code runc}), {@code
 * conmon} to hold each container, and a static init for {@code init: true}.
 */
public record RuntimeTools(Path runtime, Path conmon, @Nullable Path init) {
  private static final List<String> DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  /**
   * Finds the tools on this host.
   *
   * @throws EngineException naming the missing package and the command that installs it
   */
  public static RuntimeTools detect() {
    Path runc = find("runc").orElseThrow(() -> missing("runc", "runc"));
    Path conmon = find("conmon").orElseThrow(() -> missing("conmon", "conmon"));
    Path init = find("catatonit").or(() -> find("tini-static")).orElse(null);
    return new RuntimeTools(runc, conmon, init);
  }

  /**
   * Checks that the runtime really runs a container here: it runs the static init's {@code
   * --version} (a static binary, so the root needs nothing else) in a throw-away bundle, and
   * returns what to warn about (a runtime version with a known escape), empty when all is well.
   *
   * @throws EngineException with the runtime's own words when it cannot run a container here
   *     (Debian's crun, for one, refuses hosts with hybrid cgroup v1)
   */
  public java.util.List<String> probe(Path scratch) {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    String version = run(List.of(runtime.toString(), "--version"), scratch, "version").strip();
    String first = version.lines().findFirst().orElse("");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("runc version (\\d+)\\.(\\d+)\\.(\\d+)(\\S*)")
            .matcher(first);
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
      return warnings;
    }
    // A runtime that ran a container on this kernel still does: the check runs again only when
    // the runtime binary or the kernel changed.
    Path verdict = scratch.resolve("runtime-checked");
    String key;
    try {
      key =
          runtime
              + " "
              + Files.size(runtime)
              + " "
              + Files.getLastModifiedTime(runtime).toMillis()
              + " "
              + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()
              + "\n";
      if (Files.exists(verdict) && Files.readString(verdict).equals(key)) {
        return warnings;
      }
    } catch (java.io.IOException e) {
      key = null;
    }
    Path bundle = scratch.resolve("probe-" + ProcessHandle.current().pid());
    try {
      java.nio.file.Files.createDirectories(bundle.resolve("rootfs/proc"));
      java.nio.file.Files.copy(
          init, bundle.resolve("rootfs/init"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      java.nio.file.Files.writeString(
          bundle.resolve("config.json"),
          "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
              + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
              + "\"process\":{\"args\":[\"/init\",\"--version\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[]},"
              + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"network\"}],"
              + "\"cgroupsPath\":\"/jstack/probe-"
              + ProcessHandle.current().pid()
              + "\"}}");
      run(
          List.of(
              runtime.toString(),
              "--root",
              bundle.resolve("state").toString(),
              "run",
              "--bundle",
              bundle.toString(),
              "jstack-probe-" + ProcessHandle.current().pid()),
          scratch,
          "run");
      if (key != null) {
        Files.writeString(verdict, key);
      }
    } catch (java.io.IOException e) {
      throw new EngineException(
          "cannot prepare the runtime check in " + scratch + ": " + e.getMessage(), e);
    } finally {
      try {
        io.jstack.runtime.image.internal.LayerUnpacker.removeTree(bundle);
      } catch (java.io.IOException ignored) {
        // The next check replaces it.
      }
    }
    return warnings;
  }

  private String run(List<String> cmd, Path scratch, String what) {
    try {
      Process p =
          Children.of(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException(
            runtime
                + " cannot run containers on this host ("
                + what
                + " failed: "
                + out.strip().lines().reduce((a, b) -> b).orElse("")
                + "); install Debian's runc (apt-get install -y runc), which works on cgroup v1 and hybrid hosts");
      }
      return out;
    } catch (java.io.IOException e) {
      throw new EngineException("cannot run " + runtime + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted checking " + runtime, e);
    }
  }

  /** The static init, or an error saying how to get one. */
  public Path requireInit() {
    if (init == null) {
      throw missing("a static init for init: true (catatonit)", "catatonit");
    }
    return init;
  }

  private static Optional<Path> find(String name) {
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

  private static EngineException missing(String what, String pkg) {
    return new EngineException(
        "the embedded engine needs "
            + what
            + ", which is not installed: apt-get install -y "
            + pkg);
  }
}
