package io.jstack.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jstack's CLI as a process of its own, from the test class path: for what an in-process run cannot
 * show (its working directory, its umask, signals, a command that runs until stopped, a terminal).
 * Every test that needs such a process starts it here, and {@link Running#close} ends it and what
 * it started, also when the test fails.
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
    cmd.addAll(command(jvmOptions));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) {
      pb.directory(new File(dir.toString()));
    }
    pb.environment().putAll(env);
    return pb;
  }

  /** Starts {@code jstack ARGS} with {@code env} added to this process's environment. */
  public static Running start(Map<String, String> env, String... args) {
    return start(builder(null, env, args));
  }

  /**
   * Starts {@code builder}'s process with its standard error merged into its output, which is
   * collected line by line as it comes (unless the builder sends it elsewhere).
   */
  public static Running start(ProcessBuilder builder) {
    try {
      return new Running(builder.redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + builder.command(), e);
    }
  }

  /**
   * Writes {@code dir/jstack.sh}, a script that runs jstack with {@code env} exported and {@code
   * args} before its own arguments, for a terminal (tmux) or a shell pipe to run: a real process,
   * whose streams are the terminal's or the pipe's.
   */
  public static Path script(Path dir, Map<String, String> env, String... args) {
    StringBuilder s = new StringBuilder("#!/bin/sh\n");
    env.forEach((k, v) -> s.append("export ").append(k).append('=').append(quoted(v)).append('\n'));
    s.append("exec");
    for (String word : command(List.of())) {
      s.append(' ').append(quoted(word));
    }
    for (String arg : args) {
      s.append(' ').append(quoted(arg));
    }
    s.append(" \"$@\"\n");
    Path script = dir.resolve("jstack.sh");
    try {
      Files.writeString(script, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!script.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + script + " executable");
    }
    return script;
  }

  /** {@code java [jvmOptions] -cp <the test class path> io.jstack.cli.Main}. */
  public static List<String> command(List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jstack.cli.Main"));
    return cmd;
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * A jstack process a test started, and what it printed so far. {@link #close} asks it to stop
   * (SIGTERM), gives it {@value #GRACE_SECONDS} s, then kills it and every process it had started
   * that is still there.
   */
  public static final class Running implements AutoCloseable {
    static final int GRACE_SECONDS = 10;

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private Running(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "jstack-process-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      } catch (IOException e) {
        // The process ended.
      }
    }

    public Process process() {
      return process;
    }

    public long pid() {
      return process.pid();
    }

    /** The lines it printed so far. */
    public List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** What it printed so far, each line ended by a newline. */
    public String output() {
      StringBuilder b = new StringBuilder();
      lines().forEach(l -> b.append(l).append('\n'));
      return b.toString();
    }

    /** Whether it ended within {@code timeout}; then all it printed has been read. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      return true;
    }

    public int exitValue() {
      return process.exitValue();
    }

    @Override
    public void close() {
      // Its children, taken before it ends: then they are no longer its descendants.
      List<ProcessHandle> started = process.descendants().toList();
      try {
        process.destroy();
        if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      } finally {
        started.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }
}
