package io.jstack.runtime.build;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: the exec form ({@code ["a", "b"]}, run as
 * is) or the shell form (one string, run by the stage's SHELL).
 *
 * @param args the JSON array's strings in exec form; the command line as written in shell form
 * @param execForm true for the JSON array form
 */
public record Command(List<String> args, boolean execForm) {
  public Command {
    args = List.copyOf(args);
  }

  /** The shell form. */
  public static Command shell(String line) {
    return new Command(List.of(line), false);
  }

  /** The exec form. */
  public static Command exec(List<String> args) {
    return new Command(args, true);
  }
}
