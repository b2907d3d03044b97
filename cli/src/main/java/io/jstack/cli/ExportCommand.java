package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack export}: a service container's root file system as a tar archive (Docker Compose's
 * {@code export}, as {@code docker export}), to a file or to a standard output that is no terminal.
 */
@Command(
    name = "export",
    description = "Export a service container's file system as a tar archive.",
    footer = {"", "Examples:", "  jstack export -o web.tar web", "  jstack export web | tar -t"})
final class ExportCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of the standard output.")
  @Nullable String output;

  @Mixin ContainerIndex index = new ContainerIndex();

  @Override
  public Integer call() throws IOException {
    if (output == null && root.caller().terminal()) {
      throw new ParameterException(
          spec.commandLine(),
          "refusing to write a tar archive to a terminal: name a file with -o, or redirect the"
              + " output");
    }
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      try (InputStream tar = engine.exportContainer(c.id())) {
        if (output == null) {
          OutputStream out = root.stdio().out();
          tar.transferTo(out);
          out.flush();
        } else {
          // Written beside the file, then moved over it: an export that fails leaves no part.
          Path file = root.caller().resolve(output);
          Path part = Files.createTempFile(file.toAbsolutePath().getParent(), ".jstack-", ".tar");
          try {
            Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(part);
          }
        }
      }
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }
}
