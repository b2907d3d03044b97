package io.jstack.cli;

import io.jstack.cli.internal.Tty;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * What {@code exec} and {@code run} share: the process's environment, user and directory, and
 * whether it runs in the background or attached, with a pseudo-terminal or not.
 */
final class ProcessOptions {
  @Option(
      names = {"-T", "--no-TTY"},
      description = "No pseudo-terminal, even when jstack runs in one.")
  boolean noTty;

  @Option(
      names = {"-d", "--detach"},
      description = "Run in the background (run prints the container's name).")
  boolean detach;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY=VALUE",
      description = "An environment variable; repeatable.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER",
      description = "Run as this user.")
  @Nullable String user;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Run in this directory.")
  @Nullable String workdir;

  /**
   * As Docker Compose: the user's terminal, in raw mode, unless {@code -T}, {@code -d}, or jstack's
   * input is no terminal (then null).
   */
  @Nullable Tty terminal() throws IOException {
    return noTty || detach ? null : Tty.raw().orElse(null);
  }
}
