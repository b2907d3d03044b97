package io.jstack.engine.testing.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Test images built from Debian's busybox-static: as OCI image layouts, a base layer (busybox, its
 * applet symlinks, a hard link, a setuid file, /etc) and a second layer that whites out a file and
 * makes a directory opaque; as {@code docker save} archives, one layer to run shells from.
 */
public final class TestImages {
  private TestImages() {}

  /** What {@link #ociLayout} wrote. */
  public record Built(
      String manifestDigest, String configDigest, String[] layerDigests, String[] diffIds) {}

  public static Built ociLayout(Path dir, String tag, int padMegabytes) throws IOException {
    return ociLayout(dir, tag, padMegabytes, "amd64");
  }

  /**
   * A multi-platform image: one manifest per architecture (same layers, own configs) under an image
   * index that {@code tag} names; returns the index digest and each manifest's by arch.
   */
  public static java.util.Map<String, String> multiPlatform(
      Path dir, String tag, String... architectures) throws IOException {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    StringBuilder entries = new StringBuilder();
    for (String arch : architectures) {
      Built b = ociLayout(dir, tag, 0, arch);
      byte[] manifest =
          Files.readAllBytes(dir.resolve("blobs/sha256/" + b.manifestDigest().substring(7)));
      out.put(arch, b.manifestDigest());
      entries
          .append(entries.length() == 0 ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
          .append(b.manifestDigest())
          .append("\",\"size\":")
          .append(manifest.length)
          .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"")
          .append(arch)
          .append("\"}}");
    }
    byte[] index =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entries
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    String indexDigest = blob(dir, index);
    out.put("index", indexDigest);
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\""
            + indexDigest
            + "\",\"size\":"
            + index.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + tag
            + "\"}}]}");
    return out;
  }

  /** {@link #ociLayout(Path, String, int)} for the architecture {@code arch}. */
  public static Built ociLayout(Path dir, String tag, int padMegabytes, String arch)
      throws IOException {
    return ociLayout(dir, tag, padMegabytes, arch, true);
  }

  /**
   * {@link #ociLayout(Path, String, int)} padded with zeros rather than noise: its base layer
   * unpacks to about a thousand times its compressed size, which the manifest does not tell.
   */
  public static Built ociLayoutOfZeros(Path dir, String tag, int padMegabytes) throws IOException {
    return ociLayout(dir, tag, padMegabytes, "amd64", false);
  }

  private static Built ociLayout(Path dir, String tag, int padMegabytes, String arch, boolean noisy)
      throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    FileTime t = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
    byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    byte[] base =
        tar(
            out -> {
              dir(out, "bin/", 0755, t);
              file(out, "bin/busybox", 0755, busybox, t);
              link(out, "bin/sh", "busybox", TarConstants.LF_SYMLINK, t);
              link(out, "bin/ls", "/bin/busybox", TarConstants.LF_SYMLINK, t);
              link(out, "bin/busybox-again", "bin/busybox", TarConstants.LF_LINK, t);
              dir(out, "etc/", 0755, t);
              file(
                  out,
                  "etc/passwd",
                  0644,
                  "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8),
                  t);
              file(out, "etc/motd", 0644, "hello\n".getBytes(StandardCharsets.UTF_8), t);
              file(out, "usr/bin/su-ish", 04755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), t);
              dir(out, "var/cache/", 0755, t);
              file(out, "var/cache/old", 0644, "old".getBytes(StandardCharsets.UTF_8), t);
              if (padMegabytes > 0) {
                byte[] noise = new byte[padMegabytes << 20];
                if (noisy) {
                  new java.util.Random(tag.hashCode()).nextBytes(noise);
                }
                file(out, "opt/noise.bin", 0644, noise, t);
              }
            });
    byte[] top =
        tar(
            out -> {
              file(out, "etc/.wh.motd", 0644, new byte[0], t);
              file(out, "var/cache/.wh..wh..opq", 0644, new byte[0], t);
              file(out, "var/cache/new", 0644, "new".getBytes(StandardCharsets.UTF_8), t);
            });
    byte[][] layers = {base, top};
    String[] layerDigests = new String[2];
    String[] diffIds = new String[2];
    StringBuilder layerJson = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      byte[] gz = gzip(layers[i]);
      diffIds[i] = digest(layers[i]);
      layerDigests[i] = blob(dir, gz);
      layerJson
          .append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
          .append(layerDigests[i])
          .append("\",\"size\":")
          .append(gz.length)
          .append('}');
    }
    byte[] config =
        ("{\"architecture\":\""
                + arch
                + "\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"],\"Env\":[\"PATH=/bin:/usr/bin\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffIds[0]
                + "\",\""
                + diffIds[1]
                + "\"]},"
                + "\"history\":[{\"created_by\":\"jstack test "
                + tag
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = blob(dir, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest
                + "\",\"size\":"
                + config.length
                + "},"
                + "\"layers\":["
                + layerJson
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    String manifestDigest = blob(dir, manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + manifestDigest
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + tag
            + "\"}}]}");
    return new Built(manifestDigest, configDigest, layerDigests, diffIds);
  }

  /**
   * A {@code docker save} archive of one image named {@code tag}: a {@link #busyboxLayer()}, and a
   * config with {@code labels}, command {@code sh} and a history naming the tag (so that each tag
   * gives an image of its own id). Every engine loads it: dockerd, jstack's engine, the fake (which
   * reads its manifest and config).
   */
  public static byte[] dockerArchive(String tag, java.util.Map<String, String> labels)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    byte[] layer = busyboxLayer();
    String diffId = digest(layer);
    ObjectNode config = json.createObjectNode();
    config.put("architecture", hostArchitecture());
    config.put("os", "linux");
    config.put("created", "2024-01-02T03:04:05Z");
    ObjectNode run = config.putObject("config");
    run.putArray("Cmd").add("sh");
    run.putArray("Env").add("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    ObjectNode labelNode = run.putObject("Labels");
    new java.util.TreeMap<>(labels).forEach(labelNode::put);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId);
    config
        .putArray("history")
        .addObject()
        .put("created", "2024-01-02T03:04:05Z")
        .put("created_by", "jstack test " + tag);
    byte[] configBytes = json.writeValueAsBytes(config);
    String configFile = digest(configBytes).substring("sha256:".length()) + ".json";
    String layerFile = diffId.substring("sha256:".length()) + "/layer.tar";
    ArrayNode manifest = json.createArrayNode();
    ObjectNode entry = manifest.addObject();
    entry.put("Config", configFile);
    entry.putArray("RepoTags").add(tag);
    entry.putArray("Layers").add(layerFile);
    FileTime t = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
    return tar(
        out -> {
          file(out, configFile, 0644, configBytes, t);
          dir(out, layerFile.substring(0, layerFile.indexOf('/') + 1), 0755, t);
          file(out, layerFile, 0644, layer, t);
          file(out, "manifest.json", 0644, json.writeValueAsBytes(manifest), t);
        });
  }

  /** The host's architecture as images name it ({@code amd64}, {@code arm64}). */
  private static String hostArchitecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  /**
   * One layer with Debian's busybox-static, all its applets as links, /etc/passwd and /etc/group
   * (root and nobody), and a sticky /tmp: enough to run shells in containers.
   */
  public static byte[] busyboxLayer() throws IOException {
    FileTime t = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
    byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    Process list = new ProcessBuilder("/bin/busybox", "--list").start();
    String[] applets =
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
    return tar(
        out -> {
          dir(out, "bin/", 0755, t);
          file(out, "bin/busybox", 0755, busybox, t);
          for (String a : applets) {
            if (!a.isBlank() && !a.equals("busybox")) {
              link(out, "bin/" + a.strip(), "busybox", TarConstants.LF_SYMLINK, t);
            }
          }
          dir(out, "etc/", 0755, t);
          file(
              out,
              "etc/passwd",
              0644,
              "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
                  .getBytes(StandardCharsets.UTF_8),
              t);
          file(
              out,
              "etc/group",
              0644,
              "root:x:0:\nnogroup:x:65534:\nwheel:x:10:nobody\n".getBytes(StandardCharsets.UTF_8),
              t);
          dir(out, "tmp/", 01777, t);
          dir(out, "root/", 0700, t);
        });
  }

  private interface TarBody {
    void write(TarArchiveOutputStream out) throws IOException;
  }

  private static byte[] tar(TarBody body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(b)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      body.write(out);
    }
    return b.toByteArray();
  }

  private static void dir(TarArchiveOutputStream out, String name, int mode, FileTime t)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
    e.setMode(mode);
    e.setLastModifiedTime(t);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  private static void file(
      TarArchiveOutputStream out, String name, int mode, byte[] content, FileTime t)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setMode(mode);
    e.setSize(content.length);
    e.setLastModifiedTime(t);
    out.putArchiveEntry(e);
    out.write(content);
    out.closeArchiveEntry();
  }

  private static void link(
      TarArchiveOutputStream out, String name, String target, byte type, FileTime t)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    e.setMode(0777);
    e.setLastModifiedTime(t);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(data);
    }
    return b.toByteArray();
  }

  /** The content's digest as an OCI descriptor names it: {@code sha256:} and 64 hex digits. */
  public static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String blob(Path dir, byte[] content) throws IOException {
    String d = digest(content);
    Files.write(dir.resolve("blobs/sha256/" + d.substring(7)), content);
    return d;
  }
}
