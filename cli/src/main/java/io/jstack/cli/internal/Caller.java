package io.jstack.cli.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * Who a command line runs for: the directory its relative paths are read against, its environment,
 * whether its user sits at a terminal (input and output), and where its Ctrl-C comes from. The
 * {@code jstack} process is its own caller; when the engine runs a command for a thin client
 * ({@code ResidentCli}), the client is.
 *
 * @param workdir an absolute directory
 */
public record Caller(
    Path workdir, Map<String, String> environment, boolean terminal, Interrupts interrupts) {

  public Caller {
    if (!workdir.isAbsolute()) {
      throw new IllegalArgumentException("a caller's directory is absolute, not " + workdir);
    }
    environment = Map.copyOf(environment);
  }

  /** This process, with {@code environment}. */
  public static Caller process(Map<String, String> environment) {
    return new Caller(
        Path.of(System.getProperty("user.dir")).toAbsolutePath(),
        environment,
        System.console() != null,
        Signals.PROCESS);
  }

  /** {@code path} read against the caller's directory. */
  public Path resolve(Path path) {
    return workdir.resolve(path).normalize();
  }

  /** {@code path} read against the caller's directory. */
  public Path resolve(String path) {
    return resolve(Path.of(path));
  }
}
