package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseImagesTest {
  private static final String HOST = BaseImages.host();
  private static final String OTHER = HOST.endsWith("amd64") ? "linux/arm64" : "linux/amd64";

  @Test
  void host_isTheJvmsPlatform() {
    String arch = System.getProperty("os.arch");
    assertThat(HOST)
        .isEqualTo(
            arch.equals("amd64") || arch.equals("x86_64")
                ? "linux/amd64"
                : arch.equals("aarch64") ? "linux/arm64" : "linux/" + arch);
  }

  /** containerd's platforms.Normalize: aliases, a lone architecture, default variants. */
  @Test
  void normalize_asContainerd() {
    assertThat(BaseImages.normalize("linux/x86_64")).isEqualTo("linux/amd64");
    assertThat(BaseImages.normalize("amd64")).isEqualTo("linux/amd64");
    assertThat(BaseImages.normalize("Linux/AMD64/v1")).isEqualTo("linux/amd64");
    assertThat(BaseImages.normalize("linux/aarch64")).isEqualTo("linux/arm64");
    assertThat(BaseImages.normalize("linux/arm64/v8")).isEqualTo("linux/arm64");
    assertThat(BaseImages.normalize("linux/arm/v7")).isEqualTo("linux/arm/v7");
    assertThat(BaseImages.normalize("linux")).isEqualTo(HOST);
  }

  @Test
  void requestedPlatform_theHostsOrNone_anotherIsRefusedInOneLine() {
    assertThat(BaseImages.requested("")).isEqualTo(HOST);
    assertThat(BaseImages.requested(HOST.toUpperCase(java.util.Locale.ROOT))).isEqualTo(HOST);
    assertThatThrownBy(() -> BaseImages.requested(OTHER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--platform "
                + OTHER
                + " is not supported: the jstack engine builds only for "
                + HOST
                + " and emulates no other platform; drop --platform or build on a "
                + OTHER
                + " host");
  }

  @Test
  void fromPlatform_ofAnotherPlatform_isRefusedAtItsLine_buildPlatformWorks() {
    String df =
        "FROM busybox\nRUN true\nFROM --platform=$BUILDPLATFORM busybox AS b\n"
            + "FROM --platform="
            + OTHER
            + " busybox AS c\n";
    BuildPlan p =
        BuildPlan.of(
            Dockerfile.parse(df),
            BuildOptions.of(Map.of()).withBuildPlatform(HOST).withTargetPlatform(HOST));

    BaseImages.checkPlatform(p.stages().get(0));
    assertThat(p.stages().get(1).platform()).isEqualTo(HOST);
    BaseImages.checkPlatform(p.stages().get(1));
    assertThatThrownBy(() -> BaseImages.checkPlatform(p.stages().get(2)))
        .isInstanceOf(DockerfileException.class)
        .hasMessage(
            "Dockerfile:4: FROM --platform="
                + OTHER
                + " is not supported: the jstack engine builds only for "
                + HOST
                + " and emulates no other platform; drop --platform or use"
                + " --platform=$BUILDPLATFORM");
  }

  @Test
  void read_namesEachImageANeededStageReads_atTheLineFirstNamingIt() {
    String df =
        "FROM busybox AS a\n"
            + "FROM alpine AS unused\n"
            + "FROM a\n"
            + "COPY --from=tools:1 /x /x\n"
            + "COPY --from=a /y /y\n"
            + "RUN --mount=from=helper:2,target=/h true\n"
            + "COPY --from=busybox /z /z\n";
    BuildPlan p = BuildPlan.of(Dockerfile.parse(df), BuildOptions.of(Map.of()));

    assertThat(BaseImages.read(p, List.of(0, 2)))
        .containsExactly(
            Map.entry("busybox", 1), Map.entry("tools:1", 4), Map.entry("helper:2", 6));
  }
}
