package io.jstack.cli;

import io.jstack.cli.internal.Signals;
import io.jstack.cli.internal.Tty;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack attach}: jstack's standard streams attached to a running service container (Docker
 * Compose's {@code attach}, as {@code docker attach}) until it exits; its exit code is jstack's.
 */
@Command(
    name = "attach",
    description = "Attach to a service's running container: its output, and its input when open.",
    footer = {"", "Example:", "  jstack attach --no-stdin worker"})
final class AttachCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Mixin ContainerIndex index = new ContainerIndex();

  @Option(names = "--no-stdin", description = "Do not attach jstack's input.")
  boolean noStdin;

  @Option(
      names = "--sig-proxy",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Send Ctrl-C to the container as SIGINT (default: true; with a terminal it reaches the"
              + " container as a key).")
  boolean sigProxy = true;

  @Override
  public Integer call() throws IOException {
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Service s = java.util.Objects.requireNonNull(loaded.project().services().get(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      boolean input = !noStdin && s.stdinOpen();
      // A container with a pseudo-terminal gets jstack's terminal in raw mode, as docker attach.
      try (Tty tty = input && s.tty() ? Tty.raw().orElse(null) : null) {
        io.jstack.engine.Stdio own = stdio(tty);
        io.jstack.engine.Stdio attached =
            new io.jstack.engine.Stdio(input ? own.in() : null, own.out(), own.err(), tty);
        Signals.Registration signals =
            sigProxy && tty == null
                ? root.caller()
                    .interrupts()
                    .stopOnInterrupt(() -> engine.killContainer(c.id(), "SIGINT"))
                : null;
        try {
          return engine.attach(c.id(), attached);
        } finally {
          if (signals != null) {
            signals.close();
          }
        }
      }
    } finally {
      close(engine);
    }
  }
}
