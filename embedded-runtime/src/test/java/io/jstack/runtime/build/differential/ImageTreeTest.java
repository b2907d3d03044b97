package io.jstack.runtime.build.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** A {@code docker save} archive flattened: whiteouts, opaque directories, hard links, config. */
class ImageTreeTest {
  @Test
  void layers_applyInOrder_withWhiteoutsAndOpaqueDirectories() throws Exception {
    byte[] lower =
        layer(
            dir("d/", 0755),
            file("d/a", "a", 0644, 0),
            dir("d/sub/", 0700),
            file("d/sub/b", "b", 0600, 0),
            file("gone", "g", 0644, 0),
            file("keep", "k", 0644, 0),
            dir("opq/", 0755),
            file("opq/old", "o", 0644, 0));
    byte[] upper =
        gzip(
            layer(
                file("d/.wh.sub", "", 0644, 0),
                file(".wh.gone", "", 0644, 0),
                file("opq/.wh..wh..opq", "", 0644, 0),
                file("opq/new", "n", 0640, 7),
                link("hard", "keep"),
                symlink("s", "keep"),
                file("implied/parent/f", "f", 0644, 0)));
    ImageTree t =
        ImageTree.fromSave(
            new ByteArrayInputStream(
                save(
                    "{\"config\":{\"Env\":[\"A=1\"],\"Labels\":{},\"WorkingDir\":\"\",\"Cmd\":null},"
                        + "\"history\":[{},{},{\"empty_layer\":true}]}",
                    lower,
                    upper)));

    assertThat(t.config()).containsExactly(java.util.Map.entry("Env", "[\"A=1\"]"));
    assertThat(t.history()).isEqualTo(3);
    assertThat(t.tree().keySet())
        .containsExactly(
            "/d",
            "/d/a",
            "/hard",
            "/implied",
            "/implied/parent",
            "/implied/parent/f",
            "/keep",
            "/opq",
            "/opq/new",
            "/s");
    assertThat(t.tree().get("/opq/new")).startsWith("/opq/new file 0640 7:7 1 sha256:");
    assertThat(t.tree().get("/hard").substring(5)).isEqualTo(t.tree().get("/keep").substring(5));
    assertThat(t.tree().get("/s")).isEqualTo("/s symlink 0777 0:0 -> keep");
    assertThat(t.tree().get("/implied")).isEqualTo("/implied dir 0755 0:0");
  }

  private static TarArchiveEntry dir(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040000 | mode);
    return e;
  }

  private static TarArchiveEntry file(String name, String content, int mode, int owner) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(content.length());
    e.setIds(owner, owner);
    return e;
  }

  private static TarArchiveEntry link(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setMode(0120777);
    e.setLinkName(target);
    return e;
  }

  /** A layer tar; a regular file's content is as many 'x' as its size says. */
  private static byte[] layer(TarArchiveEntry... entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (TarArchiveEntry e : entries) {
        tar.putArchiveEntry(e);
        if (e.isFile() && !e.isLink()) {
          tar.write("x".repeat((int) e.getSize()).getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private static byte[] save(String config, byte[]... layers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < layers.length; i++) {
        put(tar, "l" + i + "/layer.tar", layers[i]);
        names.append(i == 0 ? "" : ",").append("\"l").append(i).append("/layer.tar\"");
      }
      put(tar, "c.json", config.getBytes(StandardCharsets.UTF_8));
      put(
          tar,
          "manifest.json",
          ("[{\"Config\":\"c.json\",\"Layers\":[" + names + "]}]")
              .getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
