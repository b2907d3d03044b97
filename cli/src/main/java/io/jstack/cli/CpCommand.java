package io.jstack.cli;

import io.jstack.cli.internal.SafeExtract;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack cp}: copy files between a service's container and the host. */
@Command(
    name = "cp",
    description = "Copy files between a service's container and the host.",
    footer = {
      "",
      "A destination ending in / is a directory to copy into; otherwise it is the new name.",
      "",
      "Examples:",
      "  jstack cp web:/etc/nginx/nginx.conf ./nginx.conf",
      "  jstack cp ./site web:/usr/share/nginx/"
    })
final class CpCommand extends ProjectCommand implements Callable<Integer> {
  @Mixin ContainerIndex index = new ContainerIndex();

  @Parameters(index = "0", paramLabel = "SOURCE", description = "SERVICE:PATH or a host path.")
  String source;

  @Parameters(index = "1", paramLabel = "DEST", description = "SERVICE:PATH or a host path.")
  String dest;

  @Override
  public Integer call() throws IOException {
    boolean fromContainer =
        source.contains(":") && !source.startsWith("/") && !source.startsWith(".");
    boolean toContainer = dest.contains(":") && !dest.startsWith("/") && !dest.startsWith(".");
    if (fromContainer == toContainer) {
      throw new ParameterException(
          spec.commandLine(),
          "cp copies between a container and the host: give SERVICE:PATH on exactly one side");
    }
    String remote = fromContainer ? source : dest;
    String service = remote.substring(0, remote.indexOf(':'));
    String path = remote.substring(remote.indexOf(':') + 1);
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      if (fromContainer) {
        Path host = root.caller().resolve(dest);
        boolean intoDir = dest.endsWith("/") || Files.isDirectory(host);
        try (InputStream tar = engine.copyFrom(c.id(), path)) {
          int skipped =
              SafeExtract.extract(
                  tar,
                  // Only a directory has no parent: the root.
                  intoDir ? host : Objects.requireNonNull(host.getParent()),
                  intoDir ? null : host.getFileName().toString());
          if (skipped > 0) {
            err().println("jstack: warning: skipped " + skipped + " hard links or device files");
          }
        }
      } else {
        Path host = root.caller().resolve(source);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
          throw new ParameterException(spec.commandLine(), "no such file or directory: " + source);
        }
        boolean intoDir = path.endsWith("/");
        String dir = intoDir ? path : path.substring(0, Math.max(1, path.lastIndexOf('/')));
        String top =
            intoDir ? host.getFileName().toString() : path.substring(path.lastIndexOf('/') + 1);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        pack(host, top, tar);
        TarWriter.end(tar);
        engine.copyTo(c.id(), dir, new java.io.ByteArrayInputStream(tar.toByteArray()));
      }
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }

  /** The file or tree at {@code host} as tar entries below {@code top}; links stay links. */
  private static void pack(Path host, String top, OutputStream tar) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(host)) {
      all = walk.sorted().toList();
    }
    for (Path p : all) {
      String rel = host.relativize(p).toString();
      String name = rel.isEmpty() ? top : top + "/" + rel;
      int mode = mode(p);
      if (Files.isSymbolicLink(p)) {
        TarWriter.header(tar, name, 0777, 0, '2', Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        TarWriter.directory(tar, name, mode);
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        TarWriter.file(tar, name, mode, 0, 0, Files.readAllBytes(p));
      }
    }
  }

  private static int mode(Path p) throws IOException {
    int mode = 0;
    for (var perm : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }
}
