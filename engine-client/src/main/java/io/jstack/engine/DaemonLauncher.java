package io.jstack.engine;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).directory(new File("/"));
  }
}
