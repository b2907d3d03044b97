package io.jstack.runtime.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootPathsTest {
  @TempDir Path dir;

  @Test
  void linksAreFollowedInsideTheRoot_andDotDotStopsThere() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    Files.createSymbolicLink(root.resolve("abs"), Path.of("/usr"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../etc"));
    assertThat(RootPaths.resolve(root, "/lib/x")).isEqualTo(root.resolve("usr/lib/x"));
    assertThat(RootPaths.resolve(root, "/abs/lib")).isEqualTo(root.resolve("usr/lib"));
    // Out of the root by .. or by a link: the root's own /etc, never the host's.
    assertThat(RootPaths.resolve(root, "/../../etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
    assertThat(RootPaths.resolve(root, "/up/passwd")).isEqualTo(root.resolve("etc/passwd"));
    // .. after a link goes up from where the link led.
    assertThat(RootPaths.resolve(root, "/lib/../bin")).isEqualTo(root.resolve("usr/bin"));
  }

  @Test
  void aLoopOfLinks_isRefused() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    assertThatThrownBy(() -> RootPaths.resolve(root, "/a/x"))
        .hasMessage("too many symbolic links resolving /a/x in the container");
  }

  @Test
  void throughAView_aLinkInTheRootLeadsIntoAMount_andAMountsLinksStayInTheContainer()
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path volume = Files.createDirectories(dir.resolve("volume"));
    Files.createDirectories(root.resolve("data")); // the mount point, hidden by the volume
    Files.createSymbolicLink(root.resolve("link"), Path.of("/data"));
    Files.createSymbolicLink(volume.resolve("back"), Path.of("/etc"));
    Function<String, Path> view =
        p ->
            p.equals("/data") || p.startsWith("/data/")
                ? volume.resolve(p.substring("/data".length()).replaceFirst("^/", ""))
                : root.resolve(p.substring(1));
    assertThat(RootPaths.resolve(view, "/link/file")).isEqualTo("/data/file");
    assertThat(RootPaths.resolve(view, "/link")).isEqualTo("/data");
    // A link in the volume is the container's too: /etc of the container, not the host's.
    assertThat(RootPaths.resolve(view, "/data/back/hosts")).isEqualTo("/etc/hosts");
    assertThat(RootPaths.resolve(view, "/")).isEqualTo("/");
  }
}
