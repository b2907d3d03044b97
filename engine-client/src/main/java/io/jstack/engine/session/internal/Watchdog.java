package io.jstack.engine.session.internal;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.session.SessionHost;
import io.jstack.engine.session.SessionRecords;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The Docker side of a session guard: a process of its own, started by {@code SessionGuard} from
 * the caller's class path (in {@code /}, with a fixed umask, in a session of its own), that hosts
 * the session of the JVM that started it over its standard input and output. When its input ends
 * without {@code close} (the JVM is gone) it removes the watched projects after the grace period;
 * meanwhile it sweeps what sessions of dead owners left on the same engine. It exits once both are
 * done.
 *
 * <p>Arguments: {@code ENGINE-ADDRESS OWNER-PID GRACE-MILLIS RECORDS-DIR}.
 */
public final class Watchdog {
  private Watchdog() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 4) {
      System.err.println(
          "usage: Watchdog ENGINE-ADDRESS OWNER-PID GRACE-MILLIS RECORDS-DIR (started by"
              + " SessionGuard, not by hand)");
      System.exit(2);
    }
    // Standard output is the answer pipe: unbuffered, and never closed by System.out's users.
    PrintStream log = System.err;
    SessionHost host =
        new SessionHost(
            new SessionRecords(Path.of(args[3])),
            EngineAddress.parse(args[0]),
            Duration.ofMillis(Long.parseLong(args[2])),
            line ->
                log.println(
                    Instant.now() + " watchdog " + ProcessHandle.current().pid() + ": " + line));
    Thread sweep =
        new Thread(
            () -> {
              try {
                host.sweep();
              } catch (RuntimeException e) {
                log.println(Instant.now() + " watchdog: sweep failed: " + e);
              }
            },
            "jstack-session-sweep");
    sweep.start();
    host.serve(Long.parseLong(args[1]), System.in, new FileOutputStream(FileDescriptor.out));
    sweep.join();
    log.flush();
    // Netty's threads of the Docker client must not keep the process.
    System.exit(0);
  }

  static {
    // Nothing of the JVM's own may go to the answer pipe.
    System.setOut(
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
  }
}
