package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import org.junit.jupiter.api.Test;

/** The options of a container's tmpfs, against what dockerd 20.10 mounts for the same request. */
class TmpfsOptionsTest {
  @Test
  void of_withNoOptions_isDockerdsDefaults() {
    // docker run --tmpfs /a: "rw,nosuid,nodev,noexec,relatime", mode 1777, no size.
    assertThat(TmpfsOptions.of("web", "/a", ""))
        .containsExactly("noexec", "nosuid", "nodev", "rprivate");
  }

  @Test
  void of_withOptions_keepsTheLastOfEachKind_inTheirPlace() {
    // docker run --tmpfs /b:rw,noexec,nosuid,size=65536k,mode=0700,uid=1000
    assertThat(TmpfsOptions.of("web", "/b", "rw,noexec,nosuid,size=65536k,mode=0700,uid=1000"))
        .containsExactly(
            "nodev", "rprivate", "rw", "noexec", "nosuid", "size=65536k", "mode=0700", "uid=1000");
    // docker run --tmpfs /x:exec,suid,dev: "rw,relatime".
    assertThat(TmpfsOptions.of("web", "/x", "exec,suid,dev"))
        .containsExactly("rprivate", "exec", "suid", "dev");
    assertThat(TmpfsOptions.of("web", "/x", "size=1m,size=2m,defaults"))
        .containsExactly("noexec", "nosuid", "nodev", "rprivate", "size=2m");
  }

  @Test
  void of_withAnUnknownOption_namesItAndTheContainer() {
    assertThatThrownBy(() -> TmpfsOptions.of("shop-db-1", "/run", "size=1m,bogus"))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageStartingWith(
            "tmpfs /run of container shop-db-1: unknown option \"bogus\" (known: ro, rw, exec,")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> TmpfsOptions.of("web", "/run", "colour=blue"))
        .hasMessageContaining("unknown option \"colour=blue\"");
  }

  @Test
  void of_withABadValue_saysWhatItTakes() {
    // dockerd leaves these to runc: "mount tmpfs:/x ... data: size=abc: invalid argument".
    assertThatThrownBy(() -> TmpfsOptions.of("web", "/x", "size=abc"))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessage(
            "tmpfs /x of container web: option \"size=abc\" has a bad value (a size in bytes, 64m,"
                + " 1g or 50%)");
    assertThatThrownBy(() -> TmpfsOptions.of("web", "/x", "mode=99"))
        .hasMessageContaining("option \"mode=99\" has a bad value (octal permission bits");
    assertThatThrownBy(() -> TmpfsOptions.of("web", "/x", "uid=me"))
        .hasMessageContaining("option \"uid=me\" has a bad value (a number)");
  }

  @Test
  void of_withARelativeTargetOrTheRoot_isRefused() {
    assertThatThrownBy(() -> TmpfsOptions.of("web", "run", ""))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessage("tmpfs run of container web: the mount point must be an absolute path");
    assertThatThrownBy(() -> TmpfsOptions.of("web", "//", ""))
        .hasMessageContaining("a tmpfs cannot replace the root filesystem");
  }

  @Test
  void data_ofAMountsEntry_isWhatDockerdWrites() {
    // --mount type=tmpfs,dst=/c,tmpfs-size=10m,tmpfs-mode=0750: "size=10240k,mode=750".
    assertThat(TmpfsOptions.data(false, 10L << 20, 0750)).isEqualTo("mode=750,size=10m");
    assertThat(TmpfsOptions.data(true, null, null)).isEqualTo("ro");
    assertThat(TmpfsOptions.data(false, 3L << 30, null)).isEqualTo("size=3g");
    assertThat(TmpfsOptions.data(false, 1000L, null)).isEqualTo("size=1000");
    assertThat(TmpfsOptions.data(false, 0L, 0)).isEmpty();
    assertThat(TmpfsOptions.of("web", "/d", TmpfsOptions.data(true, 1536L, 01777)))
        .containsExactly("noexec", "nosuid", "nodev", "rprivate", "ro", "mode=1777", "size=1536");
  }
}
