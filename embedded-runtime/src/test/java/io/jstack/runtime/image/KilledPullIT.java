package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ImageReference;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull killed ({@code SIGKILL}) at random moments after its first blob bytes arrived, 20 times
 * over one data root, never leaves a corrupt blob, a half-unpacked layer or a tag whose image is
 * incomplete, and the next pull succeeds.
 */
class KilledPullIT {
  static LocalRegistry registry;
  static String image;
  static TestImages.Built built;
  @TempDir static Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

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
    // How long a whole pull takes here from its first blob bytes: kills land in its first half
    // (a pull that resumes after a kill has less left to do).
    Pull timing = new Pull(dir.resolve("timing"));
    assertThat(timing.awaitReceiving()).as(timing.said()).isTrue();
    long t0 = System.nanoTime();
    assertThat(timing.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(timing.process.exitValue()).as(timing.said()).isZero();
    int span = (int) Math.max(100, (System.nanoTime() - t0) / 1_000_000);
    LayerUnpacker.removeTree(dir.resolve("timing"));

    Path root = dir.resolve("root");
    Random random = new Random(42);
    int killed = 0;
    int finished = 0;
    for (int round = 0; killed < 20 && round < 60; round++) {
      Pull pull = new Pull(root);
      // Only a kill after blob bytes arrived tests what a pull leaves (one while the JVM starts or
      // the manifest comes tests nothing). A pull that finds every blob stored already never says
      // it receives, and is let finish.
      if (pull.awaitReceiving()
          && !pull.process.waitFor(random.nextInt(span / 2), TimeUnit.MILLISECONDS)) {
        pull.process.destroyForcibly().waitFor();
      }
      assertThat(pull.process.waitFor(120, TimeUnit.SECONDS)).as("the pull ends").isTrue();
      String said = pull.said();
      if (pull.process.exitValue() == 128 + 9 && !said.contains(PullMain.PULLED)) {
        if (said.contains(PullMain.RECEIVING)) {
          killed++;
        }
        checkConsistent(root);
      } else {
        assertThat(pull.process.exitValue()).as(said).isIn(0, 128 + 9);
        finished++;
        checkConsistent(root);
        // Start over, so that later kills land in the middle of a pull again.
        LayerUnpacker.removeTree(root);
      }
    }
    assertThat(killed)
        .as("kills that landed after a blob's first bytes arrived, before the pull ended")
        .isGreaterThanOrEqualTo(20);

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

  /** A pull in a process of its own, and what it has printed so far. */
  private static final class Pull {
    final Process process;
    private final StringBuffer said = new StringBuffer();
    private final CountDownLatch receiving = new CountDownLatch(1);
    private final Thread reader;

    Pull(Path root) throws Exception {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PullMain.class.getName(),
                  root.toString(),
                  image)
              .redirectErrorStream(true)
              .start();
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    said.append(l).append('\n');
                    if (l.equals(PullMain.RECEIVING)) {
                      receiving.countDown();
                    }
                  }
                } catch (IOException ended) {
                  // Killed: nothing more to read.
                }
                receiving.countDown();
              },
              "pull-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until blob bytes arrived (true) or the process ended without saying so (false). */
    boolean awaitReceiving() throws InterruptedException {
      assertThat(receiving.await(120, TimeUnit.SECONDS)).as("the pull said something").isTrue();
      return said().contains(PullMain.RECEIVING + "\n");
    }

    /** What it printed; once it has ended, everything it printed. */
    String said() throws InterruptedException {
      if (!process.isAlive()) {
        reader.join(10_000);
      }
      return said.toString();
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

  /**
   * The store as {@link StoreChecks} wants it after any failure, and the big layer, when there,
   * with all its files.
   */
  private static void checkConsistent(Path root) throws Exception {
    StoreChecks.checkConsistent(root);
    if (!Files.exists(root)) {
      return;
    }
    ImageStore.open(new DataRoot(root))
        .layer(built.diffIds()[0])
        .ifPresent(
            base -> {
              assertThat(base.resolve("opt/noise.bin")).hasSize(24L << 20);
              assertThat(base.resolve("bin/busybox")).isRegularFile();
            });
  }
}
