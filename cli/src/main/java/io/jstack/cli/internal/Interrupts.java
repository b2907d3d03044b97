package io.jstack.cli.internal;

/**
 * Where a command's Ctrl-C comes from and how it ends at once: the process's own signals ({@link
 * Signals#PROCESS}), or the presses a thin client forwards when the engine runs the command for it.
 */
public interface Interrupts {
  /**
   * Routes Ctrl-C to {@code interrupt} until the returned handle is closed (the first press
   * graceful, the next ones forced), then restores what was there before.
   */
  Signals.Registration onInterrupt(Signals.Interrupt interrupt);

  /** Ends the command at once with {@code status}, undoing nothing (a process halts). */
  void halt(int status);

  /**
   * Ctrl-C runs {@code graceful} (say what happens, start stopping); a second press ends the
   * command at once with status 130.
   */
  default Signals.Registration stopOnInterrupt(Runnable graceful) {
    return onInterrupt(
        new Signals.Interrupt() {
          @Override
          public void graceful() {
            graceful.run();
          }

          @Override
          public void force() {
            halt(130);
          }
        });
  }

  /**
   * Ctrl-C ends the command at once, with status 0 (a second press: 130): for commands that only
   * follow a stream and have nothing to undo.
   */
  default Signals.Registration exitOnInterrupt() {
    return stopOnInterrupt(() -> halt(0));
  }
}
