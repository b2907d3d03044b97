package io.jstack.runtime;

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
 * 077 would make the files it writes for containers unreadable to their users). Its main class is
 * {@link EngineDaemon}, so that any program with this module on its class path (the CLI, a test JVM
 * using the Java API) can start it.
 */
public final class EngineProcess {
  /** The umask a daemon runs with, whatever its caller's. */
  static final int UMASK = 0022;

  private EngineProcess() {}

  /**
   * A builder for the engine serving {@code socket} from {@code root}; {@code dnsUpstream} and
   * {@code group} may be null.
   */
  public static ProcessBuilder builder(
      DataRoot root,
      Path socket,
      @Nullable String dnsUpstream,
      @Nullable String group,
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
            classPath(),
            EngineDaemon.class.getName(),
            "--data-root",
            root.path().toAbsolutePath().toString(),
            "--socket",
            socket.toAbsolutePath().toString()));
    if (dnsUpstream != null && !dnsUpstream.isBlank()) {
      cmd.addAll(List.of("--dns-upstream", dnsUpstream));
    }
    if (group != null) {
      cmd.addAll(List.of("--group", group));
    }
    return new ProcessBuilder(cmd).directory(new File("/"));
  }

  /**
   * This JVM's class path, with manifest-only jars (Surefire's booter, {@code java -jar} of a thin
   * launcher) replaced by the entries their manifests name: such a jar is often temporary, and the
   * engine outlives the process that started it.
   */
  static String classPath() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      List<String> named = manifestOnly(Path.of(entry));
      if (named == null) {
        out.add(entry);
      } else {
        out.addAll(named);
      }
    }
    return String.join(File.pathSeparator, out);
  }

  /** The class path a jar holding nothing but a manifest names, or null for any other entry. */
  private static @Nullable List<String> manifestOnly(Path entry) {
    if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return null;
    }
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry.toFile())) {
      boolean onlyManifest = jar.stream().allMatch(e -> e.getName().startsWith("META-INF/"));
      java.util.jar.Manifest manifest = jar.getManifest();
      String cp =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
      if (!onlyManifest || cp == null) {
        return null;
      }
      List<String> named = new ArrayList<>();
      java.net.URI base = entry.toAbsolutePath().toUri();
      for (String ref : cp.trim().split("\\s+")) {
        named.add(Path.of(base.resolve(ref)).toString());
      }
      return named;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
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
