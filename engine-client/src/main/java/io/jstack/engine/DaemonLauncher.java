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
   * A builder for {@code java OPTIONS -cp <class path> MAIN ARGS}, working in {@code /} with {@link
   * #UMASK}, in a new session when {@code newSession}; the class path is the one {@code main} was
   * loaded from ({@link #classPath(Class)}).
   */
  public static ProcessBuilder java(
      boolean newSession, List<String> jvmOptions, Class<?> main, List<String> args) {
    String mainClass = main.getName();
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
    cmd.addAll(List.of("-cp", classPath(main), mainClass));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).directory(new File("/"));
  }

  /**
   * The class path {@code main} was loaded from: the jars and directories of the class loaders that
   * are URL class loaders (a Maven plugin's realm holds the plugin and its dependencies, none of
   * them on the JVM's own class path), then the JVM's class path ({@link #classPath()}).
   */
  public static String classPath(Class<?> main) {
    java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
    for (ClassLoader l = main.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader urls) {
        for (java.net.URL url : urls.getURLs()) {
          if (url.getProtocol().equals("file")) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
              // Not a local file: the JVM could not load from it either.
            }
          }
        }
      }
    }
    for (String e : classPath().split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    return String.join(File.pathSeparator, entries);
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
