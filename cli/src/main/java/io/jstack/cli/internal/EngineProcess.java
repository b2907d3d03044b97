package io.jstack.cli.internal;

import io.jstack.runtime.DataRoot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the embedded engine's process is started: the same JVM and class path as this one, working in
 * {@code /} with a umask of 022, so that the engine depends on neither the directory nor the umask
 * of whoever started it (a deleted working directory would fail every container start; a umask of
 * 077 would make the files it writes for containers unreadable to their users).
 */
public final class EngineProcess {
  /** The umask a daemon runs with, whatever its caller's. */
  static final int UMASK = 0022;

  private EngineProcess() {}

  /**
   * A builder for the engine serving {@code socket} from {@code root}; {@code dnsUpstream}, {@code
   * group} and {@code runtime} (its {@code --runtime}) may be null.
   */
  public static ProcessBuilder builder(
      DataRoot root,
      Path socket,
      @Nullable String dnsUpstream,
      @Nullable String group,
      @Nullable String runtime,
      boolean newSession) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // sh sets the umask (the JVM cannot), then becomes the engine.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                "umask 0" + Integer.toOctalString(UMASK) + " && exec \"$@\"",
                "sh"));
    if (newSession) {
      cmd.add("setsid");
    }
    cmd.addAll(
        List.of(
            java,
            "-XX:+UseSerialGC",
            "-Dio.netty.jfr.enabled=false",
            "-cp",
            System.getProperty("java.class.path"),
            "io.jstack.cli.Main",
            "--data-root",
            root.path().toAbsolutePath().toString(),
            "engine",
            "--socket",
            socket.toAbsolutePath().toString()));
    if (dnsUpstream != null && !dnsUpstream.isBlank()) {
      cmd.addAll(List.of("--dns-upstream", dnsUpstream));
    }
    if (group != null) {
      cmd.addAll(List.of("--group", group));
    }
    if (runtime != null && !runtime.isBlank()) {
      cmd.addAll(List.of("--runtime", runtime));
    }
    return new ProcessBuilder(cmd).directory(new File("/"));
  }

  /**
   * Whether this process works in {@code /} with the daemon's umask (or one that cannot be read:
   * starting again would not tell either).
   */
  public static boolean settled() {
    int umask = umask();
    return "/".equals(System.getProperty("user.dir")) && (umask == UMASK || umask < 0);
  }

  /** This process's umask (Linux 4.7 and newer show it in /proc), or -1 when unknown. */
  static int umask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).strip(), 8);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown: the engine is started again, settled.
    }
    return -1;
  }
}
