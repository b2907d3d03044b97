package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine.ExecSpec;
import java.util.List;

/**
 * A command the suite execs in a running container, and what it prints and exits with: what an
 * engine that runs no processes (the fake) is taught.
 */
public record ExecProgram(ExecSpec spec, String stdout, String stderr, int exitCode) {

  /** {@code echo hello world}. */
  public static final ExecProgram ECHO =
      new ExecProgram(exec(List.of("echo", "hello", "world"), List.of()), "hello world\n", "", 0);

  /** Prints a variable of the exec's environment, writes to standard error, exits 4. */
  public static final ExecProgram ENV_AND_EXIT_4 =
      new ExecProgram(
          exec(
              List.of("sh", "-c", "echo $GREETING; echo oops >&2; exit 4"), List.of("GREETING=hi")),
          "hi\n",
          "oops\n",
          4);

  /**
   * A program no container has; what it prints and exits with is checked apart, as it depends on
   * dockerd's version (126 up to 20.10, 127 since).
   */
  public static final ExecSpec MISSING = exec(List.of("no-such-program"), List.of());

  /** Every exec the suite runs and checks the output of, except {@link #MISSING}. */
  public static List<ExecProgram> all() {
    return List.of(ECHO, ENV_AND_EXIT_4);
  }

  static ExecSpec exec(List<String> command, List<String> env) {
    return new ExecSpec(command, env, null, null, false, false);
  }
}
