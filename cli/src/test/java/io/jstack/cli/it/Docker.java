package io.jstack.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code docker} CLI (and docker-compose), to check effects independently of jstack. */
public final class Docker {
  private Docker() {}

  /** What a command printed and how it ended. */
  public record Result(int code, String out, String err) {}

  /** Runs {@code command} in {@code dir} (may be null) and waits up to two minutes. */
  public static Result run(Path dir, String... command) {
    return run(dir, java.util.Map.of(), command);
  }

  /** As {@link #run(Path, String...)}, with {@code env} added to the command's environment. */
  public static Result run(Path dir, java.util.Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + Arrays.toString(command));
      }
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code docker ARGS} that must succeed; its output lines. */
  public static List<String> lines(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Result r = run(null, cmd.toArray(String[]::new));
    if (r.code() != 0) {
      throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + r.err());
    }
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /** Fails with the fix when no Docker engine answers. */
  public static void requireEngine() {
    Result r = run(null, "docker", "version", "--format", "{{.Server.Version}}");
    if (r.code() != 0) {
      throw new IllegalStateException(
          "no Docker engine answers: run ./run-tests (it starts dockerd), or start dockerd yourself: "
              + r.err().strip());
    }
  }

  /** Requires a Docker engine, with the examples' image built on it (examples/build-image.sh). */
  public static void requireExampleImage() {
    requireEngine();
    Result built = run(null, repo().resolve("examples/build-image.sh").toString(), "docker");
    if (built.code() != 0) {
      throw new IllegalStateException(
          "examples/build-image.sh docker failed: " + built.err().strip());
    }
  }

  /** Removes every container, network and volume labelled with {@code project}. */
  public static void removeProject(String project) {
    String filter = "label=com.docker.compose.project=" + project;
    List<String> containers = lines("ps", "-aq", "--filter", filter);
    if (!containers.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("rm", "-f", "-v"));
      cmd.addAll(containers);
      lines(cmd.toArray(String[]::new));
    }
    for (String n : lines("network", "ls", "-q", "--filter", filter)) {
      lines("network", "rm", n);
    }
    for (String v : lines("volume", "ls", "-q", "--filter", filter)) {
      lines("volume", "rm", "-f", v);
    }
  }

  /** The repository root (Maven passes it as jstack.repo.dir). */
  public static Path repo() {
    return Path.of(System.getProperty("jstack.repo.dir", "..")).toAbsolutePath().normalize();
  }
}
