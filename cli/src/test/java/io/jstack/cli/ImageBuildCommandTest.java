package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.engine.testing.ForwardingEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jstack image build} over a fake engine: the command line as a build spec, and output. */
class ImageBuildCommandTest {
  @TempDir Path dir;
  Path ctx;
  final List<BuildSpec> specs = new ArrayList<>();

  /** Records each build and says one line of progress, as an engine does. */
  final class Recording extends ForwardingEngine {
    Recording() {
      super(new FakeEngine());
    }

    @Override
    public String buildImage(BuildSpec spec, Consumer<String> progress) {
      specs.add(spec);
      progress.accept("Step 1/1 : FROM busybox");
      return delegate().buildImage(spec, progress);
    }
  }

  @BeforeEach
  void context() throws Exception {
    ctx = Files.createDirectories(dir.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
  }

  JstackTest.Run jstack(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Recording engine = new Recording();
    int code =
        Jstack.run(
            args,
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of("FROM_ENV", "env value"),
            (kind, env) -> engine,
            java.io.InputStream.nullInputStream());
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void everyOption_reachesTheBuildSpec() throws Exception {
    Files.createDirectories(ctx.resolve("docker"));
    Files.writeString(ctx.resolve("docker/App.Dockerfile"), "FROM busybox\n");

    JstackTest.Run r =
        jstack(
            "image",
            "build",
            "-t",
            "app:1",
            "--tag",
            "app:latest",
            "-f",
            ctx.resolve("docker/App.Dockerfile").toString(),
            "--build-arg",
            "V=2",
            "--build-arg",
            "FROM_ENV",
            "--build-arg",
            "UNSET",
            "--target",
            "run",
            "--no-cache",
            "--pull",
            "--label",
            "team=core",
            "--cache-from",
            "app:cache",
            "--cache-from",
            "app:old",
            ctx.toString());

    assertThat(r.code()).as(r.err()).isZero();
    BuildSpec spec = specs.get(0);
    assertThat(spec.context()).isEqualTo(ctx.toAbsolutePath());
    assertThat(spec.tags()).containsExactly("app:1", "app:latest");
    assertThat(spec.dockerfile()).isEqualTo("docker/App.Dockerfile");
    assertThat(spec.dockerfileInline()).isNull();
    assertThat(spec.args())
        .containsExactlyInAnyOrderEntriesOf(Map.of("V", "2", "FROM_ENV", "env value"));
    assertThat(spec.target()).isEqualTo("run");
    assertThat(spec.noCache()).isTrue();
    assertThat(spec.pull()).isTrue();
    assertThat(spec.labels()).containsExactlyEntriesOf(Map.of("team", "core"));
    assertThat(spec.cacheFrom()).containsExactly("app:cache", "app:old");
    assertThat(r.out()).as("progress is not on stdout").isEmpty();
    assertThat(r.err()).startsWith("Step 1/1 : FROM busybox\n").contains("Successfully built ");
  }

  @Test
  void aDockerfileOutsideTheContext_goesInline_underItsName() throws Exception {
    Path outside = dir.resolve("other.Dockerfile");
    Files.writeString(outside, "FROM busybox\nRUN true\n");

    JstackTest.Run r = jstack("image", "build", "-f", outside.toString(), ctx.toString());

    assertThat(r.code()).as(r.err()).isZero();
    // The name the engine's errors give it (other.Dockerfile:2), as BuildKit's would.
    assertThat(specs.get(0).dockerfile()).isEqualTo("other.Dockerfile");
    assertThat(specs.get(0).dockerfileInline()).isEqualTo("FROM busybox\nRUN true\n");
    assertThat(specs.get(0).tags()).isEmpty();
  }

  @Test
  void quiet_printsOnlyTheImageId() {
    JstackTest.Run r = jstack("image", "build", "-q", "-t", "app:1", ctx.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).matches("sha256:[0-9a-f]{64}\n");
  }

  @Test
  void badCommandLines_exitTwo_andBuildNothing() {
    assertThat(jstack("image", "build").code()).isEqualTo(2);
    assertThat(jstack("image", "build", dir.resolve("none").toString()).code()).isEqualTo(2);
    assertThat(jstack("image", "build", "--build-arg", "=x", ctx.toString()).code()).isEqualTo(2);
    assertThat(jstack("image", "build", "--label", "x", ctx.toString()).code()).isEqualTo(2);
    JstackTest.Run noFile = jstack("image", "build", "-f", "/none/Dockerfile", ctx.toString());
    assertThat(noFile.code()).isEqualTo(2);
    assertThat(noFile.err()).startsWith("jstack: no such Dockerfile: /none/Dockerfile");
    JstackTest.Run noSecret =
        jstack("image", "build", "--secret", "id=npmrc,src=/none/.npmrc", ctx.toString());
    assertThat(noSecret.code()).isEqualTo(2);
    assertThat(noSecret.err())
        .startsWith("jstack: --secret takes id=ID,src=FILE with an existing FILE");
    assertThat(jstack("image", "build", "--secret", "npmrc", ctx.toString()).code()).isEqualTo(2);
    assertThat(specs).isEmpty();
  }

  @Test
  void secrets_reachTheBuildSpec_asAbsoluteFiles() throws Exception {
    Path npmrc = Files.writeString(dir.resolve(".npmrc"), "token");

    JstackTest.Run r =
        jstack(
            "image",
            "build",
            "--secret",
            "id=npmrc,src=" + npmrc,
            "--secret",
            "type=file,id=key,source=" + npmrc,
            ctx.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(specs.get(0).secrets())
        .containsOnly(Map.entry("npmrc", npmrc), Map.entry("key", npmrc));
  }

  @Test
  void dockerfileError_keepsTheEnginesLineFromDockerfileOn() {
    assertThat(
            ImageBuildCommand.dockerfileError(
                "build image app failed: Dockerfile:3: RUN exit 3 exited 3; fix the command",
                "Dockerfile"))
        .isEqualTo("Dockerfile:3: RUN exit 3 exited 3; fix the command");
    assertThat(
            ImageBuildCommand.dockerfileError(
                "build image app failed: Dockerfile.bad:3: RUN exit 3 exited 3; fix the command",
                "Dockerfile.bad"))
        .isEqualTo("Dockerfile.bad:3: RUN exit 3 exited 3; fix the command");
    assertThat(
            ImageBuildCommand.dockerfileError(
                "build image app failed: dockerfile parse error line 2: unknown instruction: X",
                "Dockerfile"))
        .isEqualTo("build image app failed: dockerfile parse error line 2: unknown instruction: X");
    assertThat(ImageBuildCommand.dockerfileError(null, "Dockerfile")).isEqualTo("the build failed");
  }
}
