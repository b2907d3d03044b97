package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.image.internal.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Image archives in and out of an {@link ImageStore}: {@code docker save} output (the classic
 * {@code manifest.json} layout, and the newer one that adds {@code oci-layout} and {@code
 * index.json}), and OCI image-layout archives ({@code skopeo copy ... oci-archive:}). Saving writes
 * the combined layout, which both {@code docker load} and OCI tools read.
 */
public final class ImageArchives {
  private static final String CONTAINERD_NAME = "io.containerd.image.name";
  private static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";

  private ImageArchives() {}

  /** One image an archive held: its name (null when untagged) and manifest digest. */
  public record Loaded(@Nullable ImageReference reference, String manifestDigest) {}

  /**
   * Loads every image of the archive {@code tar} into {@code store}, verifying every blob, and tags
   * those the archive names.
   *
   * @throws EngineException when the archive is of no known layout or its content is corrupt
   */
  public static List<Loaded> load(ImageStore store, InputStream tar, @Nullable String platform) {
    return load(store, tar, -1, platform);
  }

  /**
   * As {@link #load(ImageStore, InputStream, String)}, for an archive of {@code size} bytes (-1:
   * unknown). The archive is staged in the store's {@code tmp/}, its blobs linked from there, and
   * its layers unpacked: it needs about twice its size.
   *
   * @throws DiskFull when the data root has not that space: before anything is written when {@code
   *     size} is known and more than what is free, else when a write fails for it (the rest of the
   *     archive is read then, to say how large it is)
   */
  public static List<Loaded> load(
      ImageStore store, InputStream tar, long size, @Nullable String platform) {
    String doing = "loading an image archive";
    Counted counted = new Counted(tar);
    return DiskFull.guard(
        store.dataRoot(),
        doing,
        () -> 2 * Math.max(size, counted.bytes),
        () -> {
          if (size >= 0) {
            DiskFull.require(store.dataRoot(), doing, size, 2 * size);
          }
          return stageAndLoad(store, counted, platform);
        });
  }

  private static List<Loaded> stageAndLoad(
      ImageStore store, Counted tar, @Nullable String platform) {
    Path staging = store.newTemporary();
    try {
      Files.createDirectory(staging);
      Map<String, Path> files;
      try {
        files = stage(tar, staging);
      } catch (IOException e) {
        if (DiskFull.caused(e)) {
          tar.drain();
        }
        throw e;
      }
      if (files.containsKey("index.json")) {
        return loadOci(store, files, platform, classicNames(files));
      }
      if (files.containsKey("manifest.json")) {
        return loadClassic(store, files);
      }
      throw new EngineException(
          "the archive holds neither index.json (OCI layout) nor manifest.json (docker save): it is not an image archive");
    } catch (IOException e) {
      throw new EngineException("could not load the image archive: " + e.getMessage(), e);
    } finally {
      try {
        LayerUnpacker.removeTree(staging);
      } catch (IOException ignored) {
        // The next store opening removes what is left.
      }
    }
  }

  /** The archive as it is read, counting its bytes. */
  private static final class Counted extends java.io.FilterInputStream {
    long bytes;

    Counted(InputStream in) {
      super(in);
    }

    /** Reads the rest, to know the whole archive's size. */
    void drain() throws IOException {
      byte[] buffer = new byte[1 << 16];
      while (read(buffer, 0, buffer.length) >= 0) {
        // Counted by read.
      }
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      bytes += skipped;
      return skipped;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      bytes += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      bytes += Math.max(n, 0);
      return n;
    }
  }

  /** The archive's regular files, written below {@code dir}, by their name; links resolved. */
  private static Map<String, Path> stage(InputStream in, Path dir) throws IOException {
    Map<String, Path> files = new HashMap<>();
    Map<String, String> links = new LinkedHashMap<>();
    TarReader reader = new TarReader(in);
    int n = 0;
    for (TarReader.Entry e = reader.next(); e != null; e = reader.next()) {
      String name = String.join("/", LayerUnpacker.components(e.name()));
      if (e.type() == '0') {
        Path p = dir.resolve("f" + (n++));
        try (OutputStream out = Files.newOutputStream(p)) {
          reader.content().transferTo(out);
        }
        files.put(name, p);
      } else if (e.type() == '2' || e.type() == '1') {
        String target = e.type() == '1' ? e.linkName() : resolveRelative(name, e.linkName());
        links.put(name, String.join("/", LayerUnpacker.components(target)));
      }
    }
    for (int round = 0; round < 8 && !links.isEmpty(); round++) {
      links
          .entrySet()
          .removeIf(
              l -> {
                Path target = files.get(l.getValue());
                if (target != null) {
                  files.put(l.getKey(), target);
                  return true;
                }
                return false;
              });
    }
    return files;
  }

  private static String resolveRelative(String from, String target) throws IOException {
    if (target.startsWith("/")) {
      throw new LayerUnpacker.UnsafeLayerException(from, "the archive links out of itself");
    }
    int slash = from.lastIndexOf('/');
    String base = slash < 0 ? "" : from.substring(0, slash + 1);
    List<String> parts = new ArrayList<>();
    for (String p : (base + target).split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          throw new LayerUnpacker.UnsafeLayerException(from, "the archive links out of itself");
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  private static JsonNode json(Map<String, Path> files, String name) throws IOException {
    Path p = files.get(name);
    if (p == null) {
      throw new EngineException("the archive lacks " + name);
    }
    return ImageStore.JSON.readTree(p.toFile());
  }

  private static void putBlob(ImageStore store, Map<String, Path> files, String digest, long size)
      throws IOException {
    if (store.hasBlob(digest)) {
      return;
    }
    Path p = files.get("blobs/sha256/" + Digests.hex(digest));
    if (p == null) {
      throw new EngineException("the archive lacks blob " + digest);
    }
    store.linkBlob(digest, size, p);
  }

  /** RepoTags of a combined layout's manifest.json, by config digest. */
  private static Map<String, List<String>> classicNames(Map<String, Path> files)
      throws IOException {
    Map<String, List<String>> out = new HashMap<>();
    if (!files.containsKey("manifest.json")) {
      return out;
    }
    for (JsonNode m : json(files, "manifest.json")) {
      String config = m.path("Config").asText();
      String hex = config.substring(config.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
      List<String> tags = new ArrayList<>();
      m.path("RepoTags").forEach(t -> tags.add(t.asText()));
      out.put("sha256:" + hex, tags);
    }
    return out;
  }

  private static List<Loaded> loadOci(
      ImageStore store,
      Map<String, Path> files,
      @Nullable String platform,
      Map<String, List<String>> classicNames)
      throws IOException {
    List<Loaded> loaded = new ArrayList<>();
    for (JsonNode d : json(files, "index.json").path("manifests")) {
      String digest = d.path("digest").asText();
      putBlob(store, files, digest, d.path("size").asLong(-1));
      JsonNode m = ImageStore.JSON.readTree(store.readBlob(digest));
      String manifestDigest = digest;
      if (m.has("manifests")) {
        manifestDigest = null;
        // Without a platform asked for (the API's load), the host's, as dockerd picks.
        String[] want = (platform != null ? platform : RegistryClient.hostPlatform()).split("/");
        for (JsonNode c : m.path("manifests")) {
          JsonNode p = c.path("platform");
          if (p.path("os").asText().equals(want[0])
              && p.path("architecture").asText().equals(want[1])) {
            manifestDigest = c.path("digest").asText();
            putBlob(store, files, manifestDigest, c.path("size").asLong(-1));
            m = ImageStore.JSON.readTree(store.readBlob(manifestDigest));
            break;
          }
        }
        if (manifestDigest == null) {
          throw new EngineException(
              "the archive's image " + digest + " has no variant for " + platform);
        }
      }
      String configDigest = m.path("config").path("digest").asText();
      putBlob(store, files, configDigest, m.path("config").path("size").asLong(-1));
      for (JsonNode l : m.path("layers")) {
        putBlob(store, files, l.path("digest").asText(), l.path("size").asLong(-1));
      }
      unpackLayers(store, manifestDigest);
      Set<String> names = new LinkedHashSet<>();
      JsonNode ann = d.path("annotations");
      if (ann.hasNonNull(CONTAINERD_NAME)) {
        names.add(ann.get(CONTAINERD_NAME).asText());
      } else if (ann.hasNonNull(OCI_REF_NAME) && isFullReference(ann.get(OCI_REF_NAME).asText())) {
        names.add(ann.get(OCI_REF_NAME).asText());
      }
      names.addAll(classicNames.getOrDefault(configDigest, List.of()));
      loaded.addAll(record(store, names, manifestDigest));
    }
    return loaded;
  }

  private static boolean isFullReference(String s) {
    return s.contains("/") || s.contains(":");
  }

  private static List<Loaded> loadClassic(ImageStore store, Map<String, Path> files)
      throws IOException {
    List<Loaded> loaded = new ArrayList<>();
    for (JsonNode m : json(files, "manifest.json")) {
      Path configFile = files.get(m.path("Config").asText());
      if (configFile == null) {
        throw new EngineException("the archive lacks " + m.path("Config").asText());
      }
      byte[] config = Files.readAllBytes(configFile);
      String configDigest = store.putBlob(config);
      JsonNode diffIds = ImageStore.JSON.readTree(config).path("rootfs").path("diff_ids");
      ObjectNode manifest = ImageStore.JSON.createObjectNode();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", RegistryClient.OCI_MANIFEST);
      ObjectNode c = manifest.putObject("config");
      c.put("mediaType", "application/vnd.oci.image.config.v1+json");
      c.put("digest", configDigest);
      c.put("size", config.length);
      ArrayNode layers = manifest.putArray("layers");
      int i = 0;
      for (JsonNode l : m.path("Layers")) {
        Path layer = files.get(l.asText());
        if (layer == null) {
          throw new EngineException("the archive lacks " + l.asText());
        }
        String digest;
        String mediaType;
        try (InputStream in = Files.newInputStream(layer)) {
          byte[] head = in.readNBytes(4);
          mediaType =
              head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b
                  ? "application/vnd.oci.image.layer.v1.tar+gzip"
                  : head.length == 4
                          && (head[0] & 0xff) == 0x28
                          && (head[1] & 0xff) == 0xb5
                          && (head[2] & 0xff) == 0x2f
                          && (head[3] & 0xff) == 0xfd
                      ? "application/vnd.oci.image.layer.v1.tar+zstd"
                      : "application/vnd.oci.image.layer.v1.tar";
        }
        try (InputStream in = Files.newInputStream(layer)) {
          digest = Digests.format(digestOf(in));
        }
        if (mediaType.endsWith(".tar")
            && i < diffIds.size()
            && !digest.equals(diffIds.get(i).asText())) {
          throw new EngineException(
              "layer "
                  + l.asText()
                  + " of the archive has digest "
                  + digest
                  + ", its config says "
                  + diffIds.get(i).asText()
                  + ": the archive is corrupt");
        }
        store.linkBlob(digest, Files.size(layer), layer);
        ObjectNode ln = layers.addObject();
        ln.put("mediaType", mediaType);
        ln.put("digest", digest);
        ln.put("size", Files.size(layer));
        i++;
      }
      String manifestDigest = store.putBlob(ImageStore.JSON.writeValueAsBytes(manifest));
      unpackLayers(store, manifestDigest);
      Set<String> names = new LinkedHashSet<>();
      m.path("RepoTags").forEach(t -> names.add(t.asText()));
      loaded.addAll(record(store, names, manifestDigest));
    }
    return loaded;
  }

  private static byte[] digestOf(InputStream in) throws IOException {
    java.security.MessageDigest md = Digests.sha256();
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      md.update(buffer, 0, n);
    }
    return md.digest();
  }

  private static void unpackLayers(ImageStore store, String manifestDigest) throws IOException {
    ImageStore.Image image = store.image(manifestDigest);
    for (int i = 0; i < image.layers().size(); i++) {
      ImageStore.Layer l = image.layers().get(i);
      String diffId = image.diffIds().get(i);
      if (store.layer(diffId).isEmpty()) {
        try (InputStream raw = Files.newInputStream(store.blobPath(l.digest()));
            InputStream tar = RegistryClient.decompress(l.mediaType(), raw)) {
          store.putLayer(diffId, tar);
        }
      }
    }
  }

  private static List<Loaded> record(ImageStore store, Set<String> names, String manifestDigest) {
    List<Loaded> out = new ArrayList<>();
    for (String n : names) {
      ImageReference ref = ImageReference.parse(n);
      store.tag(ref, manifestDigest);
      out.add(new Loaded(ref, manifestDigest));
    }
    if (out.isEmpty()) {
      store.keep(manifestDigest);
      out.add(new Loaded(null, manifestDigest));
    }
    return out;
  }

  /**
   * Writes the stored images {@code refs} as one archive in the combined layout: {@code
   * oci-layout}, {@code index.json} and {@code blobs/sha256/} for OCI tools, and {@code
   * manifest.json} for {@code docker load}.
   */
  public static void save(ImageStore store, List<ImageReference> refs, OutputStream out) {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Set<String> written = new LinkedHashSet<>();
      ObjectNode index = ImageStore.JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", RegistryClient.OCI_INDEX);
      ArrayNode manifests = index.putArray("manifests");
      ArrayNode classic = ImageStore.JSON.createArrayNode();
      dir(tar, "blobs/");
      dir(tar, "blobs/sha256/");
      for (ImageReference ref : refs) {
        String digest =
            store
                .resolve(ref)
                .orElseThrow(
                    () ->
                        new EngineException(
                            "no image " + ref + " in the store: pull or load it first"));
        ImageStore.Image image = store.image(digest);
        List<String> blobs = new ArrayList<>();
        blobs.add(digest);
        blobs.add(image.configDigest());
        image.layers().forEach(l -> blobs.add(l.digest()));
        for (String b : blobs) {
          if (written.add(b)) {
            Path p = store.blobPath(b);
            TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + Digests.hex(b));
            e.setSize(Files.size(p));
            e.setMode(0644);
            tar.putArchiveEntry(e);
            Files.copy(p, tar);
            tar.closeArchiveEntry();
          }
        }
        byte[] manifest = store.readBlob(digest);
        ObjectNode d = manifests.addObject();
        d.put(
            "mediaType",
            ImageStore.JSON
                .readTree(manifest)
                .path("mediaType")
                .asText(RegistryClient.OCI_MANIFEST));
        d.put("digest", digest);
        d.put("size", manifest.length);
        ObjectNode ann = d.putObject("annotations");
        ann.put(CONTAINERD_NAME, ref.toString());
        if (ref.tag() != null) {
          ann.put(OCI_REF_NAME, ref.tag());
        }
        ObjectNode c = classic.addObject();
        c.put("Config", "blobs/sha256/" + Digests.hex(image.configDigest()));
        ArrayNode tags = c.putArray("RepoTags");
        if (ref.tag() != null) {
          tags.add(dockerName(ref));
        }
        ArrayNode layers = c.putArray("Layers");
        image.layers().forEach(l -> layers.add("blobs/sha256/" + Digests.hex(l.digest())));
      }
      file(
          tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      file(tar, "index.json", ImageStore.JSON.writeValueAsBytes(index));
      file(tar, "manifest.json", ImageStore.JSON.writeValueAsBytes(classic));
      tar.finish();
    } catch (IOException e) {
      throw new EngineException("could not write the image archive: " + e.getMessage(), e);
    }
  }

  /** The short form Docker prints: {@code busybox:latest} for Docker Hub's library images. */
  static String dockerName(ImageReference ref) {
    String name =
        ref.registry().equals(ImageReference.DOCKER_HUB)
            ? ref.repository().replaceFirst("^library/", "")
            : ref.registry() + "/" + ref.repository();
    return name + ":" + ref.tag();
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(0644);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
