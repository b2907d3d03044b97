package io.jstack.runtime;

import io.jstack.engine.DaemonLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the embedded engine's process is started: as {@link DaemonLauncher} starts jstack's daemons
 * (this JVM and class path, in {@code /}, umask 022), with {@link EngineDaemon} as its main class,
 * so that any program with this module on its class path (the CLI, a test JVM using the Java API)
 * can start it.
 */
public final class EngineProcess {
  /** The umask a daemon runs with, whatever its caller's. */
  static final int UMASK = DaemonLauncher.UMASK;

  private EngineProcess() {}

  /** A builder for the engine serving {@code socket} from {@code root} with {@code options}. */
  public static ProcessBuilder builder(
      DataRoot root, Path socket, ServeOptions options, boolean newSession) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-root",
                root.path().toAbsolutePath().toString(),
                "--socket",
                socket.toAbsolutePath().toString()));
    args.addAll(options.flags());
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-XX:+UseSerialGC",
                // C1 only: the engine orchestrates (processes, mounts, small files, HTTP) and runs
                // a great deal of code a few times each; with C2 as well, compiling still took a
                // quarter of the CPU of an up of 50 containers after ten of them, and the engine
                // reached its speed only after about twenty.
                "-XX:TieredStopAtLevel=1",
                // Every client connection is a file: the engine takes the hard open-file limit as
                // its own (the JVM's flag does what setrlimit would; a shell's soft 1024 would
                // leave room for few clients next to the containers' pipes and logs).
                "-XX:+MaxFDLimit",
                "-Dio.netty.jfr.enabled=false"));
    String build = System.getProperty(ResidentCommands.BUILD_PROPERTY);
    if (build != null) {
      jvm.add("-D" + ResidentCommands.BUILD_PROPERTY + "=" + build);
    }
    return DaemonLauncher.java(newSession, jvm, EngineDaemon.class, args);
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
