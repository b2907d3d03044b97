package io.jstack.runtime;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One command line a thin client asked the engine to run for it ({@link ResidentCommands}): what
 * the client's own process would have had (arguments, directory, environment, terminal), where its
 * output goes, and its Ctrl-C.
 */
public interface ResidentCall {
  /** The command line, without the program's name. */
  List<String> args();

  /** The client's working directory, absolute: relative paths are read against it. */
  Path workdir();

  /** The client's environment. */
  Map<String, String> environment();

  /** Whether the client's input and output are a terminal. */
  boolean terminal();

  /** The client's standard output. */
  OutputStream out();

  /** The client's standard error. */
  OutputStream err();

  /**
   * Calls {@code press} on each Ctrl-C the client forwards, from another thread, until replaced;
   * null drops them. A client that goes away without its status counts as killed: the thread
   * running the command is interrupted.
   */
  void onInterrupt(@Nullable Runnable press);

  /**
   * Ends the call at once with {@code status}, as a process halts: the client gets the status and
   * leaves, and the thread running the command is interrupted.
   */
  void halt(int status);
}
