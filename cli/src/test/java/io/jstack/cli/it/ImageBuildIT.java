package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jstack image build} on each engine: options, output as {@code docker build} prints it,
 * one-line errors; on the embedded engine the context is read in place, and a tar upload (docker
 * build against the engine's socket) still works.
 */
class ImageBuildIT extends OnEachEngine {
  private Path context() throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(
        ctx.resolve("Dockerfile"),
        """
        FROM jstack-examples/busybox:latest AS base
        ARG GREETING=none
        RUN echo "$GREETING" > /greeting
        COPY . /ctx/
        FROM base AS final
        RUN echo final > /final
        """);
    Files.writeString(ctx.resolve("kept.txt"), "kept");
    Files.writeString(ctx.resolve("secret.txt"), "left out");
    Files.writeString(ctx.resolve(".dockerignore"), "secret.txt\n");
    return ctx;
  }

  /** The image's name, removed from dockerd after the test. */
  private String image(String name) {
    String image = project + "-" + name + ":1";
    if (stack.engine == EngineKind.DOCKER) {
      stack.onClose(() -> Docker.run(null, "docker", "rmi", "-f", image));
    }
    return image;
  }

  private JstackRunner.Run build(String... args) {
    return stack.jstack.run(new String[] {"--engine", stack.engine.flag()}, args);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void build_takesTagArgsLabelsAndTarget_andQuietPrintsOnlyTheId(EngineKind engine)
      throws Exception {
    on(engine);
    Path ctx = context();
    String image = image("app");

    JstackRunner.Run built =
        build(
            "image",
            "build",
            "-t",
            image,
            "--build-arg",
            "GREETING=hello",
            "--label",
            "team=core",
            "--target",
            "base",
            ctx.toString());

    assertThat(built.code()).as(built.err()).isZero();
    assertThat(built.out()).as("progress goes to stderr").isEmpty();
    assertThat(built.err()).contains("Step 1/").contains("RUN echo \"$GREETING\" > /greeting");
    if (engine == EngineKind.EMBEDDED) {
      assertThat(built.err()).contains("Build context " + ctx + ": read in place by the engine");
    } else {
      assertThat(built.err()).doesNotContain("read in place");
    }
    assertThat(
            stack.dockerLines("image", "inspect", "-f", "{{index .Config.Labels \"team\"}}", image))
        .containsExactly("core");
    assertThat(stack.dockerLines("run", "--rm", image, "sh", "-c", "cat /greeting; ls /ctx"))
        .as("the build arg, the target stage (no /final) and .dockerignore honoured")
        .containsExactly("hello", "Dockerfile", "kept.txt");

    JstackRunner.Run quiet =
        build(
            "image",
            "build",
            "-q",
            "-t",
            image,
            "--build-arg",
            "GREETING=hello",
            "--label",
            "team=core",
            "--target",
            "base",
            ctx.toString());

    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.err()).isEmpty();
    String id = stack.dockerLines("image", "inspect", "-f", "{{.Id}}", image).get(0);
    assertThat(quiet.out().lines().toList()).containsExactly(id);
    assertThat(id).matches("sha256:[0-9a-f]{64}");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void build_aDockerfileOutsideTheContext_isUsed(EngineKind engine) throws Exception {
    on(engine);
    Path ctx = context();
    Path other = dir.resolve("other.Dockerfile");
    Files.writeString(
        other, "FROM jstack-examples/busybox:latest\nCOPY kept.txt /kept\nRUN cat /kept\n");
    String image = image("other");

    JstackRunner.Run built =
        build("image", "build", "-q", "-t", image, "-f", other.toString(), ctx.toString());

    assertThat(built.code()).as(built.err()).isZero();
    assertThat(stack.dockerLines("run", "--rm", image, "cat", "/kept")).containsExactly("kept");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void build_badDockerfile_failsInOneLine_andBadUsageExitsTwo(EngineKind engine) throws Exception {
    on(engine);
    Path ctx = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(
        ctx.resolve("Dockerfile"), "FROM jstack-examples/busybox:latest\nFROBNICATE now\n");

    JstackRunner.Run failed = build("image", "build", "-t", image("bad"), ctx.toString());

    assertThat(failed.code()).isEqualTo(1);
    List<String> last = failed.err().lines().filter(l -> l.startsWith("jstack: ")).toList();
    assertThat(last).hasSize(1);
    assertThat(last.get(0)).containsIgnoringCase("frobnicate");
    if (engine == EngineKind.EMBEDDED) {
      assertThat(last.get(0)).startsWith("jstack: Dockerfile:2: ");
    } else {
      assertThat(last.get(0)).contains("line 2");
    }
    // Another file is named by its name, as BuildKit names it, in the context or outside it.
    Files.writeString(
        ctx.resolve("Dockerfile.bad"), "FROM jstack-examples/busybox:latest\nRUN exit 3\n");
    Path outside = dir.resolve("outside.Dockerfile");
    Files.writeString(outside, "FROM jstack-examples/busybox:latest\n\nFROBNICATE now\n");
    if (engine == EngineKind.EMBEDDED) {
      JstackRunner.Run bad =
          build("image", "build", "-f", ctx.resolve("Dockerfile.bad").toString(), ctx.toString());
      assertThat(bad.err().lines().filter(l -> l.startsWith("jstack: ")))
          .containsExactly(
              "jstack: Dockerfile.bad:2: RUN exit 3 exited 3; fix the command; its output is above");
      JstackRunner.Run out = build("image", "build", "-f", outside.toString(), ctx.toString());
      assertThat(out.err().lines().filter(l -> l.startsWith("jstack: ")).toList())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("jstack: outside.Dockerfile:3: unknown instruction: FROBNICATE");
    }

    assertThat(build("image", "build", "-t", "x").code()).as("no DIR").isEqualTo(2);
    assertThat(build("image", "build", dir.resolve("none").toString()).code()).isEqualTo(2);
    assertThat(build("image", "build", "--build-arg", "=x", ctx.toString()).code()).isEqualTo(2);
    assertThat(build("image", "build", "--label", "nolabel", ctx.toString()).code()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void upBuild_buildsTheServiceFromItsContext_andRunsIt(EngineKind engine) throws Exception {
    on(engine);
    context();
    if (engine == EngineKind.DOCKER) {
      stack.onClose(() -> Docker.run(null, "docker", "rmi", "-f", project + "-app"));
    }
    stack.compose(
        """
        services:
          app:
            build:
              context: ./ctx
              target: final
              args: {GREETING: composed}
            command: ["sh", "-c", "cat /greeting /final; sleep 3600"]
            stop_signal: SIGKILL
        """);

    JstackRunner.Run up = stack.ok("up", "-d", "--build");

    assertThat(up.out()).contains(" Service app  Built");
    if (engine == EngineKind.EMBEDDED) {
      assertThat(up.out()).contains("Build context " + dir.resolve("ctx") + ": read in place");
    } else {
      assertThat(up.out()).doesNotContain("read in place");
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(stack.ok("logs", "app").out()).contains("composed").contains("final"));
  }

  @Test
  void embedded_cacheFrom_givesEveryStepOnceTheBuildCacheIsGone_andAnAbsentOneIsIgnored()
      throws Exception {
    on(EngineKind.EMBEDDED);
    Path ctx = context();
    String image = image("seed");
    // An image the engine lacks is ignored, as dockerd ignores it: every step runs.
    JstackRunner.Run first =
        build(
            "image", "build", "-t", image, "--cache-from", "jstack-absent/none:1", ctx.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).doesNotContain("Using cache").contains("Running in");
    String id = stack.dockerLines("image", "inspect", "-f", "{{.Id}}", image).get(0);
    JstackRunner.Run pruned = build("image", "prune", "--build-cache", "-a");
    assertThat(pruned.code()).as(pruned.err()).isZero();

    JstackRunner.Run again =
        build("image", "build", "-t", image("again"), "--cache-from", image, ctx.toString());

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).doesNotContain("Running in");
    // Every step after the two FROMs: ARG, RUN, COPY, RUN.
    assertThat(again.err().split(" ---> Using cache", -1)).as(again.err()).hasSize(5);
    assertThat(stack.dockerLines("image", "inspect", "-f", "{{.Id}}", image("again")))
        .containsExactly(id);
  }

  @Test
  void embedded_aSymlinkOutOfTheContextDirectory_isNotFollowed() throws Exception {
    on(EngineKind.EMBEDDED);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "outside the context");
    Path ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.createSymbolicLink(ctx.resolve("up"), Path.of("../outside"));
    Files.createSymbolicLink(ctx.resolve("abs"), outside);
    Files.writeString(
        ctx.resolve("Dockerfile"),
        "FROM jstack-examples/busybox:latest\nCOPY up/secret.txt abs/secret.txt /got/\n");

    JstackRunner.Run built = build("image", "build", "-t", image("escape"), ctx.toString());

    assertThat(built.code())
        .as("the sources resolve inside the context, where they are not")
        .isEqualTo(1);
    assertThat(built.err())
        .contains("jstack: Dockerfile:2: ")
        .doesNotContain("outside the context");
  }

  @Test
  void embedded_aTarUpload_buildsTheSameImageAsTheDirectory() throws Exception {
    on(EngineKind.EMBEDDED);
    Path ctx = context();
    String inPlace = image("inplace");
    String uploaded = image("uploaded");
    // This also starts the engine, which docker does not.
    JstackRunner.Run first =
        build("image", "build", "-q", "-t", inPlace, "--target", "final", ctx.toString());
    assertThat(first.code()).as(first.err()).isZero();

    Docker.Result built =
        stack.docker("build", "-q", "-t", uploaded, "--target", "final", ctx.toString());

    assertThat(built.code()).as(built.err()).isZero();
    assertThat(stack.dockerLines("image", "inspect", "-f", "{{.Id}}", uploaded))
        .as("every step cached: the tar's files are the directory's, .dockerignore alike")
        .containsExactly(first.out().strip());
    assertThat(stack.dockerLines("run", "--rm", uploaded, "sh", "-c", "cat /final; ls /ctx"))
        .containsExactly("final", "Dockerfile", "kept.txt");
  }
}
