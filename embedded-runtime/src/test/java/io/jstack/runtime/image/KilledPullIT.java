package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull killed ({@code SIGKILL}) at random moments, 20 times over one data root, never leaves a
 * corrupt blob, a half-unpacked layer or a tag whose image is incomplete, and the next pull
 * succeeds.
 */
class KilledPullIT {
  static LocalRegistry registry;
  static String image;
  static TestImages.Built built;
  @TempDir static Path dir;

  @BeforeAll
  static void push() throws Exception {
    registry = LocalRegistry.start();
    built = TestImages.ociLayout(dir.resolve("oci"), "big", 24);
    image = registry.host + "/it/killed:big";
    Process p =
        new ProcessBuilder(
                "skopeo",
                "--insecure-policy",
                "copy",
                "--dest-tls-verify=false",
                "oci:" + dir.resolve("oci") + ":big",
                "docker://" + image)
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void killedAtRandomMoments_neverLeavesACorruptOrHalfVisibleImage() throws Exception {
    // How long a whole pull takes here (JVM start included), so that kills land inside one.
    long t0 = System.nanoTime();
    Process whole = startPull(dir.resolve("timing"));
    assertThat(whole.waitFor(120, TimeUnit.SECONDS)).isTrue();
    int span = (int) Math.max(200, (System.nanoTime() - t0) / 1_000_000);
    LayerUnpacker.removeTree(dir.resolve("timing"));

    Path root = dir.resolve("root");
    Random random = new Random(42);
    int killed = 0;
    int finished = 0;
    for (int round = 0; killed < 20 && round < 60; round++) {
      Process pull = startPull(root);
      long delay = 50 + random.nextInt(span);
      boolean done = pull.waitFor(delay, TimeUnit.MILLISECONDS);
      if (done) {
        assertThat(pull.exitValue()).isZero();
        finished++;
      } else {
        pull.destroyForcibly().waitFor();
        killed++;
      }
      checkConsistent(root);
      if (done) {
        // Start over, so that later kills land in the middle of a pull again.
        LayerUnpacker.removeTree(root);
      }
    }
    assertThat(killed).as("kills that landed mid-pull").isGreaterThanOrEqualTo(20);

    Process last = startPull(root);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(new String(last.getInputStream().readAllBytes())).isZero();
    ImageStore store = ImageStore.open(new DataRoot(root));
    assertThat(store.resolve(ImageReference.parse(image))).contains(built.manifestDigest());
    checkConsistent(root);
    System.out.println("killed " + killed + " pulls, " + finished + " finished before the kill");
  }

  @Test
  void twoProcessesPullingTheSameImageAtOnce_bothSucceed() throws Exception {
    Path root = dir.resolve("shared");
    for (int round = 0; round < 3; round++) {
      Process a = startPull(root);
      Process b = startPull(root);
      assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(a.exitValue()).isZero();
      assertThat(b.exitValue()).isZero();
      checkConsistent(root);
      assertThat(ImageStore.open(new DataRoot(root)).resolve(ImageReference.parse(image)))
          .contains(built.manifestDigest());
      LayerUnpacker.removeTree(root);
    }
  }

  private static Process startPull(Path root) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            PullMain.class.getName(),
            root.toString(),
            image)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Every blob has its digest; every tagged image is whole; temporaries of the dead are gone. */
  private static void checkConsistent(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    ImageStore store = ImageStore.open(new DataRoot(root));
    Path blobs = store.root().resolve("blobs/sha256");
    try (Stream<Path> all = Files.list(blobs)) {
      for (Path b : (Iterable<Path>) all::iterator) {
        MessageDigest md = Digests.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(b), md)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(Digests.format(md.digest()))
            .as("blob " + b.getFileName())
            .isEqualTo("sha256:" + b.getFileName());
      }
    }
    for (Map.Entry<String, String> t : store.tags().entrySet()) {
      ImageStore.Image i = store.image(t.getValue());
      for (int l = 0; l < i.layers().size(); l++) {
        assertThat(store.hasBlob(i.layers().get(l).digest())).isTrue();
        assertThat(store.layer(i.diffIds().get(l))).as("layer of tagged " + t.getKey()).isPresent();
      }
    }
    // A layer directory is there whole or not at all: the big one's files all arrived.
    store
        .layer(built.diffIds()[0])
        .ifPresent(
            base -> {
              assertThat(base.resolve("opt/noise.bin")).hasSize(24L << 20);
              assertThat(base.resolve("bin/busybox")).isRegularFile();
            });
    List<Path> temporaries = new ArrayList<>();
    try (Stream<Path> all = Files.list(store.root().resolve("tmp"))) {
      all.forEach(temporaries::add);
    }
    assertThat(temporaries)
        .as("temporaries left by killed pulls, after the store opened")
        .isEmpty();
  }
}
