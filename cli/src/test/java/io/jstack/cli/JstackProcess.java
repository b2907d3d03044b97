package io.jstack.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jstack's CLI as a process of its own, from the test class path: for what an in-process run cannot
 * show (its working directory, its umask, signals, a command that runs until stopped).
 */
public final class JstackProcess {
  private JstackProcess() {}

  /**
   * A builder for {@code jstack ARGS} working in {@code dir} (null: this one's), with {@code env}
   * added to this process's environment.
   */
  public static ProcessBuilder builder(Path dir, Map<String, String> env, String... args) {
    return builderWithUmask(dir, env, null, args);
  }

  /** As {@link #builder}, with the process's umask set to {@code umask} (octal; null: ours). */
  public static ProcessBuilder builderWithUmask(
      Path dir, Map<String, String> env, String umask, String... args) {
    return builder(dir, env, umask, List.of(), args);
  }

  /**
   * As {@link #builder}, with the process's umask set to {@code umask} (octal; null: ours) and
   * {@code jvmOptions} before the main class (a heap cap, say).
   */
  public static ProcessBuilder builder(
      Path dir, Map<String, String> env, String umask, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    if (umask != null) {
      cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jstack.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) {
      pb.directory(new File(dir.toString()));
    }
    pb.environment().putAll(env);
    return pb;
  }
}
