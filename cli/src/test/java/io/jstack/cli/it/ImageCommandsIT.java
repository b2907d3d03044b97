package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jstack image ...} on the embedded store, with Debian's docker-registry, skopeo and docker
 * on the other side of every exchange.
 */
class ImageCommandsIT {
  static LocalRegistry registry;
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @BeforeAll
  static void start() throws Exception {
    Docker.requireExampleImage();
    registry = LocalRegistry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private JstackRunner jstack() {
    return new JstackRunner(
        Map.of("JSTACK_DATA_ROOT", dir.resolve("data").toString(), "HOME", dir.toString()));
  }

  private static String[] none() {
    return new String[0];
  }

  @Test
  void pullLsInspectTagPushRm_roundTripWithSkopeo() throws Exception {
    String repo = registry.host + "/it/app-" + UUID.randomUUID().toString().substring(0, 8);
    TestImages.Built built = TestImages.ociLayout(dir.resolve("oci"), "v1", 0);
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "oci:" + dir.resolve("oci") + ":v1",
        "docker://" + repo + ":v1");
    JstackRunner j = jstack();

    JstackRunner.Run pull = j.run(none(), "--progress", "plain", "image", "pull", repo + ":v1");
    assertThat(pull.code()).as(pull.err()).isZero();
    assertThat(pull.out()).contains("Pull complete").contains("Digest: " + built.manifestDigest());
    assertThat(skopeo("inspect", "--tls-verify=false", "docker://" + repo + ":v1"))
        .contains(built.manifestDigest());

    JstackRunner.Run ls = j.run(none(), "image", "ls");
    assertThat(ls.out())
        .containsPattern(
            repo.replace(".", "\\.") + " +v1 +" + built.configDigest().substring(7, 19));
    assertThat(j.run(none(), "image", "inspect", repo + ":v1").out())
        .contains("\"Id\" : \"" + built.configDigest() + "\"");

    String fresh =
        registry.host + "/it/fresh-" + UUID.randomUUID().toString().substring(0, 8) + ":v2";
    assertThat(j.run(none(), "image", "tag", repo + ":v1", fresh).code()).isZero();
    JstackRunner.Run push = j.run(none(), "--progress", "plain", "image", "push", fresh);
    assertThat(push.code()).as(push.err()).isZero();
    assertThat(push.out()).contains("Pushed").contains("v2: digest: " + built.manifestDigest());
    assertThat(skopeo("inspect", "--tls-verify=false", "docker://" + fresh))
        .contains(built.manifestDigest());
    skopeo(
        "copy", "--src-tls-verify=false", "docker://" + fresh, "oci:" + dir.resolve("back") + ":x");

    JstackRunner.Run rm = j.run(none(), "image", "rm", repo + ":v1", fresh);
    assertThat(rm.out()).contains("Untagged: " + repo + ":v1");
    assertThat(j.run(none(), "image", "ls", "-q").out()).isBlank();
    assertThat(dir.resolve("data/images/layers/sha256")).isEmptyDirectory();
  }

  @Test
  void pushAfterAPullThatFoundEveryLayerStored_keepsThePulledDigest() throws Exception {
    // A loaded archive puts the layer in the store by its diff_id, with no compressed blob.
    Path classic = savedExampleImage();
    JstackRunner j = jstack();
    JstackRunner.Run load = j.run(none(), "image", "load", "-i", classic.toString());
    assertThat(load.code()).as(load.err()).isZero();
    String configDigest =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(j.run(none(), "image", "inspect", "jstack-examples/busybox:latest").out())
            .path(0)
            .path("Id")
            .asText();

    // skopeo pushes it gzipped: the pull finds the layer unpacked already.
    String repo = registry.host + "/it/loaded-" + UUID.randomUUID().toString().substring(0, 8);
    skopeo(
        "copy", "--dest-tls-verify=false", "docker-archive:" + classic, "docker://" + repo + ":v1");
    JstackRunner.Run pull = j.run(none(), "--progress", "plain", "image", "pull", repo + ":v1");
    assertThat(pull.code()).as(pull.err()).isZero();
    String pulled = pull.out().replaceAll("(?s).*Digest: (sha256:[0-9a-f]{64}).*", "$1");
    assertThat(pulled).startsWith("sha256:");
    assertThat(skopeo("inspect", "--tls-verify=false", "docker://" + repo + ":v1"))
        .contains(pulled);

    String again = repo + "-again:v2";
    assertThat(j.run(none(), "image", "tag", repo + ":v1", again).code()).isZero();
    JstackRunner.Run push = j.run(none(), "image", "push", again);
    assertThat(push.code()).as(push.err()).isZero();
    assertThat(push.out()).endsWith("\nv2: digest: " + pulled + "\n");
    assertThat(skopeo("inspect", "--tls-verify=false", "docker://" + again)).contains(pulled);
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "docker://" + again,
        "oci:" + dir.resolve("again") + ":x");

    // The loaded image itself, which has no compressed blob, is pushed gzipped: its config (so its
    // ID) is unchanged, and skopeo reads it back.
    String loaded = repo + "-loaded:v3";
    JstackRunner.Run pushLoaded =
        j.run(none(), "image", "push", "jstack-examples/busybox:latest", loaded);
    assertThat(pushLoaded.code()).as(pushLoaded.err()).isZero();
    String raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + loaded);
    assertThat(raw).contains("tar+gzip").doesNotContain("layer.v1.tar\"").contains(configDigest);
    assertThat(
            skopeo("inspect", "--config", "--tls-verify=false", "docker://" + loaded)
                .replaceAll("\\s", ""))
        .contains("\"diff_ids\":[\"sha256:");
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "docker://" + loaded,
        "oci:" + dir.resolve("loaded") + ":x");
    // The same layer compresses to the same blob: a second push finds it there.
    JstackRunner.Run second =
        j.run(
            none(),
            "--progress",
            "plain",
            "image",
            "push",
            "jstack-examples/busybox:latest",
            loaded);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("Layer already exists").doesNotContain("Pushed");
  }

  @Test
  void loadFromDocker_saveIntoDocker() {
    Path classic = savedExampleImage();
    JstackRunner j = jstack();
    JstackRunner.Run load = j.run(none(), "image", "load", "-i", classic.toString());
    assertThat(load.code()).as(load.err()).isZero();
    assertThat(load.out()).isEqualTo("Loaded image: jstack-examples/busybox:latest\n");

    String name = "jstack-it/saved-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";
    assertThat(j.run(none(), "image", "tag", "jstack-examples/busybox", name).code()).isZero();
    Path saved = dir.resolve("saved.tar");
    JstackRunner.Run save = j.run(none(), "image", "save", "-o", saved.toString(), name);
    assertThat(save.code()).as(save.err()).isZero();
    try {
      assertThat(Docker.run(null, "docker", "load", "-i", saved.toString()).out())
          .contains("Loaded image: " + name);
      assertThat(Docker.run(null, "docker", "run", "--rm", name, "cat", "/www/index.html").out())
          .contains("hello from jstack");
    } finally {
      Docker.run(null, "docker", "rmi", "-f", name);
    }
  }

  @Test
  void badInput_oneLineErrors() {
    JstackRunner j = jstack();
    JstackRunner.Run bad = j.run(none(), "image", "pull", "Not/Valid");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(bad.err()).contains("invalid image reference 'Not/Valid'");

    JstackRunner.Run missing =
        j.run(none(), "image", "pull", registry.host + "/it/never-pushed:v1");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).contains("failed: 404 MANIFEST_UNKNOWN");

    JstackRunner.Run noArchive =
        j.run(none(), "image", "load", "-i", dir.resolve("nope.tar").toString());
    assertThat(noArchive.code()).isEqualTo(2);
    assertThat(noArchive.err()).contains("no such archive");
  }

  /** The examples' image as {@code docker save} writes it (dockerd supplies it). */
  private Path savedExampleImage() {
    Path classic = dir.resolve("classic.tar");
    Docker.Result saved =
        Docker.run(
            null, "docker", "save", "-o", classic.toString(), "jstack-examples/busybox:latest");
    assertThat(saved.code()).as(saved.err()).isZero();
    return classic;
  }

  private static String skopeo(String... args) {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "skopeo";
    cmd[1] = "--insecure-policy";
    System.arraycopy(args, 0, cmd, 2, args.length);
    Docker.Result r = Docker.run(null, cmd);
    assertThat(r.code()).as(String.join(" ", cmd) + ": " + r.err()).isZero();
    return r.out();
  }
}
