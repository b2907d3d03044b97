package io.jstack.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How jstack starts a process of its own that outlives or serves its caller (the embedded engine, a
 * session watchdog): the same JVM and class path as this one, working in {@code /} with a umask of
 * 022, so that it depends on neither the directory nor the umask of whoever started it (a deleted
 * working directory would fail every container start; a umask of 077 would make the files it writes
 * for containers unreadable to their users), and, when asked, in a session of its own, so that no
 * terminal's signals (Ctrl-C to the caller's process group, a hang-up) reach it.
 */
public final class DaemonLauncher {
  /** The umask a daemon runs with, whatever its caller's. */
  public static final int UMASK = 0022;

  private DaemonLauncher() {}

  /**
   * A builder for {@code java OPTIONS -cp <this JVM's class path> MAIN ARGS}, working in {@code /}
   * with {@link #UMASK}, in a new session when {@code newSession}.
   */
  public static ProcessBuilder java(
      boolean newSession, List<String> jvmOptions, String mainClass, List<String> args) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // sh sets the umask (the JVM cannot), then becomes the daemon.
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
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classPath(), mainClass));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).directory(new File("/"));
  }

  /**
   * This JVM's class path, with manifest-only jars (Surefire's booter, {@code java -jar} of a thin
   * launcher) replaced by the entries their manifests name: such a jar is often temporary, and the
   * engine outlives the process that started it.
   */
  public static String classPath() {
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
}
