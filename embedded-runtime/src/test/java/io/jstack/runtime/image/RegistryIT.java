package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.internal.NativeFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull and push against Debian's docker-registry on 127.0.0.1, with Debian's skopeo as the other
 * side: what skopeo pushes jstack pulls with the same digests, and what jstack pushes to a fresh
 * repository skopeo copies back with the same digests.
 */
class RegistryIT {
  static LocalRegistry registry;
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pullsWhatSkopeoPushed_sameDigests_layersUnpackedForOverlay() throws Exception {
    String repo = "it/busybox-" + UUID.randomUUID().toString().substring(0, 8);
    TestImages.Built built = TestImages.ociLayout(dir.resolve("oci"), "v1", 0);
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "oci:" + dir.resolve("oci") + ":v1",
        "docker://" + registry.host + "/" + repo + ":v1");
    String skopeoDigest =
        inspect("docker://" + registry.host + "/" + repo + ":v1").path("Digest").asText();

    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    List<RegistryClient.Progress> events = new ArrayList<>();
    RegistryClient client =
        new RegistryClient(
            store,
            RegistryClient.Options.defaults(),
            e -> {
              synchronized (events) {
                events.add(e);
              }
            });
    String digest = client.pull(ImageReference.parse(registry.host + "/" + repo + ":v1"));

    assertThat(digest).isEqualTo(skopeoDigest).isEqualTo(built.manifestDigest());
    assertThat(store.resolve(ImageReference.parse(registry.host + "/" + repo + ":v1")))
        .contains(digest);
    ImageStore.Image image = store.image(digest);
    assertThat(image.configDigest()).isEqualTo(built.configDigest());
    assertThat(image.diffIds()).containsExactly(built.diffIds());
    Path base = store.layer(built.diffIds()[0]).orElseThrow();
    Path top = store.layer(built.diffIds()[1]).orElseThrow();
    assertThat(Files.readAllBytes(base.resolve("bin/busybox")))
        .isEqualTo(Files.readAllBytes(Path.of("/bin/busybox")));
    assertThat(Files.readSymbolicLink(base.resolve("bin/sh")).toString()).isEqualTo("busybox");
    assertThat(Files.getAttribute(base.resolve("bin/busybox-again"), "unix:ino"))
        .isEqualTo(Files.getAttribute(base.resolve("bin/busybox"), "unix:ino"));
    assertThat((int) Files.getAttribute(base.resolve("usr/bin/su-ish"), "unix:mode") & 07777)
        .isEqualTo(04755);
    assertThat(Files.getAttribute(top.resolve("etc/motd"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(0020000);
    assertThat(NativeFs.getXattrText(top.resolve("var/cache"), "trusted.overlay.opaque"))
        .isEqualTo("y");
    assertThat(events)
        .anyMatch(e -> e.status().equals("Download complete"))
        .anyMatch(e -> e.status().startsWith("Digest: "));

    // A second pull finds everything present and fetches nothing.
    events.clear();
    assertThat(client.pull(ImageReference.parse(registry.host + "/" + repo + "@" + digest)))
        .isEqualTo(digest);
    assertThat(events).noneMatch(e -> e.status().equals("Downloading"));

    // Pulled by its digest alone into another store, it is named by that reference, so no
    // collection takes it (dockerd lists it with a digest and no tag).
    ImageStore byDigest = ImageStore.open(new DataRoot(dir.resolve("by-digest")));
    ImageReference pinned = ImageReference.parse(registry.host + "/" + repo + "@" + digest);
    assertThat(
            new RegistryClient(byDigest, RegistryClient.Options.defaults(), e -> {}).pull(pinned))
        .isEqualTo(digest);
    assertThat(byDigest.tags()).containsExactly(java.util.Map.entry(pinned.toString(), digest));
    byDigest.collectGarbage();
    assertThat(byDigest.image(digest).diffIds()).containsExactly(built.diffIds());
    for (String diffId : built.diffIds()) {
      assertThat(byDigest.layer(diffId)).as("layer " + diffId).isPresent();
    }
  }

  @Test
  void pushToAFreshRepository_skopeoCopiesItBackWithTheSameDigests() throws Exception {
    String source = "it/source-" + UUID.randomUUID().toString().substring(0, 8);
    List<RegistryClient.Progress> events =
        java.util.Collections.synchronizedList(new ArrayList<>());
    TestImages.Built built = TestImages.ociLayout(dir.resolve("oci"), "v2", 1);
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "oci:" + dir.resolve("oci") + ":v2",
        "docker://" + registry.host + "/" + source + ":v2");
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    // Small chunks, so that the 1 MiB layer goes up in several PATCH requests.
    RegistryClient client =
        new RegistryClient(
            store, RegistryClient.Options.defaults().withChunkSize(256 << 10), events::add);
    ImageReference pulled = ImageReference.parse(registry.host + "/" + source + ":v2");
    client.pull(pulled);

    String fresh = "it/fresh-" + UUID.randomUUID().toString().substring(0, 8);
    ImageReference target = ImageReference.parse(registry.host + "/" + fresh + ":pushed");
    events.clear();
    String digest = client.push(pulled, target);
    assertThat(digest).isEqualTo(built.manifestDigest());

    JsonNode seen = inspect("docker://" + registry.host + "/" + fresh + ":pushed");
    assertThat(seen.path("Digest").asText()).isEqualTo(digest);
    List<String> layers = new ArrayList<>();
    seen.path("Layers").forEach(l -> layers.add(l.asText()));
    assertThat(layers).containsExactly(built.layerDigests());
    Path back = dir.resolve("back");
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "docker://" + registry.host + "/" + fresh + ":pushed",
        "oci:" + back + ":x");
    for (String d : built.layerDigests()) {
      assertThat(back.resolve("blobs/sha256/" + d.substring(7))).exists();
    }
    assertThat(back.resolve("blobs/sha256/" + built.configDigest().substring(7))).exists();
    assertThat(back.resolve("blobs/sha256/" + digest.substring(7))).exists();
    // Every blob was really uploaded (a fresh repository has none), the big one in chunks.
    assertThat(events.stream().filter(e -> e.status().equals("Pushed"))).hasSize(3);
    assertThat(events.stream().filter(e -> e.status().equals("Pushing") && e.current() > 0))
        .hasSizeGreaterThan(3);
    assertThat(events).noneMatch(e -> e.status().equals("Layer already exists"));
  }

  @Test
  void multiPlatformImage_picksTheHostsOrTheAskedPlatform() throws Exception {
    String repo =
        registry.host + "/it/multi-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";
    java.util.Map<String, String> digests =
        TestImages.multiPlatform(dir.resolve("oci"), "v1", "amd64", "arm64");
    skopeo(
        "copy",
        "--all",
        "--dest-tls-verify=false",
        "oci:" + dir.resolve("oci") + ":v1",
        "docker://" + repo);
    assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + repo))
        .contains(digests.get("arm64"));

    RegistryClient.Options host = RegistryClient.Options.defaults();
    ImageStore a = ImageStore.open(new DataRoot(dir.resolve("a")));
    assertThat(new RegistryClient(a, host, e -> {}).pull(ImageReference.parse(repo)))
        .isEqualTo(digests.get("amd64"));
    assertThat(a.image(digests.get("amd64")).config().path("architecture").asText())
        .isEqualTo("amd64");

    RegistryClient.Options arm = host.withPlatform("linux/arm64");
    ImageStore b = ImageStore.open(new DataRoot(dir.resolve("b")));
    assertThat(new RegistryClient(b, arm, e -> {}).pull(ImageReference.parse(repo)))
        .isEqualTo(digests.get("arm64"));

    RegistryClient.Options s390 = host.withPlatform("linux/s390x");
    assertThatThrownBy(() -> new RegistryClient(b, s390, e -> {}).pull(ImageReference.parse(repo)))
        .hasMessageContaining(
            "has no variant for linux/s390x (it has linux/amd64, linux/arm64): pick one with --platform");
  }

  @Test
  void unknownImage_failsNamingIt() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    RegistryClient client = new RegistryClient(store, RegistryClient.Options.defaults(), e -> {});
    assertThatThrownBy(
            () -> client.pull(ImageReference.parse(registry.host + "/it/nothing-here:v9")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("manifest of " + registry.host + "/it/nothing-here:v9 failed: 404")
        .hasMessageContaining("MANIFEST_UNKNOWN");
    assertThat(store.tags()).isEmpty();
  }

  private static JsonNode inspect(String image) throws Exception {
    return new ObjectMapper().readTree(skopeo("inspect", "--tls-verify=false", image));
  }

  private static String skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}
