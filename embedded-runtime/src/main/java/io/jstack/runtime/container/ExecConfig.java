package io.jstack.runtime.container;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A process to run in a running container ({@code exec}). Unset fields keep the container's own:
 * its user, working directory and environment (which {@code env} extends).
 *
 * @param user a name or uid, with an optional {@code :group}, resolved in the container's files
 */
public record ExecConfig(
    List<String> command,
    List<String> env,
    @Nullable String user,
    @Nullable String workingDir,
    boolean tty) {
  public ExecConfig {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    command = List.copyOf(command);
    env = List.copyOf(env);
  }
}
