package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The containers of build steps: their roots are mounted for a single use (overlayfs's {@code
 * volatile}: unmounting one does not sync the host's file system), other containers' are not.
 */
class StepContainersIT extends StepEngineFixture {
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
