package io.jstack.engine.testing.contract;

import io.jstack.engine.LogStream;
import io.jstack.engine.LogStream.Source;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A command the suite runs in its containers (busybox's {@code sh}), and what it does: what an
 * engine that runs no processes (the fake) is taught, so that it plays its part.
 *
 * @param output the lines it prints as it starts (timestamps null)
 * @param exitCode what it exits with by itself at once, or null when it runs until stopped and
 *     exits 0 on SIGTERM
 */
public record Program(
    List<String> command, List<LogStream.Line> output, @Nullable Integer exitCode) {
  public Program {
    command = List.copyOf(command);
    output = List.copyOf(output);
  }

  /** Prints {@code ready}, then runs until stopped; exits 0 on SIGTERM. */
  public static final Program SERVE =
      new Program(
          List.of("sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"),
          List.of(new LogStream.Line(Source.STDOUT, null, "ready")),
          null);

  /** Prints {@code out} on its standard output and {@code err} on its standard error; exits 3. */
  public static final Program SPEAK_AND_EXIT_3 =
      new Program(
          List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
          List.of(
              new LogStream.Line(Source.STDOUT, null, "out"),
              new LogStream.Line(Source.STDERR, null, "err")),
          3);

  /** Every program the suite runs. */
  public static List<Program> all() {
    return List.of(SERVE, SPEAK_AND_EXIT_3);
  }
}
