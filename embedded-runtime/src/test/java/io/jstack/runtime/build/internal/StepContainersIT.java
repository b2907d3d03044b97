package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The containers of build steps: their roots are mounted for a single use (overlayfs's {@code
 * volatile}: unmounting one does not sync the host's file system), other containers' are not.
 */
class StepContainersIT {
  private static final String BUSYBOX = "jstack-examples/busybox:latest";

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  private final List<EmbeddedEngine> engines = new ArrayList<>();
  private EmbeddedEngine engine;

  @BeforeEach
  void engine() throws Exception {
    Path archive = dir.resolve("busybox.tar");
    Process save =
        new ProcessBuilder("docker", "save", "-o", archive.toString(), BUSYBOX).inheritIO().start();
    assertThat(save.waitFor()).isZero();
    engine = started();
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(engine.images(), in, null);
    }
  }

  private EmbeddedEngine started() {
    EmbeddedEngine e = new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    engines.add(e);
    e.supervise(Duration.ofMillis(200), List.of());
    return e;
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (EmbeddedEngine e : engines) {
        e.stopSupervising();
      }
      for (var c : engine.list()) {
        engine.remove(c.record().id(), true, true);
      }
      engine.networks().list().forEach(engine.networks()::remove);
    } finally {
      LayerUnpacker.removeTree(dir.resolve("data"));
    }
  }

  @Test
  void aStepsRoot_isMountedForOneUse_aContainersIsNot() throws Exception {
    StepContainers steps = new StepContainers(engine);
    String step = steps.mounted(BUSYBOX);
    String container =
        engine.create(
            null,
            StepContainers.settings(
                BUSYBOX, List.of("true"), List.of(), "/", null, "none", List.of()));
    try {
      assertThat(mountOptions(steps.rootfs(step))).contains("volatile");
      assertThat(mountOptions(steps.rootfs(container))).doesNotContain("volatile");
    } finally {
      engine.remove(container, true, true);
      steps.remove(step);
      steps.awaitRemovals();
    }
    assertThat(engine.list()).isEmpty();
  }

  /** The super options of the mount at {@code target}, as /proc/self/mountinfo shows them. */
  private static String mountOptions(Path target) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals(target.toString())) {
        return f[f.length - 1];
      }
    }
    throw new AssertionError("nothing is mounted at " + target);
  }
}
