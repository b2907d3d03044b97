package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildPlanTest {

  private static BuildPlan plan(String dockerfile, Map<String, String> buildArgs) {
    return BuildPlan.of(Dockerfile.parse(dockerfile), BuildOptions.of(buildArgs));
  }

  private static Instruction step(BuildPlan plan, int stage, int step) {
    return plan.stages().get(stage).steps().get(step).instruction();
  }

  /** dockerfile_args_test.go testGlobalArg: a build argument overrides a global ARG's default. */
  @Test
  void globalArg_isUsedInFromAndOverriddenByBuildArg() {
    String df = "ARG tag=nosuchtag\nFROM busybox:${tag}\n";
    assertThat(plan(df, Map.of()).stages().get(0).base())
        .isEqualTo(new Stage.Base.Image("busybox:nosuchtag"));
    Stage s = plan(df, Map.of("tag", "latest")).stages().get(0);
    assertThat(s.base()).isEqualTo(new Stage.Base.Image("busybox:latest"));
    assertThat(s.fromArgs()).containsExactly(Map.entry("tag", "latest"));
  }

  /** testGlobalArgErrors: ${FOO:?msg} in a global ARG fails unless FOO is given. */
  @Test
  void globalArgRequired_failsWithItsMessage() {
    String df = "ARG FOO=${FOO:?\"custom error\"}\nFROM busybox\n";
    assertThatThrownBy(() -> plan(df, Map.of()))
        .isInstanceOf(DockerfileException.class)
        .hasMessageStartingWith("Dockerfile:1: FOO: custom error in ARG;");
    assertThat(plan(df, Map.of("FOO", "bar")).globalArgs()).containsEntry("FOO", "bar");
  }

  /** testArgDefaultExpansion: a stage ARG default can require another ARG. */
  @Test
  void stageArgDefault_canRequireAnotherArg() {
    String df = "FROM busybox\nARG FOO\nARG BAR=${FOO:?\"foo missing\"}\n";
    assertThatThrownBy(() -> plan(df, Map.of()))
        .hasMessageStartingWith("Dockerfile:3: FOO: foo missing in ARG;");
    assertThat(step(plan(df, Map.of("FOO", "123")), 0, 1))
        .isEqualTo(new Instruction.Arg(3, List.of(new Instruction.ArgDefinition("BAR", "123"))));
    // A build argument for BAR skips the default, and with it the check.
    assertThat(plan(df, Map.of("BAR", "123")).stages()).hasSize(1);
  }

  /** testMultiArgs: global ARGs are redeclared in a stage, several per line, quoted. */
  @Test
  void multiArgs_redeclaredGlobalsTakeTheGlobalValue() {
    String df =
        "ARG a1=\"foo bar\" a2=box\nARG a3=\"$a2-foo\"\nFROM busy$a2 AS build\n"
            + "ARG a3 a4=\"123 456\" a1\nRUN echo -n \"$a1:$a3:$a4\" > /out\n"
            + "FROM scratch\nCOPY --from=build /out .\n";
    BuildPlan p = plan(df, Map.of());
    assertThat(p.stages().get(0).base()).isEqualTo(new Stage.Base.Image("busybox"));
    assertThat(p.stages().get(0).name()).isEqualTo("build");
    Step run = p.stages().get(0).steps().get(1);
    assertThat(run.buildArgs())
        .containsExactly(
            Map.entry("a3", "box-foo"), Map.entry("a4", "123 456"), Map.entry("a1", "foo bar"));
    // RUN's command is left for the shell.
    assertThat(((Instruction.Run) run.instruction()).command().args())
        .containsExactly("echo -n \"$a1:$a3:$a4\" > /out");
    assertThat(p.stages().get(1).base()).isEqualTo(new Stage.Base.Scratch());
    assertThat(p.source("build", 1)).isEqualTo(new Stage.Base.StageRef(0));
    assertThat(p.source("0", 1)).isEqualTo(new Stage.Base.StageRef(0));
    assertThat(p.source("alpine", 1)).isEqualTo(new Stage.Base.Image("alpine"));
  }

  /** testQuotedMetaArgs's second Dockerfile: a global default built from another global. */
  @Test
  void globalArgs_areNotVisibleInAStageUnlessRedeclared() {
    String df =
        "ARG a1=\"box\"\nARG a2=\"$a1-foo\"\nFROM busy$a1 AS build\nARG a2\nARG a3=\"bar-$a2\"\n"
            + "WORKDIR /$a1/$a3\n";
    BuildPlan p = plan(df, Map.of());
    assertThat(step(p, 0, 2)).isEqualTo(new Instruction.Workdir(6, "//bar-box-foo"));
    assertThat(p.stages().get(0).steps().get(2).buildArgs())
        .containsExactly(Map.entry("a3", "bar-box-foo"));
  }

  /** testBuiltinArgs: proxy build arguments reach RUN without ARG and stay out of cache keys. */
  @Test
  void proxyArgs_areEnvironmentForRunButNotBuildArgs() {
    String df =
        "FROM busybox AS build\nARG FOO\nARG BAR\nARG BAZ=bazcontent\n"
            + "RUN echo -n $HTTP_PROXY::$NO_PROXY::$FOO::$BAR::$BAZ > /out\n";
    BuildPlan p =
        plan(df, Map.of("FOO", "foocontents", "http_proxy", "hpvalue", "NO_PROXY", "npvalue"));
    assertThat(p.proxyEnv())
        .containsExactly(
            Map.entry("HTTP_PROXY", "hpvalue"),
            Map.entry("http_proxy", "hpvalue"),
            Map.entry("NO_PROXY", "npvalue"),
            Map.entry("no_proxy", "npvalue"));
    assertThat(p.stages().get(0).steps().get(3).buildArgs())
        .containsExactly(
            Map.entry("FOO", "foocontents"), Map.entry("BAR", ""), Map.entry("BAZ", "bazcontent"));
    assertThat(p.unusedBuildArgs()).isEmpty();
  }

  /** testDefaultEnvWithArgs: ENV reads an ARG, and the ENV then overrides it. */
  @Test
  void envAfterArg_substitutesAndThenOverrides() {
    String df =
        "ARG image=idlebox\nFROM busy${image#idle} AS build\nARG my_arg\n"
            + "ENV my_arg \"my_arg=${my_arg:-def_val}\"\nENV my_trimmed_arg \"${my_arg%%e*}\"\n"
            + "RUN true\n";
    for (Map.Entry<Map<String, String>, String[]> c :
        Map.of(
                Map.<String, String>of(), new String[] {"my_arg=def_val", "my_arg=d"},
                Map.of("my_arg", ""), new String[] {"my_arg=def_val", "my_arg=d"},
                Map.of("my_arg", "override"), new String[] {"my_arg=override", "my_arg=ov"})
            .entrySet()) {
      BuildPlan p = plan(df, c.getKey());
      assertThat(p.stages().get(0).base()).isEqualTo(new Stage.Base.Image("busybox"));
      assertThat(step(p, 0, 1))
          .isEqualTo(
              new Instruction.Env(4, List.of(new Instruction.KeyValue("my_arg", c.getValue()[0]))));
      assertThat(step(p, 0, 2))
          .isEqualTo(
              new Instruction.Env(
                  5, List.of(new Instruction.KeyValue("my_trimmed_arg", c.getValue()[1]))));
      // RUN's key holds the ARG with the value the environment gives it.
      assertThat(p.stages().get(0).steps().get(3).buildArgs())
          .containsExactly(Map.entry("my_arg", c.getValue()[0]));
    }
  }

  /** Docker's reference, "Using ARG variables": ENV A=1 B=$A reads the A from before the line. */
  @Test
  void envPairs_areSubstitutedBeforeAnyIsSet() {
    BuildPlan p = plan("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n", Map.of());
    assertThat(step(p, 0, 1))
        .isEqualTo(
            new Instruction.Env(
                3,
                List.of(
                    new Instruction.KeyValue("abc", "bye"),
                    new Instruction.KeyValue("def", "hello"))));
    assertThat(step(p, 0, 2))
        .isEqualTo(new Instruction.Env(4, List.of(new Instruction.KeyValue("ghi", "bye"))));
  }

  /** docs.docker.com/reference/dockerfile/#scope: an ARG applies from its line on. */
  @Test
  void argScope_startsAtItsLineAndEndsWithTheStage() {
    String df =
        "FROM busybox\nUSER ${username:-some_user}\nARG username\nUSER $username\n"
            + "FROM busybox\nUSER x$username\n";
    BuildPlan p = plan(df, Map.of("username", "what_user"));
    assertThat(step(p, 0, 0)).isEqualTo(new Instruction.User(2, "some_user"));
    assertThat(step(p, 0, 2)).isEqualTo(new Instruction.User(4, "what_user"));
    assertThat(step(p, 1, 0)).isEqualTo(new Instruction.User(6, "x"));
  }

  /** docs.docker.com/reference/dockerfile/#using-arg-variables: ENV overrides an ARG. */
  @Test
  void envOverridesArg_asTheReferenceShows() {
    String fixed =
        "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=v1.0.0\nRUN echo $CONT_IMG_VER\n";
    assertThat(
            plan(fixed, Map.of("CONT_IMG_VER", "v2.0.1"))
                .stages()
                .get(0)
                .steps()
                .get(2)
                .buildArgs())
        .containsExactly(Map.entry("CONT_IMG_VER", "v1.0.0"));
    String defaulted =
        "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}\n"
            + "RUN echo $CONT_IMG_VER\n";
    assertThat(step(plan(defaulted, Map.of("CONT_IMG_VER", "v2.0.1")), 0, 1))
        .isEqualTo(
            new Instruction.Env(3, List.of(new Instruction.KeyValue("CONT_IMG_VER", "v2.0.1"))));
    assertThat(step(plan(defaulted, Map.of()), 0, 1))
        .isEqualTo(
            new Instruction.Env(3, List.of(new Instruction.KeyValue("CONT_IMG_VER", "v1.0.0"))));
  }

  @Test
  void globalArgWithoutRedeclaration_isEmptyInTheStage() {
    BuildPlan p = plan("ARG V=1\nFROM a\nLABEL v=\"[$V]\"\n", Map.of());
    assertThat(step(p, 0, 0))
        .isEqualTo(new Instruction.Label(3, List.of(new Instruction.KeyValue("v", "[]"))));
    assertThat(p.stages().get(0).steps().get(0).buildArgs()).isEmpty();
  }

  /** dockerfile_platform_test.go testPlatformArgsImplicit/Explicit: predefined platform ARGs. */
  @Test
  void platformArgs_arePredefinedGlobals() {
    String df =
        "FROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETPLATFORM\nARG TARGETARCH\n"
            + "ARG TARGETVARIANT\nARG BUILDOS\nRUN echo $TARGETPLATFORM\n"
            + "COPY out-${TARGETARCH}${TARGETVARIANT:+-$TARGETVARIANT} /out\n";
    BuildOptions o = BuildOptions.of(Map.of()).withTargetPlatform("linux/arm/v7");
    BuildPlan p = BuildPlan.of(Dockerfile.parse(df), o);
    Stage s = p.stages().get(0);
    assertThat(s.platform()).isEqualTo("linux/amd64");
    assertThat(s.fromArgs()).containsExactly(Map.entry("BUILDPLATFORM", "linux/amd64"));
    assertThat(((Instruction.Copy) step(p, 0, 5)).sources()).containsExactly("out-arm-v7");
    assertThat(s.steps().get(4).buildArgs())
        .containsExactly(
            Map.entry("TARGETPLATFORM", "linux/arm/v7"),
            Map.entry("TARGETARCH", "arm"),
            Map.entry("TARGETVARIANT", "v7"),
            Map.entry("BUILDOS", "linux"));
    assertThat(p.globalArgs()).containsEntry("TARGETSTAGE", "default");
  }

  @Test
  void stageBasedOnAnotherStage_inheritsItsEnvAndArgs() {
    String df =
        "FROM alpine AS base\nARG V=1\nENV E=e\nFROM base AS next\nRUN true\nWORKDIR /$E/$V\n";
    BuildPlan p =
        BuildPlan.of(
            Dockerfile.parse(df),
            BuildOptions.of(Map.of()).withImageEnv(ref -> List.of("PATH=/usr/bin", "HOME=/root")));
    assertThat(p.stages().get(1).base()).isEqualTo(new Stage.Base.StageRef(0));
    assertThat(p.stages().get(1).steps().get(0).buildArgs()).containsExactly(Map.entry("V", "1"));
    assertThat(step(p, 1, 1)).isEqualTo(new Instruction.Workdir(6, "/e/1"));
    BuildPlan q = plan("FROM alpine\nWORKDIR $HOME\n", Map.of());
    assertThat(step(q, 0, 0)).isEqualTo(new Instruction.Workdir(2, ""));
    BuildPlan r =
        BuildPlan.of(
            Dockerfile.parse("FROM alpine\nWORKDIR $HOME\n"),
            BuildOptions.of(Map.of()).withImageEnv(ref -> List.of("HOME=/root")));
    assertThat(step(r, 0, 0)).isEqualTo(new Instruction.Workdir(2, "/root"));
  }

  @Test
  void substitutedWords_perInstruction() {
    String df =
        "FROM a\nARG P=80 U=app D=/data\nEXPOSE $P \"${P}1/udp\"\nUSER $U\nVOLUME [\"$D\", \"/x\"]\n"
            + "STOPSIGNAL SIG$U\nCOPY --chown=$U --chmod=0$P --from=stage src-$P /d/$U\n"
            + "ADD --checksum=sha256:$P https://x/$P /y\nCMD echo $P\nENTRYPOINT [\"$P\"]\n"
            + "HEALTHCHECK CMD check $P\nONBUILD RUN $P\nMAINTAINER $U\nSHELL [\"$U\"]\n"
            + "RUN --mount=type=cache,target=$D,id=c-$U echo $P\n";
    BuildPlan p = plan(df, Map.of());
    List<Step> s = p.stages().get(0).steps();
    assertThat(s.get(1).instruction())
        .isEqualTo(new Instruction.Expose(3, List.of("80", "801/udp")));
    assertThat(s.get(2).instruction()).isEqualTo(new Instruction.User(4, "app"));
    assertThat(s.get(3).instruction()).isEqualTo(new Instruction.Volume(5, List.of("/data", "/x")));
    assertThat(s.get(4).instruction()).isEqualTo(new Instruction.StopSignal(6, "SIGapp"));
    Instruction.Copy copy = (Instruction.Copy) s.get(5).instruction();
    assertThat(
            List.of(
                copy.chown(), copy.chmod(), copy.from(), copy.sources().get(0), copy.destination()))
        .containsExactly("app", "080", "stage", "src-80", "/d/app");
    assertThat(s.get(5).buildArgs()).containsOnlyKeys("P", "U");
    Instruction.Add add = (Instruction.Add) s.get(6).instruction();
    assertThat(List.of(add.checksum(), add.sources().get(0)))
        .containsExactly("sha256:80", "https://x/80");
    // Not substituted by the frontend.
    assertThat(((Instruction.Cmd) s.get(7).instruction()).command().args())
        .containsExactly("echo $P");
    assertThat(((Instruction.Entrypoint) s.get(8).instruction()).command().args())
        .containsExactly("$P");
    assertThat(((Instruction.Healthcheck) s.get(9).instruction()).test())
        .containsExactly("CMD-SHELL", "check $P");
    assertThat(((Instruction.Onbuild) s.get(10).instruction()).expression()).isEqualTo("RUN $P");
    assertThat(((Instruction.Maintainer) s.get(11).instruction()).name()).isEqualTo("$U");
    assertThat(((Instruction.Shell) s.get(12).instruction()).shell()).containsExactly("$U");
    assertThat(s.get(7).buildArgs()).isEmpty();
    Step run = s.get(13);
    assertThat(run.mounts()).hasSize(1);
    assertThat(run.mounts().get(0).target()).isEqualTo("/data");
    assertThat(run.mounts().get(0).id()).isEqualTo("c-app");
    assertThat(run.mounts().get(0).readOnly()).isFalse();
    assertThat(run.buildArgs()).containsOnlyKeys("P", "U", "D");
  }

  /** BuildKit's ExpandRaw: unquoted heredoc sources of COPY are substituted, quoted ones not. */
  @Test
  void copyHeredocs_substitutedUnlessTheDelimiterIsQuoted() {
    String df =
        "FROM a\nARG NAME=me\nCOPY <<A <<'B' /dest/\nhi \"$NAME\"\nA\nhi $NAME\nB\n"
            + "RUN <<EOF\necho $NAME\nEOF\n";
    BuildPlan p = plan(df, Map.of());
    Instruction.Copy copy = (Instruction.Copy) step(p, 0, 1);
    assertThat(copy.inline())
        .extracting(Heredoc::text)
        .containsExactly("hi \"me\"\n", "hi $NAME\n");
    Instruction.Run run = (Instruction.Run) step(p, 0, 2);
    assertThat(run.heredocs().get(0).text()).isEqualTo("echo $NAME\n");
  }

  @Test
  void copyFromWithAVariable_isRefused() {
    assertThatThrownBy(() -> plan("FROM a\nARG S=x\nCOPY --from=$S a b\n", Map.of()))
        .hasMessage(
            "Dockerfile:3: variable expansion is not supported for --from; define a new stage with"
                + " FROM using ARG from global scope as a workaround");
  }

  @Test
  void errors_nameTheLine() {
    assertThatThrownBy(() -> plan("RUN x\nFROM a\n", Map.of()))
        .hasMessage(
            "Dockerfile:1: RUN comes before the first FROM; only ARG may come before FROM; move it"
                + " into a stage");
    assertThatThrownBy(() -> plan("ARG X\nFROM $X\n", Map.of()))
        .hasMessageStartingWith("Dockerfile:2: base name ($X) should not be blank;");
    assertThatThrownBy(() -> plan("ARG P\nFROM --platform=$P a\n", Map.of()))
        .hasMessageStartingWith("Dockerfile:2: empty platform value from expression $P;");
    assertThatThrownBy(() -> plan("FROM a\nWORKDIR ${X\n", Map.of()))
        .hasMessageStartingWith("Dockerfile:2: syntax error: missing '}' in WORKDIR;");
    assertThatThrownBy(
            () -> plan("FROM a\nARG T\nRUN --mount=type=$T,target=/x true\n", Map.of("T", "nfs")))
        .hasMessage(
            "Dockerfile:3: unsupported mount type \"nfs\" (use bind, cache, tmpfs, secret or ssh);"
                + " see https://docs.docker.com/reference/dockerfile/#run---mount");
  }

  @Test
  void unusedBuildArgs_areReported() {
    BuildPlan p =
        plan("ARG A\nFROM a\nARG B\n", Map.of("A", "1", "B", "2", "C", "3", "TARGETARCH", "arm64"));
    assertThat(p.unusedBuildArgs()).containsExactly("C");
    assertThat(p.globalArgs()).containsEntry("TARGETARCH", "arm64").containsEntry("A", "1");
  }

  /**
   * BuildKit's dispatchOnBuildTriggers (dockerfile2llb/convert.go): a base image's triggers are
   * dispatched right after its FROM, substituted with the stage's variables, before the stage's own
   * instructions; images without triggers add none.
   */
  @Test
  void onbuildTriggers_ofTheBaseImage_runRightAfterItsFrom() {
    String df = "FROM busybox\nFROM parent:1 AS app\nENV B=2\nRUN echo $B\n";
    BuildPlan p =
        BuildPlan.of(
            Dockerfile.parse(df),
            BuildOptions.of(Map.of())
                .withImageEnv(ref -> ref.equals("parent:1") ? List.of("DEST=/app") : List.of())
                .withImageOnBuild(
                    ref ->
                        ref.equals("parent:1")
                            ? List.of("COPY . $DEST/", "RUN echo built > $DEST/x")
                            : List.of()));

    assertThat(p.stages().get(0).steps()).isEmpty();
    List<Step> steps = p.stages().get(1).steps();
    assertThat(steps).hasSize(4);
    assertThat(steps.get(0).instruction()).isInstanceOf(Instruction.Copy.class);
    assertThat(((Instruction.Copy) steps.get(0).instruction()).destination()).isEqualTo("/app/");
    assertThat(steps.get(0).instruction().line()).isEqualTo(2);
    assertThat(steps.get(0).trigger()).isEqualTo("COPY . $DEST/");
    assertThat(steps.get(1).trigger()).isEqualTo("RUN echo built > $DEST/x");
    assertThat(steps.get(2).trigger()).isEmpty();
    assertThat(steps.get(3).instruction().line()).isEqualTo(4);
  }

  @Test
  void aBadOnbuildTrigger_failsAtTheFromLine_namingTheTriggerAndTheImage() {
    for (String trigger : List.of("FROM busybox", "BOGUS x", "COPY --nope=1 a b", "RUN a\nRUN b")) {
      assertThatThrownBy(
              () ->
                  BuildPlan.of(
                      Dockerfile.parse("FROM busybox\n\nFROM parent:1\nRUN true\n"),
                      BuildOptions.of(Map.of())
                          .withImageOnBuild(
                              ref -> ref.equals("parent:1") ? List.of(trigger) : List.of())))
          .as(trigger)
          .isInstanceOf(DockerfileException.class)
          .hasMessageStartingWith(
              "Dockerfile:3: ONBUILD trigger \""
                  + trigger.split("\n")[0]
                  + (trigger.contains("\n") ? " ..." : "")
                  + "\" of parent:1: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  /**
   * As BuildKit (checked with dockerd 20.10's): a stage FROM an earlier stage runs that stage's
   * ONBUILD triggers, which BuildKit reads from the earlier stage's image config.
   */
  @Test
  void onbuildTriggers_ofAnEarlierStage_runInAStageFromIt() {
    String df =
        "FROM busybox AS base\nONBUILD RUN echo trig > /trig\nRUN true\nFROM base\nRUN cat /trig\n";
    BuildPlan p = BuildPlan.of(Dockerfile.parse(df), BuildOptions.of(Map.of()));

    List<Step> steps = p.stages().get(1).steps();
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).trigger()).isEqualTo("RUN echo trig > /trig");
    assertThat(steps.get(0).instruction().line()).isEqualTo(4);
    assertThat(steps.get(1).trigger()).isEmpty();
  }
}
