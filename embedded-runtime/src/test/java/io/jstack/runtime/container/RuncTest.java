package io.jstack.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncTest {
  @TempDir Path dir;

  @Test
  void aRuntimeProcess_keepsItsTemporaryFile_besideTheStateRoot_notInTmp() throws Exception {
    Path root = dir.resolve("run/runtime/crun");
    Runc runc =
        new Runc(
            new RuntimeTools(Path.of("/usr/bin/crun"), Path.of("/usr/bin/conmon"), null), root);

    Process p =
        runc.process(List.of("sh", "-c", "printf %s \"$_LIBCONTAINER_STATEDIR\""))
            .redirectErrorStream(true)
            .start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor()).isZero();
    assertThat(said).isEqualTo(dir.resolve("run/runtime/tmp").toString());
    assertThat(Path.of(said)).isDirectory();
  }
}
