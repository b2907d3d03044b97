package io.jstack.engine.docker;

import io.jstack.engine.TarWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Writes a build context as a tar stream: every file below the context directory that its ignore
 * file ({@link DockerIgnore#load}: {@code <Dockerfile>.dockerignore} beside the Dockerfile, else
 * {@code .dockerignore} at the root) does not leave out, in a stable order, with permissions, and
 * symbolic links as links (never followed). The Dockerfile and the ignore file used always go, so
 * that an engine reading the context finds both.
 */
final class ContextTar {
  private ContextTar() {}

  /**
   * The exclusions for the context {@code dir} built with {@code dockerfile} (relative to it).
   *
   * @throws DockerIgnore.PatternException on a malformed pattern
   */
  static DockerIgnore ignore(Path dir, String dockerfile) {
    return DockerIgnore.load(dir, dir.resolve(dockerfile));
  }

  /**
   * Writes the context of {@code dir} to {@code out}, less what {@code ignore} ({@link #ignore})
   * excludes; {@code extra} (may be null) is one more file to add, e.g. an inline Dockerfile, as
   * {@code {name, text}}.
   */
  static void write(
      Path dir, String dockerfile, DockerIgnore ignore, String @Nullable [] extra, OutputStream out)
      throws IOException {
    String dockerfileRel = GoPaths.clean(dockerfile);
    String ignoreRel =
        ignore.file().map(f -> dir.relativize(f).toString().replace('\\', '/')).orElse("");
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir)).sorted().forEach(entries::add);
    }
    for (Path p : entries) {
      String rel = dir.relativize(p).toString().replace('\\', '/');
      boolean always = rel.equals(ignoreRel) || rel.equals(dockerfileRel);
      if (!always && ignore.excludes(rel)) {
        continue;
      }
      if (Files.isSymbolicLink(p)) {
        TarWriter.header(out, rel, 0777, 0, '2', Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        TarWriter.header(out, rel + "/", mode(p), 0, '5', "");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        long size = Files.size(p);
        TarWriter.header(out, rel, mode(p), size, '0', "");
        Files.copy(p, out);
        TarWriter.pad(out, size);
      }
    }
    if (extra != null) {
      byte[] body = extra[1].getBytes(StandardCharsets.UTF_8);
      TarWriter.header(out, extra[0], 0644, body.length, '0', "");
      out.write(body);
      TarWriter.pad(out, body.length);
    }
    TarWriter.end(out);
    out.flush();
  }

  private static int mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int mode = 0;
    for (PosixFilePermission perm : perms) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }
}
