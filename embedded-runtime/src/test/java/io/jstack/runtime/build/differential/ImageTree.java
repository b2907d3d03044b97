package io.jstack.runtime.build.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * An image as {@code docker save} writes it, reduced to what the differential suite compares: the
 * config fields {@code docker build} sets, the number of history entries, and the file tree of its
 * layers applied in order (OCI whiteouts and opaque directories honoured), one line per path.
 *
 * @param config the compared config fields, by name; absent, {@code null}, empty lists, empty
 *     objects and empty strings are all left out, so that they compare equal
 * @param history the number of history entries, empty layers included
 * @param tree {@code PATH TYPE MODE UID:GID [SIZE sha256:HASH | -> TARGET]}, by path
 */
record ImageTree(Map<String, String> config, int history, Map<String, String> tree) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The config fields compared, as {@code docker image inspect} names them. */
  static final List<String> FIELDS =
      List.of(
          "Env",
          "Cmd",
          "Entrypoint",
          "WorkingDir",
          "User",
          "ExposedPorts",
          "Volumes",
          "Labels",
          "Healthcheck",
          "StopSignal",
          "Shell",
          "OnBuild");

  /** Reads the archive {@code docker save} wrote for one image. */
  static ImageTree fromSave(InputStream save) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(save)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          files.put(strip(e.getName()), tar.readAllBytes());
        }
      }
    }
    JsonNode manifest = JSON.readTree(need(files, "manifest.json")).get(0);
    JsonNode config = JSON.readTree(need(files, strip(manifest.get("Config").asText())));
    Map<String, String> picked = new LinkedHashMap<>();
    JsonNode c = config.path("config");
    for (String f : FIELDS) {
      JsonNode v = c.get(f);
      if (v != null && !v.isNull() && !v.isEmpty() && !(v.isTextual() && v.asText().isEmpty())) {
        picked.put(f, v.toString());
      }
    }
    Map<String, Node> nodes = new TreeMap<>();
    for (JsonNode layer : manifest.get("Layers")) {
      apply(nodes, need(files, strip(layer.asText())));
    }
    addParents(nodes);
    Map<String, String> tree = new TreeMap<>();
    nodes.forEach((p, n) -> tree.put(p, n.line(p)));
    return new ImageTree(picked, config.path("history").size(), tree);
  }

  private static byte[] need(Map<String, byte[]> files, String name) throws IOException {
    byte[] b = files.get(name);
    if (b == null) {
      throw new IOException("docker save wrote no " + name + "; it has " + files.keySet());
    }
    return b;
  }

  /** One path of the tree. */
  private record Node(String type, int mode, long uid, long gid, long size, String what) {
    String line(String path) {
      String head = String.format("%s %s %04o %d:%d", path, type, mode, uid, gid);
      return switch (type) {
        case "file" -> head + " " + size + " " + what;
        case "symlink" -> head + " -> " + what;
        case "char", "block" -> head + " " + what;
        default -> head;
      };
    }
  }

  /** Applies one layer: its whiteouts remove from the layers below, then its entries land. */
  private static void apply(Map<String, Node> nodes, byte[] layer) throws IOException {
    Map<String, Node> added = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(layer))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String path = "/" + strip(e.getName());
        if (path.equals("/")) {
          continue;
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (base.equals(".wh..wh..opq")) {
          opaque.add(parent);
          continue;
        }
        if (base.startsWith(".wh.")) {
          removed.add(parent + "/" + base.substring(4));
          continue;
        }
        int mode = e.getMode() & 07777;
        Node n;
        if (e.isDirectory()) {
          n = new Node("dir", mode, e.getLongUserId(), e.getLongGroupId(), 0, "");
        } else if (e.isSymbolicLink()) {
          n = new Node("symlink", mode, e.getLongUserId(), e.getLongGroupId(), 0, e.getLinkName());
        } else if (e.isLink()) {
          String target = "/" + strip(e.getLinkName());
          Node t = added.containsKey(target) ? added.get(target) : nodes.get(target);
          if (t == null) {
            throw new IOException("hard link " + path + " to a missing " + target);
          }
          n = t;
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
          n =
              new Node(
                  e.isCharacterDevice() ? "char" : "block",
                  mode,
                  e.getLongUserId(),
                  e.getLongGroupId(),
                  0,
                  e.getDevMajor() + "," + e.getDevMinor());
        } else if (e.isFIFO()) {
          n = new Node("fifo", mode, e.getLongUserId(), e.getLongGroupId(), 0, "");
        } else {
          byte[] content = tar.readAllBytes();
          n =
              new Node(
                  "file",
                  mode,
                  e.getLongUserId(),
                  e.getLongGroupId(),
                  content.length,
                  "sha256:" + sha256(content));
        }
        added.put(path, n);
      }
    }
    for (String dir : opaque) {
      nodes.keySet().removeIf(p -> p.startsWith(dir + "/"));
    }
    for (String p : removed) {
      nodes.keySet().removeIf(q -> q.equals(p) || q.startsWith(p + "/"));
    }
    for (Map.Entry<String, Node> a : added.entrySet()) {
      if (!a.getValue().type().equals("dir")) {
        nodes.keySet().removeIf(q -> q.startsWith(a.getKey() + "/"));
      }
      nodes.put(a.getKey(), a.getValue());
    }
  }

  /** Directories a layer implies without an entry of their own, as Docker makes them. */
  private static void addParents(Map<String, Node> nodes) {
    for (String p : List.copyOf(nodes.keySet())) {
      for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
        nodes.putIfAbsent(p.substring(0, i), new Node("dir", 0755, 0, 0, 0, ""));
      }
    }
  }

  private static InputStream decompressed(byte[] layer) throws IOException {
    InputStream in = new BufferedInputStream(new ByteArrayInputStream(layer));
    try {
      String kind = CompressorStreamFactory.detect(in);
      return new CompressorStreamFactory().createCompressorInputStream(kind, in);
    } catch (CompressorException notCompressed) {
      return in;
    }
  }

  private static String strip(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name;
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
