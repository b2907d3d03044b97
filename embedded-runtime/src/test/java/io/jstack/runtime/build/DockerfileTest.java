package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerfileTest {

  private static Instruction only(String instruction) {
    List<Instruction> in = Dockerfile.parse("FROM busybox\n" + instruction).instructions();
    return in.get(in.size() - 1);
  }

  private static String error(String dockerfile) {
    try {
      Dockerfile.parse(dockerfile);
    } catch (DockerfileException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + dockerfile);
  }

  @Test
  void from_withPlatformAndStageName() {
    assertThat(only("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build"))
        .isEqualTo(new Instruction.From(2, "golang:1.22", "build", "$BUILDPLATFORM"));
    assertThat(only("from scratch")).isEqualTo(new Instruction.From(2, "scratch", "", ""));
  }

  @Test
  void run_flagsAndForms() {
    Instruction.Run run =
        (Instruction.Run)
            only(
                "RUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=secret,id=tok"
                    + " --network=none echo hi");
    assertThat(run.command()).isEqualTo(Command.shell("echo hi"));
    assertThat(run.mounts())
        .containsExactly("type=cache,target=/root/.cache,sharing=locked", "type=secret,id=tok");
    assertThat(run.network()).isEqualTo("none");
    assertThat(run.security()).isEqualTo("sandbox");
    assertThat(((Instruction.Run) only("RUN [\"echo\", \"hi there\"]")).command())
        .isEqualTo(Command.exec(List.of("echo", "hi there")));
  }

  @Test
  void cmdEntrypointShell_keepTheirForm() {
    assertThat(only("CMD [\"a\", \"b\"]"))
        .isEqualTo(new Instruction.Cmd(2, Command.exec(List.of("a", "b"))));
    assertThat(only("ENTRYPOINT exec top -b"))
        .isEqualTo(new Instruction.Entrypoint(2, Command.shell("exec top -b")));
    assertThat(only("SHELL [\"powershell\", \"-command\"]"))
        .isEqualTo(new Instruction.Shell(2, List.of("powershell", "-command")));
  }

  @Test
  void envLabelArgMaintainer() {
    assertThat(only("ENV A=1 B=\"x y\""))
        .isEqualTo(
            new Instruction.Env(
                2,
                List.of(
                    new Instruction.KeyValue("A", "1"), new Instruction.KeyValue("B", "\"x y\""))));
    assertThat(only("ENV A  hello world"))
        .isEqualTo(new Instruction.Env(2, List.of(new Instruction.KeyValue("A", "hello world"))));
    assertThat(only("LABEL a.b=c"))
        .isEqualTo(new Instruction.Label(2, List.of(new Instruction.KeyValue("a.b", "c"))));
    assertThat(only("ARG A B=2 C="))
        .isEqualTo(
            new Instruction.Arg(
                2,
                List.of(
                    new Instruction.ArgDefinition("A", null),
                    new Instruction.ArgDefinition("B", "2"),
                    new Instruction.ArgDefinition("C", ""))));
    assertThat(only("MAINTAINER Jane <j@x>"))
        .isEqualTo(new Instruction.Maintainer(2, "Jane <j@x>"));
  }

  @Test
  void exposeVolumeUserWorkdirStopsignal() {
    assertThat(only("EXPOSE 80 443/tcp"))
        .isEqualTo(new Instruction.Expose(2, List.of("80", "443/tcp")));
    assertThat(only("VOLUME [\"/a\", \"/b\"]"))
        .isEqualTo(new Instruction.Volume(2, List.of("/a", "/b")));
    assertThat(only("VOLUME /a /b")).isEqualTo(new Instruction.Volume(2, List.of("/a", "/b")));
    assertThat(only("USER app:app")).isEqualTo(new Instruction.User(2, "app:app"));
    assertThat(only("WORKDIR /my dir")).isEqualTo(new Instruction.Workdir(2, "/my dir"));
    assertThat(only("STOPSIGNAL SIGTERM")).isEqualTo(new Instruction.StopSignal(2, "SIGTERM"));
  }

  /** Cases of parser/testfiles/health and instructions/parse_test.go TestHealthCheckCmd. */
  @Test
  void healthcheck_formsAndDurations() {
    assertThat(
            only(
                "HEALTHCHECK --interval=5s --timeout=3s --retries=3 \\\n  CMD /app/check.sh --quiet"))
        .isEqualTo(
            new Instruction.Healthcheck(
                2,
                List.of("CMD-SHELL", "/app/check.sh --quiet"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ZERO,
                Duration.ZERO,
                3));
    assertThat(((Instruction.Healthcheck) only("HEALTHCHECK   CMD   hello world")).test())
        .containsExactly("CMD-SHELL", "hello world");
    assertThat(((Instruction.Healthcheck) only("HEALTHCHECK --timeout=3s CMD [\"foo\"]")).test())
        .containsExactly("CMD", "foo");
    Instruction.Healthcheck h =
        (Instruction.Healthcheck)
            only(
                "HEALTHCHECK --start-period=1m30s --start-interval=500ms --interval=0s CMD [\"foo\"]");
    assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(((Instruction.Healthcheck) only("HEALTHCHECK NONE")).test()).containsExactly("NONE");
  }

  @Test
  void onbuild_keepsTheTriggerText() {
    Instruction.Onbuild o = (Instruction.Onbuild) only("ONBUILD COPY . /app");
    assertThat(o.expression()).isEqualTo("COPY . /app");
    assertThat(o.trigger()).isInstanceOf(Instruction.Copy.class);
    Instruction.Onbuild h = (Instruction.Onbuild) only("ONBUILD RUN <<EOF\necho hi\nEOF");
    assertThat(h.expression()).isEqualTo("RUN <<EOF\necho hi\nEOF");
  }

  @Test
  void copyAndAdd_flagsSourcesAndHeredocs() {
    assertThat(
            only(
                "COPY --from=build --chown=app:app --chmod=755 --link --exclude=*.md --exclude=x"
                    + " --parents a b /dst/"))
        .isEqualTo(
            new Instruction.Copy(
                2,
                List.of("a", "b"),
                List.of(),
                "/dst/",
                "build",
                "app:app",
                "755",
                true,
                List.of("*.md", "x"),
                true));
    assertThat(only("COPY [\"a b\", \"/c\"]"))
        .isEqualTo(
            new Instruction.Copy(
                2, List.of("a b"), List.of(), "/c", "", "", "", false, List.of(), false));
    Instruction.Copy c = (Instruction.Copy) only("COPY <<-EOF x /dst\n\tline\n\tEOF");
    assertThat(c.sources()).containsExactly("x");
    assertThat(c.inline()).containsExactly(new Heredoc("EOF", "line\n", true, true, 0));
    assertThat(only("ADD --checksum=sha256:abc --keep-git-dir=true https://x/y.tgz /z"))
        .isEqualTo(
            new Instruction.Add(
                2,
                List.of("https://x/y.tgz"),
                List.of(),
                "/z",
                "",
                "",
                false,
                List.of(),
                "sha256:abc",
                true,
                null));
  }

  /** instructions/parse_heredoc_test.go TestCopyHeredoc. */
  @Test
  void copyHeredocs_asBuildKitsTestCopyHeredoc() {
    assertThat(((Instruction.Copy) only("COPY <<EOF /bar\nEOF")).inline())
        .containsExactly(new Heredoc("EOF", "", true, false, 0));
    assertThat(((Instruction.Copy) only("COPY <<-EOF /bar\n\tTESTING\nEOF")).inline())
        .extracting(Heredoc::text)
        .containsExactly("TESTING\n");
    assertThat(((Instruction.Copy) only("COPY <<'EOF' /bar\nTESTING\nEOF")).inline())
        .containsExactly(new Heredoc("EOF", "TESTING\n", false, false, 0));
    Instruction.Copy two =
        (Instruction.Copy)
            only(
                "COPY <<EOF1 <<EOF2 /bar\nthis is the first file\nEOF1\nthis is the second file\nEOF2");
    assertThat(two.inline())
        .extracting(Heredoc::name, Heredoc::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("EOF1", "this is the first file\n"),
            org.assertj.core.groups.Tuple.tuple("EOF2", "this is the second file\n"));
    Instruction.Copy mixed =
        (Instruction.Copy) only("COPY <<EOF foo.txt /bar\nthis is inline\nEOF");
    assertThat(mixed.sources()).containsExactly("foo.txt");
    assertThat(mixed.inline()).extracting(Heredoc::text).containsExactly("this is inline\n");
    assertThat(((Instruction.Copy) only("COPY <<EOF /quotes\n\"quotes\"\nEOF")).inline())
        .extracting(Heredoc::text)
        .containsExactly("\"quotes\"\n");
  }

  /** instructions/parse_heredoc_test.go TestRunHeredoc: the command keeps the marker. */
  @Test
  void runHeredocs_asBuildKitsTestRunHeredoc() {
    Instruction.Run a = (Instruction.Run) only("RUN <<EOF\nls /\nwhoami\nEOF");
    assertThat(a.command()).isEqualTo(Command.shell("<<EOF"));
    assertThat(a.heredocs()).containsExactly(new Heredoc("EOF", "ls /\nwhoami\n", true, false, 0));
    Instruction.Run b =
        (Instruction.Run) only("RUN <<'EOF' | python\nprint(\"hello\")\nprint(\"world\")\nEOF");
    assertThat(b.command()).isEqualTo(Command.shell("<<'EOF' | python"));
    assertThat(b.heredocs().get(0).content()).isEqualTo("print(\"hello\")\nprint(\"world\")\n");
    Instruction.Run c = (Instruction.Run) only("RUN <<-EOF\n\techo test\nEOF");
    assertThat(c.heredocs()).containsExactly(new Heredoc("EOF", "\techo test\n", true, true, 0));
  }

  @Test
  void lineNumbers_areKept() {
    Dockerfile df =
        Dockerfile.parse("# syntax=docker/dockerfile:1\n\nFROM a\nRUN a \\\n  b\n\nCMD c\n");
    assertThat(df.instructions()).extracting(Instruction::line).containsExactly(3, 4, 7);
    assertThat(df.syntax()).isEqualTo("docker/dockerfile:1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "docker/dockerfile:1",
        "docker/dockerfile:1.7",
        "docker/dockerfile:1.7.1",
        "docker.io/docker/dockerfile:1",
        "docker/dockerfile",
        "docker/dockerfile:1-labs",
        "docker/dockerfile:1.7-labs",
        "docker.io/docker/dockerfile:labs",
        "docker/dockerfile:1@sha256:0000000000000000000000000000000000000000000000000000000000000000"
      })
  void syntaxOfDockerfile1_selectsTheBuiltInFrontend(String image) {
    assertThat(Dockerfile.parse("# syntax=" + image + "\nFROM a\n").syntax()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "docker/dockerfile-upstream:master",
        "tonistiigi/dockerfile:x",
        "docker/dockerfile:2",
        "docker/dockerfile:1-experimental",
        "example.com/docker/dockerfile:1"
      })
  void otherSyntaxImages_areRefused(String image) {
    assertThat(error("# syntax=" + image + "\nFROM a\n"))
        .isEqualTo(
            "Dockerfile:1: the syntax image "
                + image
                + " is not supported, jstack builds with its own frontend; use"
                + " # syntax=docker/dockerfile:1 or remove the line");
  }

  /** instructions/parse_test.go TestErrorCases and the argument-count tests. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "COPY\t <BS><NL>      bar | Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        "ONBUILD FROM scratch | Dockerfile:2: FROM isn't allowed as an ONBUILD trigger",
        "MAINTAINER --boo joe@example.com | Dockerfile:2: unknown flag: --boo; MAINTAINER accepts no flags",
        "ONBUILD ONBUILD RUN touch foobar | Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        "FOO bar | Dockerfile:2: unknown instruction: FOO; use one of ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR",
        "WORKDIR | Dockerfile:2: WORKDIR requires exactly one argument",
        "USER | Dockerfile:2: USER requires exactly one argument",
        "STOPSIGNAL | Dockerfile:2: STOPSIGNAL requires exactly one argument",
        "ENV | Dockerfile:2: ENV requires at least one argument",
        "LABEL | Dockerfile:2: LABEL requires at least one argument",
        "ONBUILD | Dockerfile:2: ONBUILD requires at least one argument",
        "HEALTHCHECK | Dockerfile:2: HEALTHCHECK requires at least one argument",
        "EXPOSE | Dockerfile:2: EXPOSE requires at least one argument",
        "VOLUME | Dockerfile:2: VOLUME requires at least one argument",
        "ADD arg1 | Dockerfile:2: ADD requires at least two arguments, but only one was provided. Destination could not be determined",
        "ENV name | Dockerfile:2: ENV must have two arguments",
        "ENV a=1 b | Dockerfile:2: Syntax error - can't find = in \"b\". Must be of the form: name=value",
        "ARG =x | Dockerfile:2: ARG names can not be blank",
        "FROM a b | Dockerfile:2: FROM requires either one or three arguments",
        "FROM a AS 1x | Dockerfile:2: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
        "SHELL sh -c | Dockerfile:2: SHELL requires the arguments to be in JSON form",
        "HEALTHCHECK CONNECT TCP 7000 | Dockerfile:2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        "HEALTHCHECK NONE x | Dockerfile:2: HEALTHCHECK NONE takes no arguments",
        "HEALTHCHECK CMD | Dockerfile:2: Missing command after HEALTHCHECK CMD",
        "HEALTHCHECK --interval=50ns CMD x | Dockerfile:2: Interval \"interval\" cannot be less than 1ms",
        "HEALTHCHECK --retries=-1 CMD x | Dockerfile:2: --retries cannot be negative (-1)",
        "HEALTHCHECK --timeout=10 CMD x | Dockerfile:2: time: missing unit in duration \"10\"",
        "COPY --chown a b | Dockerfile:2: missing a value on flag: --chown; write --chown=<value>",
        "COPY --link=maybe a b | Dockerfile:2: expecting boolean value for flag --link, not: maybe; use true or false",
        "COPY --from=a --from=b a b | Dockerfile:2: duplicate flag specified: --from; give --from once",
        "COPY --checksum=x a b | Dockerfile:2: unknown flag: --checksum; COPY accepts --chmod, --chown, --exclude, --from, --link, --parents",
        "COPY a <<EOF<NL>EOF | Dockerfile:2: COPY cannot accept a heredoc as a destination",
        "RUN --network=bridge x | Dockerfile:2: invalid network mode \"bridge\" (use default, none or host)",
        "RUN --mount=type=nfs,target=/x x | Dockerfile:2: unsupported mount type \"nfs\" (use bind, cache, tmpfs, secret or ssh); see https://docs.docker.com/reference/dockerfile/#run---mount",
        "RUN --mount=type=secret x | Dockerfile:2: invalid secret mount. one of source, target required; see https://docs.docker.com/reference/dockerfile/#run---mount",
        "RUN --mount=type=bind,mode=0600,target=/x x | Dockerfile:2: mode not allowed for \"bind\" type mounts; see https://docs.docker.com/reference/dockerfile/#run---mount",
        "RUN --mount=type=cache,target=/x,foo=bar x | Dockerfile:2: unexpected key 'foo' in 'foo=bar'; see https://docs.docker.com/reference/dockerfile/#run---mount",
        "RUN --mount=type=tmpfs,target=/x,sharing=locked x | Dockerfile:2: invalid cache sharing set for tmpfs mount; see https://docs.docker.com/reference/dockerfile/#run---mount",
      })
  void errors_areOneLineWithTheLineAndAFix(String instruction, String expected) {
    String message =
        error("FROM busybox\n" + instruction.replace("<NL>", "\n").replace("<BS>", "\\"));
    assertThat(message).doesNotContain("\n").startsWith(expected);
  }

  @Test
  void exception_carriesTheLine() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM a\n\nBAD x\n"))
        .isInstanceOfSatisfying(
            DockerfileException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.problem()).isEqualTo("unknown instruction: BAD");
              assertThat(e.fix()).startsWith("use one of ADD");
            });
  }
}
