package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Children;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI runtime (runc, or crun) as {@link Containers} runs it: one command at a time with
 * jstack's own state root, its output kept for the error when it fails.
 */
final class Runc {
  private final RuntimeTools tools;
  private final Path root;

  /** The runtime of {@code tools}, keeping its state below {@code root}. */
  Runc(RuntimeTools tools, Path root) {
    this.tools = tools;
    this.root = root;
  }

  /** The runtime's executable. */
  Path runtime() {
    return tools.runtime();
  }

  /** Its state root, {@code --root} of every command. */
  Path root() {
    return root;
  }

  /**
   * A process builder for {@code cmd}, a command that runs this runtime (directly, or through
   * conmon or a shell, which pass their environment on). Each runtime process makes a temporary
   * file that guards its own executable while it works (crun: {@code crun.XXXXXX}, in {@code
   * $_LIBCONTAINER_STATEDIR}, else in {@code /tmp}); that directory is one beside the state root,
   * in the run-time directory (a tmpfs, unless an engine of before left it on disk). In {@code
   * /tmp} each would be a file made and deleted on the disk for every create, start and exec, a
   * healthcheck's too: on an ext4 without a journal, each such deletion makes later file creations
   * nearby slower for minutes.
   *
   * @throws IOException when that directory cannot be made
   */
  ProcessBuilder process(List<String> cmd) throws IOException {
    Path tmp = Files.createDirectories(root.resolveSibling("tmp"));
    ProcessBuilder pb = Children.of(cmd);
    pb.environment().put("_LIBCONTAINER_STATEDIR", tmp.toString());
    return pb;
  }

  /** Whether the runtime holds state of container {@code id} (from a run not yet deleted). */
  boolean hasState(String id) {
    return Files.isDirectory(root.resolve(id));
  }

  /**
   * Runs {@code <runtime> <args>} and waits for it.
   *
   * @throws EngineException with the runtime's own words when it fails
   */
  void run(String... args) {
    List<String> cmd = new ArrayList<>(List.of(tools.runtime().toString(), "--root=" + root));
    cmd.addAll(List.of(args));
    try {
      Process p = process(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EngineException(
            tools.name() + " " + args[0] + " " + args[1] + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new EngineException("cannot run " + tools.runtime() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted running " + tools.name() + " " + args[0], e);
    }
  }

  /** Runs {@code <runtime> <args>}, best effort: the state it works on may be gone already. */
  void runQuietly(String... args) {
    try {
      run(args);
    } catch (EngineException ignored) {
      // Best effort: the state may be gone already.
    }
  }

  /**
   * The command that runs {@code processFile}'s process in container {@code id}, in the foreground.
   */
  List<String> execCommand(String id, Path pidFile, Path processFile) {
    return List.of(
        tools.runtime().toString(),
        "--root=" + root,
        "exec",
        "--pid-file",
        pidFile.toString(),
        "--process",
        processFile.toString(),
        id);
  }
}
