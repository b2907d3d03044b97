package io.jstack.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.Volumes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directories whose subdirectories come and go by the thousand (containers, volumes) are marked
 * for ext4 to spread them ({@code chattr +T}, read back here with the same ioctl lsattr uses), on
 * this machine's disk (ext4, as on every machine of this project); where the file system has no
 * such flag (a tmpfs) the engine goes on without it.
 */
class SpreadSubdirectoriesIT {
  @TempDir Path dir;

  @Test
  void theEngine_marksItsContainersAndVolumes_onExt4() throws Exception {
    assertThat(Files.getFileStore(dir).type()).as("the test's disk").isEqualTo("ext4");
    DataRoot root = new DataRoot(dir.resolve("data"));

    new Containers(root, new RuntimeTools(Path.of("/bin/true"), Path.of("/bin/true"), null));
    new Volumes(root);

    assertThat(NativeFs.spreadsSubdirectories(root.path().resolve("containers"))).isTrue();
    assertThat(NativeFs.spreadsSubdirectories(root.path().resolve("volumes"))).isTrue();
    assertThat(NativeFs.spreadsSubdirectories(root.path())).isFalse();
    assertThat(lsattr(root.path().resolve("containers"))).contains("T");
  }

  @Test
  void onATmpfs_itSaysNo_andTheDirectoryIsStillMade() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("mem"));
    NativeFs.mountTmpfs(mount, 0700, 1 << 20);
    try {
      Path containers = mount.resolve("data/containers");

      assertThat(NativeFs.spreadSubdirectories(containers)).isFalse();

      assertThat(containers).isDirectory();
      assertThat(NativeFs.spreadsSubdirectories(containers)).isFalse();
    } finally {
      NativeFs.unmount(mount);
    }
  }

  /** The attributes lsattr (e2fsprogs) shows for directory {@code d}. */
  private static String lsattr(Path d) throws Exception {
    Process p = new ProcessBuilder("lsattr", "-d", d.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out.split("\\s+")[0];
  }
}
