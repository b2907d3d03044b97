package io.jstack.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Command lines that a thin client asks the engine to run in the engine's own JVM, already warm,
 * instead of starting a JVM of its own ({@code POST /jstack/run}). jstack's CLI provides them; the
 * engine finds them with {@link java.util.ServiceLoader} on its class path, and serves none when
 * they are absent (an engine that a test JVM started without the CLI): the client then runs its
 * command itself, as it does whenever the engine refuses.
 */
public interface ResidentCommands {
  /**
   * The system property naming the build of jstack a JVM runs (the launcher sets it): the engine
   * runs commands only for clients of its own build, and passes it on to the engines it starts.
   */
  String BUILD_PROPERTY = "jstack.build";

  /**
   * Why {@code call} must run in a process of the client's own (it reads the client's input, takes
   * its terminal over, or starts or stops the engine), or null when it can run here.
   */
  @Nullable String refusal(ResidentCall call);

  /**
   * Runs the call's command line as the client's own process would, printing to its streams, and
   * returns the exit status.
   */
  int run(ResidentCall call);

  /**
   * Loads and runs once, off to the side, what a first command would otherwise load while its
   * client waits (the engine calls it on a thread of its own once it serves); {@code scratch} is an
   * empty directory of the engine's run-time state (in memory, gone when the engine stops) for what
   * the warm-up writes, which it removes.
   */
  default void warmUp(java.nio.file.Path scratch) {}
}
