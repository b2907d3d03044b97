package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.build.BuildOptions;
import io.jstack.runtime.build.BuildPlan;
import io.jstack.runtime.build.Command;
import io.jstack.runtime.build.Dockerfile;
import io.jstack.runtime.build.Step;
import io.jstack.runtime.image.ImageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata instructions on a stage's defaults, as Docker's builders apply them. */
class StageStateTest {
  @TempDir Path dir;

  /** The state after the metadata steps of {@code dockerfile}'s one stage, and their history. */
  private static StageState after(String dockerfile, List<String> history) {
    BuildPlan plan = BuildPlan.of(Dockerfile.parse(dockerfile), BuildOptions.of(Map.of("V", "2")));
    StageState s = new StageState(null, null, StageState.scratchDefaults());
    for (Step step : plan.stages().get(0).steps()) {
      history.add(s.apply(step.instruction()));
    }
    return s;
  }

  /** BuildKit's EXPOSE (nat.ParsePortSpecs): a range is each of its ports. */
  @Test
  void expose_ofARange_exposesEachPort() {
    List<String> history = new ArrayList<>();
    StageState s = after("FROM scratch\nEXPOSE 8000-8002 9000/TCP 7-7/udp", history);

    assertThat(s.config().exposedPorts())
        .containsExactly("7/udp", "8000/tcp", "8001/tcp", "8002/tcp", "9000/tcp");
    assertThat(history)
        .containsExactly("EXPOSE map[7/udp:{} 8000/tcp:{} 8001/tcp:{} 8002/tcp:{} 9000/tcp:{}]");
  }

  /** BuildKit's empty image (dockerfile2llb emptyImage) has the default PATH. */
  @Test
  void scratch_hasTheDefaultPath() {
    assertThat(after("FROM scratch\nENV A=1", new ArrayList<>()).config().env())
        .containsExactly(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1");
  }

  @Test
  void metadata_setsTheDefaults_andSaysWhatHistoryRecords() {
    List<String> history = new ArrayList<>();
    StageState s =
        after(
            String.join(
                "\n",
                "FROM scratch",
                "ARG V=2",
                "ENV A=1 PATH=/bin",
                "ENV A=$V",
                "LABEL a=b \"c d\"=e",
                "EXPOSE 80 53/UDP",
                "VOLUME /data /cache",
                "USER app:app",
                "STOPSIGNAL SIGINT",
                "SHELL [\"/bin/bash\", \"-c\"]",
                "CMD run it",
                "ONBUILD RUN echo child",
                "MAINTAINER me"),
            history);

    ImageConfig c = s.config();
    // scratch's default PATH comes first, and ENV replaces it where it is.
    assertThat(c.env()).containsExactly("PATH=/bin", "A=2");
    assertThat(c.labels()).containsExactly(Map.entry("a", "b"), Map.entry("c d", "e"));
    assertThat(c.exposedPorts()).containsExactly("53/udp", "80/tcp");
    assertThat(c.volumes()).containsExactly("/cache", "/data");
    assertThat(c.user()).isEqualTo("app:app");
    assertThat(c.stopSignal()).isEqualTo("SIGINT");
    assertThat(c.shell()).containsExactly("/bin/bash", "-c");
    assertThat(c.cmd()).containsExactly("/bin/bash", "-c", "run it");
    assertThat(c.onBuild()).containsExactly("RUN echo child");
    assertThat(history)
        .containsExactly(
            "ARG V=2",
            "ENV A=1 PATH=/bin",
            "ENV A=2",
            "LABEL a=b c d=e",
            "EXPOSE map[53/udp:{} 80/tcp:{}]",
            "VOLUME [/data /cache]",
            "USER app:app",
            "STOPSIGNAL SIGINT",
            "SHELL [/bin/bash -c]",
            "CMD [\"/bin/bash\" \"-c\" \"run it\"]",
            null,
            "MAINTAINER me");
  }

  @Test
  void entrypoint_dropsAnInheritedCmd_butNotOneOfThisBuild() {
    StageState inherited =
        new StageState(
            "sha256:m",
            "base:1",
            new ImageConfig(
                List.of(),
                List.of("sh"),
                List.of(),
                null,
                null,
                Map.of(),
                List.of(),
                null,
                null,
                List.of(),
                List.of(),
                List.of("RUN echo parent")));
    List<String> ignored = new ArrayList<>();
    inherited.apply(
        BuildPlan.of(
                Dockerfile.parse("FROM base\nENTRYPOINT [\"/app\"]"), BuildOptions.of(Map.of()))
            .stages()
            .get(0)
            .steps()
            .get(0)
            .instruction());
    assertThat(inherited.config().cmd()).isEmpty();
    assertThat(inherited.config().onBuild()).as("triggers are not inherited").isEmpty();

    StageState own = after("FROM scratch\nCMD [\"serve\"]\nENTRYPOINT [\"/app\"]", ignored);
    assertThat(own.config().cmd()).containsExactly("serve");
    assertThat(own.config().entrypoint()).containsExactly("/app");
  }

  @Test
  void healthcheck_andRun_areWordedAsBuildKitWordsThem() {
    List<String> history = new ArrayList<>();
    after(
        "FROM scratch\nHEALTHCHECK --interval=1m30s --timeout=500ms --retries=3 CMD true", history);
    assertThat(history)
        .containsExactly(
            "HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"1m30s\" \"500ms\" \"0s\" '\\x03'}");
    assertThat(HistoryText.run(Map.of("V", "2"), List.of("/bin/sh", "-c", "make")))
        .isEqualTo("RUN |1 V=2 /bin/sh -c make # buildkit");
    assertThat(HistoryText.duration(java.time.Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(HistoryText.duration(java.time.Duration.ofMillis(1500))).isEqualTo("1.5s");
  }

  @Test
  void workdir_isRelativeToTheCurrentOne() {
    StageState s = new StageState(null, null, StageState.scratchDefaults());
    assertThat(s.workingDir()).isEqualTo("/");
    assertThat(s.workdir("app")).isEqualTo("/app");
    assertThat(s.workdir("../src/./x")).isEqualTo("/src/x");
    assertThat(s.workdir("/abs")).isEqualTo("/abs");
  }

  @Test
  void argv_runsTheShellFormByShell_andTheExecFormAsIs() {
    StageState s = new StageState(null, null, StageState.scratchDefaults());
    assertThat(s.argv(Command.shell("echo hi"))).containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(s.argv(Command.exec(List.of("a", "b")))).containsExactly("a", "b");
  }

  /**
   * An image reached unnamed (a cache hit) is tagged only when a step asks for its name, once; an
   * image reached with its name, or a scratch with no image, is never named again.
   */
  @Test
  void reachedUnnamed_isNamedOnFirstAsk_once() {
    List<String> named = new ArrayList<>();
    StageState s = new StageState(null, null, StageState.scratchDefaults());
    s.reachedUnnamed(
        "sha256:a",
        m -> {
          named.add(m);
          return "build-x:" + named.size();
        });

    assertThat(named).isEmpty();
    assertThat(s.manifest()).isEqualTo("sha256:a");
    assertThat(s.reference()).isEqualTo("build-x:1");
    assertThat(s.reference()).isEqualTo("build-x:1");
    assertThat(named).containsExactly("sha256:a");

    s.reached("sha256:b", "build-x:own");
    assertThat(s.reference()).isEqualTo("build-x:own");
    assertThat(named).containsExactly("sha256:a");
    assertThat(new StageState(null, null, StageState.scratchDefaults()).reference()).isNull();
  }
}
