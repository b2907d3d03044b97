package io.jstack.cli.internal.watch;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies changed host files into a running container and deletes there what was deleted on the
 * host, as Docker Compose's watch does: by running {@code tar} and {@code rm} in the container, so
 * that every path resolves in the container's own root and mounts (a target on a volume or a tmpfs
 * is written where the container sees it, and a link the container made resolves inside it, never
 * on the host).
 */
public final class Sync {
  private Sync() {}

  /** What a sync did: how many files it copied and deleted. */
  public record Done(int copied, int deleted) {}

  /**
   * Applies {@code changes} (host path → path in the container) to container {@code id}: the host
   * paths that exist are copied over, the others deleted.
   *
   * @throws EngineException when tar or rm fails in the container, with what it said
   */
  public static Done apply(Engine engine, String id, Map<Path, String> changes) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    List<String> gone = new ArrayList<>();
    int copied = 0;
    for (Map.Entry<Path, String> c : changes.entrySet()) {
      Path host = c.getKey();
      String name = c.getValue().replaceAll("^/+", "");
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        TarWriter.directory(tar, name, mode(host));
      } else if (Files.isRegularFile(host)) {
        byte[] body;
        try {
          body = Files.readAllBytes(host);
        } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
          gone.add(c.getValue());
          continue;
        }
        TarWriter.file(tar, name, mode(host), 0, 0, body);
        copied++;
      } else if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        gone.add(c.getValue());
      }
    }
    if (tar.size() > 0) {
      TarWriter.end(tar);
      run(engine, id, List.of("tar", "-x", "-o", "-C", "/", "-f", "-"), tar.toByteArray());
    }
    if (!gone.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-rf", "--"));
      rm.addAll(gone);
      run(engine, id, rm, null);
    }
    return new Done(copied, gone.size());
  }

  private static int mode(Path p) throws IOException {
    try {
      return (int) Files.getAttribute(p, "unix:mode") & 07777;
    } catch (UnsupportedOperationException | IllegalArgumentException noUnix) {
      return Files.isDirectory(p) ? 0755 : 0644;
    }
  }

  private static void run(
      Engine engine,
      String id,
      List<String> command,
      byte @org.jspecify.annotations.Nullable [] stdin) {
    Engine.ExecResult r =
        engine.exec(id, new Engine.ExecSpec(command, List.of(), null, null, false, false), stdin);
    if (r.exitCode() != 0) {
      throw new EngineException(
          command.get(0)
              + " in container "
              + id.substring(0, Math.min(12, id.length()))
              + " exited with "
              + r.exitCode()
              + ": "
              + new String(r.stderr(), java.nio.charset.StandardCharsets.UTF_8).strip()
              + " (the image needs tar and rm for watch's sync actions)");
    }
  }
}
