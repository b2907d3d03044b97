package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives with real tools on the other side: {@code docker save} of Debian's docker (classic
 * layout), {@code skopeo copy ... oci-archive:}, a combined layout built here, and what {@code
 * jstack image save} writes going into {@code docker load}.
 */
class ArchiveIT {
  static final String IMAGE = "jstack-examples/busybox:latest";
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @BeforeAll
  static void image() throws Exception {
    Path repo = Path.of(System.getProperty("jstack.repo.dir"));
    run(repo.resolve("examples/build-image.sh").toString(), "docker");
  }

  @Test
  void classicDockerSave_loadsWithItsNameAndDockersImageId() throws Exception {
    Path tar = dir.resolve("classic.tar");
    run("docker", "save", "-o", tar.toString(), IMAGE);
    ImageStore store = store();
    List<ImageArchives.Loaded> loaded = load(store, tar);

    assertThat(loaded).hasSize(1);
    assertThat(loaded.get(0).reference()).hasToString("docker.io/" + IMAGE);
    ImageStore.Image image = store.image(loaded.get(0).manifestDigest());
    assertThat(image.configDigest())
        .isEqualTo(run("docker", "image", "inspect", "-f", "{{.Id}}", IMAGE).strip());
    assertThat(store.layer(image.diffIds().get(0)).orElseThrow().resolve("bin/busybox"))
        .isRegularFile();
  }

  @Test
  void ociArchiveFromSkopeo_loadsUntaggedWithItsDigests() throws Exception {
    Path classic = dir.resolve("classic.tar");
    Path oci = dir.resolve("oci.tar");
    run("docker", "save", "-o", classic.toString(), IMAGE);
    run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "docker-archive:" + classic,
        "oci-archive:" + oci + ":v1");
    String raw = run("skopeo", "--insecure-policy", "inspect", "--raw", "oci-archive:" + oci);
    String skopeoConfig = ImageStore.JSON.readTree(raw).path("config").path("digest").asText();

    ImageStore store = store();
    List<ImageArchives.Loaded> loaded = load(store, oci);
    assertThat(loaded).hasSize(1);
    assertThat(loaded.get(0).reference()).isNull();
    assertThat(loaded.get(0).manifestDigest())
        .isEqualTo(
            io.jstack.runtime.image.internal.Digests.of(raw.getBytes(StandardCharsets.UTF_8)));
    assertThat(store.image(loaded.get(0).manifestDigest()).configDigest()).isEqualTo(skopeoConfig);
    assertThat(store.tags()).containsValue(loaded.get(0).manifestDigest());
  }

  @Test
  void multiPlatformLayout_withoutAPlatformAskedFor_loadsTheHosts() throws Exception {
    String host = RegistryClient.hostPlatform().split("/")[1];
    String other = host.equals("arm64") ? "amd64" : "arm64";
    java.util.Map<String, String> built =
        TestImages.multiPlatform(dir.resolve("multi"), "v1", other, host);
    Path tar = dir.resolve("multi.tar");
    tarUp(dir.resolve("multi"), tar);

    // The API's load asks for no platform (it threw a NullPointerException on an index).
    List<ImageArchives.Loaded> loaded;
    try (InputStream in = Files.newInputStream(tar)) {
      loaded = ImageArchives.load(store(), in, null);
    }
    assertThat(loaded)
        .extracting(ImageArchives.Loaded::manifestDigest)
        .containsExactly(built.get(host));
  }

  @Test
  void combinedLayout_loadsWithTheNamesOfItsManifestJson() throws Exception {
    TestImages.Built built = TestImages.ociLayout(dir.resolve("layout"), "v3", 0);
    Path layout = dir.resolve("layout");
    Files.writeString(
        layout.resolve("manifest.json"),
        "[{\"Config\":\"blobs/sha256/"
            + built.configDigest().substring(7)
            + "\",\"RepoTags\":[\"combined/app:v3\"],"
            + "\"Layers\":[\"blobs/sha256/"
            + built.layerDigests()[0].substring(7)
            + "\",\"blobs/sha256/"
            + built.layerDigests()[1].substring(7)
            + "\"]}]");
    Path tar = dir.resolve("combined.tar");
    tarUp(layout, tar);

    ImageStore store = store();
    List<ImageArchives.Loaded> loaded = load(store, tar);
    assertThat(loaded)
        .extracting(l -> l.reference().toString())
        .containsExactly("docker.io/combined/app:v3");
    assertThat(loaded.get(0).manifestDigest()).isEqualTo(built.manifestDigest());
    assertThat(store.layer(built.diffIds()[1]).orElseThrow().resolve("var/cache/new"))
        .isRegularFile();
  }

  @Test
  void savedArchive_loadsIntoDockerAndRuns() throws Exception {
    Path tar = dir.resolve("classic.tar");
    run("docker", "save", "-o", tar.toString(), IMAGE);
    ImageStore store = store();
    String name = "jstack-it/saved-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";
    ImageStore.Image image = store.image(load(store, tar).get(0).manifestDigest());
    store.tag(ImageReference.parse(name), image.manifestDigest());
    Path saved = dir.resolve("saved.tar");
    try (OutputStream out = Files.newOutputStream(saved)) {
      ImageArchives.save(store, List.of(ImageReference.parse(name)), out);
    }
    try {
      assertThat(run("docker", "load", "-i", saved.toString())).contains("Loaded image: " + name);
      assertThat(run("docker", "image", "inspect", "-f", "{{.Id}}", name).strip())
          .isEqualTo(image.configDigest());
      assertThat(run("docker", "run", "--rm", name, "sh", "-c", "echo from-jstack"))
          .isEqualTo("from-jstack\n");
      // OCI tools read the same archive.
      assertThat(run("skopeo", "--insecure-policy", "inspect", "oci-archive:" + saved))
          .contains(image.manifestDigest());
    } finally {
      new ProcessBuilder("docker", "rmi", "-f", name).start().waitFor();
    }
  }

  @Test
  void notAnImageArchive_isAClearError() throws Exception {
    Path tar = dir.resolve("junk.tar");
    Files.createDirectories(dir.resolve("junk"));
    Files.writeString(dir.resolve("junk/readme.txt"), "hello");
    tarUp(dir.resolve("junk"), tar);
    assertThatThrownBy(() -> load(store(), tar))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("neither index.json (OCI layout) nor manifest.json (docker save)");
  }

  private ImageStore store() {
    return ImageStore.open(new DataRoot(dir.resolve("root")));
  }

  private static List<ImageArchives.Loaded> load(ImageStore store, Path tar) throws IOException {
    try (InputStream in = Files.newInputStream(tar)) {
      return ImageArchives.load(store, in, RegistryClient.hostPlatform());
    }
  }

  private static void tarUp(Path from, Path tar) throws IOException {
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar));
        Stream<Path> all = Files.walk(from)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(from)) {
          continue;
        }
        TarArchiveEntry e = new TarArchiveEntry(p.toFile(), from.relativize(p).toString());
        out.putArchiveEntry(e);
        if (Files.isRegularFile(p)) {
          Files.copy(p, out);
        }
        out.closeArchiveEntry();
      }
    }
  }

  static String run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(false).start();
    byte[] err = p.getErrorStream().readAllBytes();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor())
        .as(String.join(" ", cmd) + ": " + new String(err, StandardCharsets.UTF_8))
        .isZero();
    return out;
  }
}
