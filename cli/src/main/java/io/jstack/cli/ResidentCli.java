package io.jstack.cli;

import io.jstack.cli.internal.Caller;
import io.jstack.cli.internal.Interrupts;
import io.jstack.cli.internal.Signals;
import io.jstack.engine.Engine;
import io.jstack.engine.Stdio;
import io.jstack.runtime.Engines;
import io.jstack.runtime.ResidentCall;
import io.jstack.runtime.ResidentCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * jstack's command lines run by the engine for the native {@code jstack} client, in the engine's
 * warm JVM (found by the engine with {@link java.util.ServiceLoader}): the same command line, for
 * the client's directory, environment and terminal, printing to the client's streams, its Ctrl-C
 * forwarded. What needs the client's own process ({@link OwnProcess}, standard input, argument
 * files, relative engine paths) is refused, and the client runs it in a JVM of its own.
 */
public final class ResidentCli implements ResidentCommands {
  /** Variables naming paths that engines are found by; relative ones are read by the process. */
  private static final List<String> PATH_VARIABLES =
      List.of("JSTACK_DATA_ROOT", "JSTACK_ENGINE_SOCKET", "DOCKER_CERT_PATH", "DOCKER_CONFIG");

  @Override
  public @Nullable String refusal(ResidentCall call) {
    for (String arg : call.args()) {
      if (arg.equals("-")) {
        return "the command line reads standard input ('-')";
      }
      if (arg.startsWith("@")) {
        return "argument files (" + arg + ") are read by the jstack process";
      }
    }
    for (String variable : PATH_VARIABLES) {
      String value = call.environment().get(variable);
      if (value != null && !value.isEmpty() && !value.startsWith("/")) {
        return variable + " is a relative path";
      }
    }
    CommandLine cl =
        Jstack.commandLine(
            call.args().toArray(String[]::new),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            caller(call),
            Engines::open,
            new Stdio(InputStream.nullInputStream(), call.out(), call.err(), null));
    CommandLine.ParseResult parsed;
    try {
      parsed = cl.parseArgs(call.args().toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return null; // Said the same way here: the usage error.
    }
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.commandSpec().userObject() instanceof OwnProcess own) {
        String why = own.whyOwnProcess();
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  @Override
  public int run(ResidentCall call) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(call.out(), StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(call.err(), StandardCharsets.UTF_8), true);
    Stdio stdio = new Stdio(InputStream.nullInputStream(), call.out(), call.err(), null);
    // A process's end closes its connections; here the command's end (or its halt) must: streams
    // it follows on threads of its own end with them.
    List<Engine> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      return Jstack.run(
          call.args().toArray(String[]::new),
          caller(call),
          (kind, env) -> {
            Engine e = Engines.open(kind, env);
            opened.add(e);
            return e;
          },
          stdio,
          out,
          err);
    } finally {
      out.flush();
      err.flush();
      for (Engine e : opened) {
        if (e instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception ignored) {
            // Closed already.
          }
        }
      }
    }
  }

  /**
   * The launcher's class-data training run ({@link ArchiveTraining}: {@code ps} and {@code config}
   * against a stand-in engine), so that the first client's command finds its classes loaded.
   */
  @Override
  public void warmUp(Path scratch) {
    try {
      ArchiveTraining.train(scratch);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Caller caller(ResidentCall call) {
    return new Caller(
        call.workdir(), call.environment(), call.terminal(), new ClientInterrupts(call));
  }

  /** The client's Ctrl-C presses, routed to the innermost handler a command installed. */
  private static final class ClientInterrupts implements Interrupts {
    private final ResidentCall call;
    private @Nullable Runnable current;

    ClientInterrupts(ResidentCall call) {
      this.call = call;
    }

    @Override
    public synchronized Signals.Registration onInterrupt(Signals.Interrupt interrupt) {
      AtomicInteger presses = new AtomicInteger();
      Runnable previous = current;
      Runnable handler =
          () -> {
            if (presses.incrementAndGet() == 1) {
              interrupt.graceful();
            } else {
              interrupt.force();
            }
          };
      current = handler;
      call.onInterrupt(handler);
      return () -> {
        synchronized (this) {
          current = previous;
          call.onInterrupt(previous);
        }
      };
    }

    @Override
    public void halt(int status) {
      call.halt(status);
    }
  }
}
