package io.jstack.runtime.build.internal;

import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The digest of what one COPY or ADD (or a RUN's bind mount) reads from its source: every entry
 * {@link FileCopies#sources} lists, the copy's own walk, so that the key and the copy cannot
 * disagree (globs, .dockerignore, whose excluded trees are pruned unread, {@code --exclude} and
 * {@code --parents} applied): its path, type and mode, owner, size, link target and content hash.
 * Never a time, so touching a file keeps the key; never anything the instruction does not read, so
 * changing another file keeps it too. Content hashes come from {@link ContentHashes}, which reads
 * only files whose {@code stat} changed.
 */
public final class SourceDigest {
  private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino";

  private final MessageDigest digest = Digests.sha256();

  private SourceDigest() {}

  /**
   * The digest ({@code sha256:...}) of what {@code sources}, with {@code excludes} and {@code
   * parents} as the instruction gives them, read in {@code from}. A URL source adds only its text
   * (ADD fetches it; its checksum is in the instruction). Sources that match nothing add the
   * reason, so the step runs and fails as it should.
   *
   * @throws UncheckedIOException when the source cannot be read
   */
  public static String of(
      FileCopies.Source from,
      List<String> sources,
      List<String> excludes,
      boolean parents,
      ContentHashes hashes) {
    SourceDigest d = new SourceDigest();
    List<String> local = new ArrayList<>();
    for (String s : sources) {
      d.add("source", s);
      if (!Downloads.isUrl(s) && !Downloads.isGit(s)) {
        local.add(s);
      }
    }
    try {
      FileCopies.Request r =
          new FileCopies.Request(local, "", null, "", false, excludes, parents, List.of());
      for (FileCopies.Read read : FileCopies.sources(from, r)) {
        Map<String, Object> a = Files.readAttributes(read.file(), ATTRS, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) java.util.Objects.requireNonNull(a.get("mode"), "Linux gives a mode");
        int type = mode & 0170000;
        d.add(
            "entry",
            read.path(),
            Integer.toOctalString(mode),
            a.get("uid") + ":" + a.get("gid"),
            type == 0100000 ? String.valueOf(a.get("size")) : "0",
            type == 0120000 ? Files.readSymbolicLink(read.file()).toString() : "",
            type == 0100000 ? hashes.hash(read.file(), a) : "");
      }
    } catch (IllegalArgumentException e) {
      d.add("missing", String.valueOf(e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build context: " + e.getMessage(), e);
    }
    return Digests.format(d.digest.digest());
  }

  /** Adds fields, each length-prefixed so that no two lists give the same bytes. */
  private void add(String... fields) {
    for (String f : fields) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      digest.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
      digest.update(b);
    }
    digest.update((byte) '\n');
  }
}
