package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.internal.Locks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The embedded engine's images on disk, below {@code <data root>/images}: verified blobs by sha256
 * ({@code blobs/sha256/HEX}), layers unpacked for overlayfs by their uncompressed digest ({@code
 * layers/sha256/HEX}), and tags ({@code tags.json}).
 *
 * <p>Safe for several processes at once and after a crash: everything is written to {@code tmp/}
 * first, verified, then renamed into place, so a blob or layer is either whole or absent; the tag
 * file changes under a file lock. Temporary files of processes that died are removed when a store
 * opens.
 */
public final class ImageStore {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;

  private final DataRoot dataRoot;
  private final Path root;
  private final Path blobs;
  private final Path layers;
  private final Path tmp;
  private final Path tags;
  private final Path lock;

  private ImageStore(DataRoot dataRoot) {
    this.dataRoot = dataRoot;
    this.root = dataRoot.path().resolve("images");
    this.blobs = root.resolve("blobs/sha256");
    this.layers = root.resolve("layers/sha256");
    this.tmp = root.resolve("tmp");
    this.tags = root.resolve("tags.json");
    this.lock = root.resolve("lock");
  }

  /** Opens (creating it if needed) the store of {@code dataRoot}. */
  public static ImageStore open(DataRoot dataRoot) {
    ImageStore s = new ImageStore(dataRoot);
    try {
      Files.createDirectories(s.blobs);
      Files.createDirectories(s.layers);
      Files.createDirectories(s.tmp);
      Path version = s.root.resolve("format");
      if (!Files.exists(version)) {
        s.writeAtomically(
            version, String.valueOf(FORMAT).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      } else if (!Files.readString(version).strip().equals(String.valueOf(FORMAT))) {
        throw new EngineException(
            "the image store at "
                + s.root
                + " has format "
                + Files.readString(version).strip()
                + ", this jstack reads format "
                + FORMAT
                + ": use a matching jstack, or another --data-root");
      }
      s.removeStaleTemporaries();
    } catch (IOException e) {
      throw failure("open the image store at " + s.root, e);
    }
    return s;
  }

  /** Where the store lives. */
  public Path root() {
    return root;
  }

  /**
   * The data root the store lives in: what a failure for want of space names ({@link DiskFull}).
   */
  public DataRoot dataRoot() {
    return dataRoot;
  }

  /** Whether the blob is present (and so verified). */
  public boolean hasBlob(String digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  /** The file of a present blob. */
  public Path blobPath(String digest) {
    return blobs.resolve(Digests.hex(digest));
  }

  /** A present blob's bytes. */
  public byte[] readBlob(String digest) {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (IOException e) {
      throw failure("read blob " + digest, e);
    }
  }

  /**
   * Stores {@code in} as the blob {@code digest}, after checking that its bytes have that digest
   * (and {@code size} bytes, unless negative); an existing blob is kept.
   *
   * @throws EngineException when the content does not match, naming both digests
   */
  public void putBlob(String digest, long size, InputStream in) throws IOException {
    Path target = blobPath(digest);
    Path temp = newTemporary();
    try {
      MessageDigest md = Digests.sha256();
      long n;
      try (OutputStream out = Files.newOutputStream(temp)) {
        n = 0;
        byte[] buffer = new byte[1 << 17];
        for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
          md.update(buffer, 0, r);
          out.write(buffer, 0, r);
          n += r;
        }
      }
      check(digest, size, Digests.format(md.digest()), n);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Stores the file {@code file}, on the store's file system (below {@link #newTemporary}), as the
   * blob {@code digest} after checking it as {@link #putBlob(String, long, InputStream)} does: by a
   * hard link, so that a staged archive's blob takes no space twice. The caller must not change the
   * file afterwards.
   */
  public void linkBlob(String digest, long size, Path file) throws IOException {
    if (hasBlob(digest)) {
      return;
    }
    MessageDigest md = Digests.sha256();
    long n;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      n = in.transferTo(OutputStream.nullOutputStream());
    }
    check(digest, size, Digests.format(md.digest()), n);
    Path temp = newTemporary();
    try {
      Files.createLink(temp, file);
      moveIntoPlace(temp, blobPath(digest));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Checks that content of digest {@code actual} and {@code n} bytes is the blob expected. */
  private static void check(String digest, long size, String actual, long n) {
    if (!actual.equals(digest)) {
      throw new EngineException(
          "blob "
              + digest
              + " arrived with the content of "
              + actual
              + ": the source is corrupt or was changed; retry, or check it");
    }
    if (size >= 0 && n != size) {
      throw new EngineException(
          "blob " + digest + " has " + n + " bytes, its manifest says " + size);
    }
  }

  /** A stored blob: its digest and size. */
  public record Blob(String digest, long size) {}

  /** Writes a blob's content to a stream. */
  @FunctionalInterface
  public interface BlobWriter {
    /** Writes the whole content to {@code out} (which the store closes). */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Stores what {@code writer} writes as a blob, whose digest is known only once written. */
  public Blob writeBlob(BlobWriter writer) throws IOException {
    Path temp = newTemporary();
    try {
      MessageDigest md = Digests.sha256();
      long size;
      try (OutputStream file = Files.newOutputStream(temp);
          java.security.DigestOutputStream out = new java.security.DigestOutputStream(file, md)) {
        writer.writeTo(out);
        out.flush();
        size = Files.size(temp);
      }
      String digest = Digests.format(md.digest());
      moveIntoPlace(temp, blobPath(digest));
      return new Blob(digest, size);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Stores bytes as a blob and returns their digest. */
  public String putBlob(byte[] content) {
    String digest = Digests.of(content);
    try {
      putBlob(digest, content.length, new java.io.ByteArrayInputStream(content));
    } catch (IOException e) {
      throw failure("store blob " + digest, e);
    }
    return digest;
  }

  /**
   * The unpacked directory of the layer whose uncompressed digest is {@code diffId}, if present.
   */
  public Optional<Path> layer(String diffId) {
    Path p = layers.resolve(Digests.hex(diffId));
    return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Unpacks the uncompressed tar stream {@code tar} as the layer {@code diffId} and returns its
   * directory; a layer already present is kept and the stream left unread.
   *
   * @throws EngineException when the stream's digest is not {@code diffId} or an entry is unsafe
   */
  public Path putLayer(String diffId, InputStream tar) throws IOException {
    Path target = layers.resolve(Digests.hex(diffId));
    if (Files.isDirectory(target)) {
      return target;
    }
    Unpacked unpacked = unpack(tar, "layer " + diffId);
    if (!unpacked.diffId().equals(diffId)) {
      unpacked.discard();
      throw new EngineException(
          "layer "
              + diffId
              + " unpacked to content with digest "
              + unpacked.diffId()
              + ": the image is corrupt; pull it again");
    }
    return unpacked.keep();
  }

  /**
   * Whether {@link #adopt} can take directory {@code dir}: it is on the store's file system, where
   * a rename moves it.
   */
  public boolean canAdopt(Path dir) throws IOException {
    return Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS)
        .equals(Files.getAttribute(layers, "unix:dev", LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Makes directory {@code dir} the unpacked layer {@code diffId} by renaming it, and returns the
   * layer's directory; when the store has that layer already, {@code dir} is left where it is. The
   * caller vouches for the content: {@code dir} is what the tar of digest {@code diffId} unpacks to
   * (it wrote that tar from it, {@link LayerWriter#writeAsLayer}).
   *
   * @throws IOException when {@code dir} cannot be renamed there ({@link #canAdopt} says false)
   */
  public Path adopt(String diffId, Path dir) throws IOException {
    Path target = layers.resolve(Digests.hex(diffId));
    if (Files.isDirectory(target)) {
      return target;
    }
    // As an unpacked layer's top directory, whatever directory it was (a temporary one is 0700).
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // As in Unpacked.keep: another build put the same layer there meanwhile.
      if (!Files.isDirectory(target)) {
        throw raced;
      }
    }
    return target;
  }

  /**
   * A layer unpacked to a temporary directory of the store, named by its content; {@link #keep}
   * puts it in place, {@link #discard} removes it.
   */
  public final class Unpacked {
    private final Path temp;
    private final String diffId;

    private Unpacked(Path temp, String diffId) {
      this.temp = temp;
      this.diffId = diffId;
    }

    /** The digest of the uncompressed tar. */
    public String diffId() {
      return diffId;
    }

    /** Makes it the layer {@link #diffId} (an equal one already present is kept) and returns it. */
    public Path keep() throws IOException {
      Path target = layers.resolve(Digests.hex(diffId));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        // rename(2) onto a directory another process put there meanwhile fails (ENOTEMPTY);
        // theirs is the same verified content.
        if (!Files.isDirectory(target)) {
          discard();
          throw raced;
        }
        discard();
      }
      return target;
    }

    /** Removes the unpacked directory. */
    public void discard() throws IOException {
      LayerUnpacker.removeTree(temp);
    }
  }

  /**
   * Unpacks the uncompressed tar stream {@code tar} (read to its end) to a temporary directory of
   * the store, for {@link Unpacked#keep} or {@link Unpacked#discard}.
   *
   * @throws EngineException when an entry is unsafe
   */
  public Unpacked unpack(InputStream tar) throws IOException {
    return unpack(tar, "a new layer");
  }

  private Unpacked unpack(InputStream tar, String what) throws IOException {
    Path temp = newTemporary();
    Files.createDirectory(temp);
    boolean done = false;
    try {
      MessageDigest md = Digests.sha256();
      DigestInputStream din = new DigestInputStream(tar, md);
      LayerUnpacker.unpack(din, temp, LayerUnpacker.Limits.DEFAULT);
      din.transferTo(OutputStream.nullOutputStream()); // tar padding after the end blocks
      Unpacked unpacked = new Unpacked(temp, Digests.format(md.digest()));
      done = true;
      return unpacked;
    } catch (LayerUnpacker.UnsafeLayerException e) {
      throw new EngineException(what + ": " + e.getMessage() + "; the image is unsafe to run", e);
    } finally {
      if (!done) {
        LayerUnpacker.removeTree(temp);
      }
    }
  }

  /**
   * The manifest digest a tag or digest reference points to (a pull by an index's digest keeps the
   * platform's manifest under that reference).
   */
  public Optional<String> resolve(ImageReference ref) {
    Optional<String> named = Optional.ofNullable(tags().get(ref.toString()));
    if (ref.digest() != null && named.isEmpty()) {
      return hasBlob(ref.digest()) ? Optional.of(ref.digest()) : Optional.empty();
    }
    return named;
  }

  /** Whether {@code text} looks like an image ID or digest (hex, 6 digits or more), not a name. */
  public static boolean isId(String text) {
    return text.replaceFirst("^sha256:", "").matches("[0-9a-f]{6,64}");
  }

  /**
   * The manifest digest of the stored image {@code text} names: (a prefix of) its ID or manifest
   * digest, else a reference.
   *
   * @throws IllegalArgumentException when {@code text} is neither an ID nor a valid reference
   */
  public Optional<String> find(String text) {
    if (isId(text)) {
      String bare = text.replaceFirst("^sha256:", "");
      for (String manifest : new java.util.LinkedHashSet<>(tags().values())) {
        if (image(manifest).configDigest().substring(7).startsWith(bare)
            || manifest.substring(7).startsWith(bare)) {
          return Optional.of(manifest);
        }
      }
    }
    return resolve(ImageReference.parse(text));
  }

  /** Every tag and the manifest digest it points to. */
  public Map<String, String> tags() {
    try {
      if (!Files.exists(tags)) {
        return Map.of();
      }
      Map<String, String> out = new TreeMap<>();
      JSON.readTree(tags.toFile())
          .properties()
          .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    } catch (IOException e) {
      throw failure("read the tags of " + root, e);
    }
  }

  /** Points {@code ref} (a tag) at the stored manifest {@code manifestDigest}. */
  public void tag(ImageReference ref, String manifestDigest) {
    retag(manifestDigest, List.of(ref), List.of());
  }

  /**
   * Points each of {@code refs} at the stored manifest {@code manifestDigest} and removes the tags
   * {@code untag}, in one change of the tag file (a build's tags and its temporary ones).
   */
  public void retag(
      String manifestDigest,
      java.util.Collection<ImageReference> refs,
      java.util.Collection<ImageReference> untag) {
    if (!hasBlob(manifestDigest)) {
      throw new EngineException(
          "cannot tag "
              + (refs.isEmpty() ? "an image" : refs.iterator().next())
              + ": manifest "
              + manifestDigest
              + " is not in the store");
    }
    updateTags(
        t -> {
          for (ImageReference ref : untag) {
            t.remove(ref.toString());
          }
          Set<String> moved = new HashSet<>();
          for (ImageReference ref : refs) {
            // A digest reference without a tag is kept as such (a pull by digest): no tag.
            String key =
                ref.digest() != null && ref.tag() == null
                    ? ref.toString()
                    : ref.withTag(ref.tag() == null ? "latest" : ref.tag()).toString();
            String was = t.put(key, manifestDigest);
            if (was != null && !was.equals(manifestDigest)) {
              moved.add(was);
            }
          }
          // As dockerd: an image whose last name moved to another stays, dangling, until an image
          // prune or rmi takes it (a container may still run on its layers).
          for (String m : moved) {
            if (!t.containsValue(m)) {
              t.put("@" + m, m);
            }
          }
        });
  }

  /**
   * Keeps an untagged image (one an archive loaded or a build made without a name, one whose last
   * name moved, one a container uses after its name was removed) from garbage collection: it is
   * listed under the key {@code @<digest>}, which is no name (a dangling image).
   */
  public void keep(String manifestDigest) {
    updateTags(t -> t.putIfAbsent("@" + manifestDigest, manifestDigest));
  }

  /** What became of an image that lost a name ({@link #settle}). */
  public enum Settled {
    /** Another name or digest reference still points to it. */
    NAMED,
    /** No name, kept dangling (a container uses it). */
    KEPT,
    /** Nothing reaches it any longer: the next collection removes it. */
    UNREFERENCED
  }

  /**
   * Settles the image {@code manifestDigest} after a name of it was removed, in one change of the
   * tag file (so a tag added meanwhile is seen, never lost): still named when any other key but its
   * dangling one points to it; else kept dangling when {@code inUse}; else its dangling key goes.
   */
  public Settled settle(String manifestDigest, boolean inUse) {
    Settled[] out = new Settled[1];
    updateTags(
        t -> {
          boolean named =
              t.entrySet().stream()
                  .anyMatch(
                      e -> !e.getKey().startsWith("@") && e.getValue().equals(manifestDigest));
          if (named) {
            out[0] = Settled.NAMED;
          } else if (inUse) {
            t.put("@" + manifestDigest, manifestDigest);
            out[0] = Settled.KEPT;
          } else {
            t.remove("@" + manifestDigest);
            out[0] = Settled.UNREFERENCED;
          }
        });
    return out[0];
  }

  /** Removes every tag of the image {@code manifestDigest}; returns the keys removed. */
  public List<String> forget(String manifestDigest) {
    List<String> removed = new ArrayList<>();
    updateTags(
        t ->
            t.entrySet()
                .removeIf(
                    e -> {
                      boolean match = e.getValue().equals(manifestDigest);
                      if (match) {
                        removed.add(e.getKey());
                      }
                      return match;
                    }));
    return removed;
  }

  /** Removes a tag; returns whether it existed. */
  public boolean untag(ImageReference ref) {
    return untag(List.of(ref)) == 1;
  }

  /** Removes tags, in one change of the tag file; returns how many existed. */
  public int untag(java.util.Collection<ImageReference> refs) {
    if (refs.isEmpty()) {
      return 0;
    }
    int[] had = {0};
    updateTags(
        t -> {
          for (ImageReference ref : refs) {
            had[0] += t.remove(ref.toString()) != null ? 1 : 0;
          }
        });
    return had[0];
  }

  private void updateTags(java.util.function.Consumer<Map<String, String>> change) {
    locked(
        "update the tags of " + root,
        () -> {
          Map<String, String> t = new TreeMap<>(tags());
          change.accept(t);
          ObjectNode n = JSON.createObjectNode();
          t.forEach(n::put);
          writeAtomically(tags, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
          return t;
        });
  }

  /** What runs under the store's lock. */
  private interface Locked<T> {
    T run() throws IOException;
  }

  /** Runs {@code body} holding the store's lock, against other threads and processes. */
  private <T> T locked(String what, Locked<T> body) {
    Locks.Lock held;
    try {
      held = Locks.exclusive(lock);
    } catch (IOException e) {
      throw failure(what, e);
    }
    try (held) {
      return body.run();
    } catch (IOException e) {
      throw failure(what, e);
    }
  }

  /** A stored image: its manifest, config and layers, as the manifest lists them. */
  public record Image(
      String manifestDigest,
      String configDigest,
      List<Layer> layers,
      List<String> diffIds,
      JsonNode config) {
    public Image {
      layers = List.copyOf(layers);
      diffIds = List.copyOf(diffIds);
    }

    /** The defaults it gives its containers. */
    public ImageConfig defaults() {
      return ImageConfig.of(config);
    }

    /** When it was made (the config's {@code created}), or null when it has none or a bad one. */
    public java.time.@org.jspecify.annotations.Nullable Instant created() {
      String c = config.path("created").asText("");
      try {
        return c.isEmpty() ? null : java.time.Instant.parse(c);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
  }

  /** A layer as a manifest lists it. */
  public record Layer(String digest, String mediaType, long size) {}

  /** The uncompressed tar of a stored layer's blob, whatever its media type's compression. */
  public InputStream openLayer(Layer layer) throws IOException {
    InputStream raw = Files.newInputStream(blobPath(layer.digest()));
    try {
      return RegistryClient.decompress(layer.mediaType(), raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The image whose manifest (a single-platform one) is {@code manifestDigest}. */
  public Image image(String manifestDigest) {
    try {
      JsonNode m = JSON.readTree(readBlob(manifestDigest));
      String configDigest = m.path("config").path("digest").asText();
      List<Layer> ls = new ArrayList<>();
      for (JsonNode l : m.path("layers")) {
        ls.add(
            new Layer(
                l.path("digest").asText(),
                l.path("mediaType").asText(),
                l.path("size").asLong(-1)));
      }
      JsonNode config = JSON.readTree(readBlob(configDigest));
      List<String> diffIds = new ArrayList<>();
      config.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
      if (diffIds.size() != ls.size()) {
        throw new EngineException(
            "image "
                + manifestDigest
                + " lists "
                + ls.size()
                + " layers but its config "
                + diffIds.size()
                + " diff_ids: the image is malformed");
      }
      return new Image(manifestDigest, configDigest, ls, diffIds, config);
    } catch (IOException e) {
      throw failure("read image " + manifestDigest, e);
    }
  }

  /**
   * Removes blobs and layers no tag or hold ({@link ImageHolds}) reaches (and whatever the crashes
   * of other processes left in {@code tmp/}); returns how many entries it removed.
   */
  public int collectGarbage() {
    return collect().removed();
  }

  /** What {@link #collect} removed: how many entries, and their bytes on disk. */
  public record Collected(int removed, long bytes) {}

  /** As {@link #collectGarbage}, also counting the bytes removed. */
  public Collected collect() {
    return locked(
        "collect garbage in " + root,
        () -> {
          Set<String> keepBlobs = new HashSet<>();
          Set<String> keepLayers = new HashSet<>();
          Set<String> reached = new HashSet<>(tags().values());
          ImageHolds.read(ImageHolds.dir(root), "")
              .values()
              .forEach(h -> reached.add(h.manifest()));
          for (String manifest : reached) {
            if (!hasBlob(manifest)) {
              continue;
            }
            Image i = image(manifest);
            keepBlobs.add(Digests.hex(manifest));
            keepBlobs.add(Digests.hex(i.configDigest()));
            i.layers().forEach(l -> keepBlobs.add(Digests.hex(l.digest())));
            i.diffIds().forEach(d -> keepLayers.add(Digests.hex(d)));
          }
          int removed = 0;
          long bytes = 0;
          try (DirectoryStream<Path> all = Files.newDirectoryStream(blobs)) {
            for (Path p : all) {
              if (!keepBlobs.contains(p.getFileName().toString())) {
                bytes += Files.size(p);
                Files.deleteIfExists(p);
                removed++;
              }
            }
          }
          try (DirectoryStream<Path> all = Files.newDirectoryStream(layers)) {
            for (Path p : all) {
              if (!keepLayers.contains(p.getFileName().toString())) {
                bytes += diskUsage(p);
                LayerUnpacker.removeTree(p);
                removed++;
              }
            }
          }
          return new Collected(removed + removeStaleTemporaries(), bytes);
        });
  }

  /** The bytes of the regular files under {@code dir}, links not followed. */
  public static long diskUsage(Path dir) throws IOException {
    long[] total = {0};
    Files.walkFileTree(
        dir,
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path f, java.nio.file.attribute.BasicFileAttributes a) {
            total[0] += a.isRegularFile() ? a.size() : 0;
            return java.nio.file.FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }

  /**
   * A fresh name in {@code tmp/}, tagged with this process's id: where something to be moved into
   * the store can wait on its file system (what is left there when this process is gone is removed
   * when a store opens).
   */
  public Path newTemporary() {
    return tmp.resolve(
        ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /** Removes temporaries whose process is gone; returns how many. */
  private int removeStaleTemporaries() throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(tmp)) {
      for (Path p : all) {
        String name = p.getFileName().toString();
        int dash = name.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(name.substring(0, Math.max(dash, 0)));
        } catch (NumberFormatException e) {
          pid = -1;
        }
        if (pid == ProcessHandle.current().pid()
            || pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        LayerUnpacker.removeTree(p);
        removed++;
      }
    }
    return removed;
  }

  private void writeAtomically(Path target, byte[] content) throws IOException {
    Path temp = newTemporary();
    try {
      Files.write(temp, content);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the store's tmp/ and " + target.getParent() + " must be on one file system", e);
    }
  }

  private static EngineException failure(String what, IOException e) {
    return new EngineException("could not " + what + ": " + e.getMessage(), e);
  }
}
