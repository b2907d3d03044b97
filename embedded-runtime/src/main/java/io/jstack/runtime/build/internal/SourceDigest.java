package io.jstack.runtime.build.internal;

import io.jstack.runtime.container.internal.RootPaths;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The digest of what one COPY or ADD reads from its source: for each source as written, the paths
 * it matches ({@link FileCopies#matches}, the copy's own matcher), and below each every entry the
 * copy takes ({@link FileCopies#leftOut} prunes what .dockerignore excludes without reading it):
 * its path relative to the match, type and mode, owner, size, link target and content hash. Never a
 * time, so touching a file keeps the key; never anything the instruction does not read, so changing
 * another file keeps it too. Content hashes come from {@link ContentHashes}, which reads only files
 * whose {@code stat} changed.
 */
public final class SourceDigest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino";

  private final FileCopies.Source from;
  private final ContentHashes hashes;
  private final MessageDigest digest = Digests.sha256();

  private SourceDigest(FileCopies.Source from, ContentHashes hashes) {
    this.from = from;
    this.hashes = hashes;
  }

  /**
   * The digest ({@code sha256:...}) of what sources {@code sources} name in {@code from}. A URL
   * source adds only its text (ADD fetches it; its checksum is in the instruction). A source that
   * matches nothing adds a marker, so the step runs and fails as it should.
   *
   * @throws UncheckedIOException when the source cannot be read
   */
  public static String of(FileCopies.Source from, List<String> sources, ContentHashes hashes) {
    SourceDigest d = new SourceDigest(from, hashes);
    try {
      for (String s : sources) {
        d.add("source", s);
        if (s.matches("(?i)^(https?|git)://.*") || s.startsWith("git@")) {
          continue;
        }
        List<String> matches = FileCopies.matches(from, s);
        if (matches.isEmpty()) {
          d.add("missing");
        }
        for (String rel : matches) {
          d.add("match", rel);
          d.entry("", RootPaths.resolve(from.root(), rel), rel);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build context: " + e.getMessage(), e);
    }
    return Digests.format(d.digest.digest());
  }

  /** Adds entry {@code p}, {@code name} below its match and {@code rel} below the source root. */
  private void entry(String name, Path p, String rel) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, ATTRS, NOFOLLOW);
    int mode = (Integer) java.util.Objects.requireNonNull(a.get("mode"), "Linux gives a mode");
    int type = mode & 0170000;
    String link = type == 0120000 ? Files.readSymbolicLink(p).toString() : "";
    String content = type == 0100000 ? hashes.hash(p, a) : "";
    add(
        "entry",
        name,
        Integer.toOctalString(mode),
        a.get("uid") + ":" + a.get("gid"),
        type == 0100000 ? String.valueOf(a.get("size")) : "0",
        link,
        content);
    if (type != 0040000) {
      return;
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(p)) {
      listing.forEach(children::add);
    }
    children.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
    for (Path c : children) {
      String childName = c.getFileName().toString();
      String childRel = rel.isEmpty() ? childName : rel + "/" + childName;
      if (!FileCopies.leftOut(from, childRel, c)) {
        entry(name.isEmpty() ? childName : name + "/" + childName, c, childRel);
      }
    }
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
