package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.internal.NativeFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount points a RUN's runtime made, taken out of its upper directory as BuildKit's
 * MountStubsCleaner (recursive) does; the root before the RUN and its upper directory after it are
 * plain directories here.
 */
class MountStubsTest {
  @TempDir Path root;
  @TempDir Path upper;

  @Test
  void newTargetsAndTheParentsMadeForThem_go_whatTheRunWrote_stays() throws Exception {
    Files.createDirectories(root.resolve("root"));
    FileTime before = FileTime.fromMillis(1_000_000_000_000L);
    NativeFs.setTimes(root.resolve("root"), before);
    MountStubs stubs =
        MountStubs.before(root, List.of("/root/.cache/app", "/run/secrets/token", "/out/m"));
    // What the runtime and the command left: stubs, and a file the command wrote.
    Files.createDirectories(upper.resolve("root/.cache/app"));
    NativeFs.setTimes(upper.resolve("root"), before);
    Files.createDirectories(upper.resolve("run/secrets"));
    Files.createFile(upper.resolve("run/secrets/token"));
    Files.createDirectories(upper.resolve("out/m"));
    Files.writeString(upper.resolve("out/result"), "x");

    stubs.clean(upper);

    try (var left = Files.walk(upper)) {
      assertThat(left.map(p -> upper.relativize(p).toString()))
          .containsExactlyInAnyOrder("", "out", "out/result");
    }
  }

  @Test
  void aStubTheCommandFilled_orAChangedParent_stays() throws Exception {
    Files.createDirectories(root.resolve("srv"));
    MountStubs stubs = MountStubs.before(root, List.of("/srv/a/b"));
    Files.createDirectories(upper.resolve("srv/a/b"));
    Files.writeString(upper.resolve("srv/a/kept"), "x");

    stubs.clean(upper);

    assertThat(upper.resolve("srv/a/kept")).exists();
    assertThat(upper.resolve("srv/a/b")).doesNotExist();
  }

  @Test
  void aTargetThatExisted_isNoStub() throws Exception {
    Files.createDirectories(root.resolve("data"));
    MountStubs stubs = MountStubs.before(root, List.of("/data"));
    Files.createDirectories(upper.resolve("data"));
    Files.setAttribute(upper.resolve("data"), "unix:mode", 0700);

    stubs.clean(upper);

    assertThat(upper.resolve("data")).isDirectory();
  }
}
