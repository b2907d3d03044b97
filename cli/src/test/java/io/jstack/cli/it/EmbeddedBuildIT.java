package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code jstack up --build} on the embedded engine: two built services, one of them multi-stage
 * with two independent stages, which build at the same time; the live view shows each step under
 * its service, in order, cached or with its time; the services run what was built. The same kind of
 * stack built by {@code docker build} (the classic protocol) and Debian's {@code docker-compose
 * build} against the engine's socket gives images that run.
 */
class EmbeddedBuildIT extends EmbeddedStackFixture {

  @Test
  void upBuild_twoServices_independentStagesOverlap_stepsShownWithTimes() throws Exception {
    Files.createDirectories(dir.resolve("multi"));
    Files.createDirectories(dir.resolve("simple"));
    compose(
        """
        services:
          multi:
            build: ./multi
            command: ["sh", "-c", "cat /t/*; sleep 3600"]
            stop_signal: SIGKILL
          simple:
            build: ./simple
            command: ["sh", "-c", "cat /msg; sleep 3600"]
            stop_signal: SIGKILL
        """);
    String stamp = "cut -d' ' -f1 /proc/uptime";
    Files.writeString(
        dir.resolve("multi/Dockerfile"),
        String.join(
            "\n",
            "FROM jstack-examples/busybox:latest AS a",
            "RUN " + stamp + " > /a.start && sleep 2 && " + stamp + " > /a.end",
            "FROM jstack-examples/busybox:latest AS b",
            "RUN " + stamp + " > /b.start && sleep 2 && " + stamp + " > /b.end",
            "FROM jstack-examples/busybox:latest",
            "COPY --from=a /a.start /a.end /t/",
            "COPY --from=b /b.start /b.end /t/",
            ""));
    Files.writeString(
        dir.resolve("simple/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nRUN echo simple > /msg\n");

    JstackRunner.Run up = ok("up", "-d", "--build");

    String out = up.out();
    assertThat(out)
        .contains(" Service multi  Built", " Service simple  Built")
        .contains(" multi  Step 1/7 : FROM jstack-examples/busybox:latest AS a\n")
        .contains(" multi  Step 7/7 : COPY --from=b /b.start /b.end /t/\n")
        .contains(" simple  Step 2/2 : RUN echo simple > /msg\n")
        .containsPattern("(?m)^ simple   ---> [0-9a-f]{12}  \\d+\\.\\ds$");
    // Stage a streams live: its RUN's closing line has its time (about the 2 s it slept).
    assertThat(out).containsPattern("(?m)^ multi   ---> [0-9a-f]{12}  [2-9]\\.\\ds$");
    assertThat(out.indexOf(" multi  Step 4/7")).isGreaterThan(out.indexOf(" multi  Step 3/7"));

    String times =
        jstack
            .run(
                base,
                "exec",
                "-T",
                "multi",
                "cat",
                "/t/a.start",
                "/t/a.end",
                "/t/b.start",
                "/t/b.end")
            .out();
    String[] t = times.strip().split("\\s+");
    double aStart = Double.parseDouble(t[0]);
    double aEnd = Double.parseDouble(t[1]);
    double bStart = Double.parseDouble(t[2]);
    double bEnd = Double.parseDouble(t[3]);
    assertThat(aStart).as(times).isLessThan(bEnd);
    assertThat(bStart).as(times).isLessThan(aEnd);
    assertThat(jstack.run(base, "exec", "-T", "simple", "cat", "/msg").out()).isEqualTo("simple\n");

    JstackRunner.Run again = ok("build");
    assertThat(again.out()).contains(" multi   ---> Using cache").doesNotContain("Running in");

    // up --build with nothing changed: the same images, so the same containers.
    List<String> before = stack.containerIds();
    ok("up", "-d", "--build");
    assertThat(stack.containerIds()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void dockerBuild_andDockerComposeBuild_againstTheSocket_giveImagesThatRun() throws Exception {
    Path web = Files.createDirectories(dir.resolve("web"));
    Path worker = Files.createDirectories(dir.resolve("worker"));
    compose(
        """
        services:
          web:
            build: ./web
          worker:
            build:
              context: ./worker
              args: {GREETING: hello}
        """);
    Files.writeString(
        web.resolve("Dockerfile"),
        String.join(
            "\n",
            "FROM jstack-examples/busybox:latest AS assets",
            "COPY a.txt /in/",
            "RUN tr a-z A-Z < /in/a.txt > /a",
            "FROM jstack-examples/busybox:latest AS bin",
            "RUN echo from-bin > /b",
            "FROM jstack-examples/busybox:latest",
            "ARG VERSION=7",
            "COPY --from=assets /a /srv/a",
            "COPY --from=bin /b /srv/b",
            "RUN echo version-$VERSION > /srv/version",
            ""));
    Files.writeString(web.resolve("a.txt"), "from-assets\n");
    Files.writeString(
        worker.resolve("Dockerfile"),
        "FROM jstack-examples/busybox:latest\nARG GREETING\nRUN echo \"$GREETING from worker\""
            + " > /msg\n");
    ok("ps"); // starts the engine

    String image = project + "-cli:latest";
    Docker.Result built =
        Docker.run(
            null,
            "env",
            "DOCKER_BUILDKIT=0",
            "docker",
            "-H",
            "unix://" + socket(),
            "build",
            "-q",
            "--build-arg",
            "VERSION=9",
            "-t",
            image,
            web.toString());
    assertThat(built.code()).as(built.err()).isZero();
    assertThat(built.out().strip()).startsWith("sha256:");
    assertThat(run(image, "cat /srv/a /srv/b /srv/version"))
        .isEqualTo("FROM-ASSETS\nfrom-bin\nversion-9\n");

    Docker.Result composed =
        Docker.run(
            null,
            "env",
            "DOCKER_HOST=unix://" + socket(),
            "docker-compose",
            "-p",
            project,
            "-f",
            dir.resolve("compose.yaml").toString(),
            "build");
    assertThat(composed.code()).as(composed.out() + composed.err()).isZero();
    // docker-compose 1.29 names a project's images PROJECT_SERVICE.
    assertThat(run(project + "_worker", "cat /msg")).isEqualTo("hello from worker\n");
    assertThat(run(project + "_web", "cat /srv/version")).isEqualTo("version-7\n");
    for (String i : List.of(image, project + "_worker", project + "_web")) {
      assertThat(stack.docker("rmi", i).code()).as("rmi " + i).isZero();
    }
  }

  /**
   * A service's {@code build.secrets}, one declared with {@code file:} and one with {@code
   * environment:} (compose's secret from the variable jstack was started with), reach its RUN's
   * {@code --mount=type=secret} under their ids (the target, else the name); neither reaches the
   * image, and the files jstack wrote the variable's value to are gone after the build.
   */
  @Test
  void upBuild_givesBuildSecretsFromAFileAndFromTheEnvironment() throws Exception {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("key.txt"), "key-456");
    compose(
        """
        services:
          app:
            build:
              context: ./app
              secrets:
                - token
                - source: key
                  target: deploy_key
            command: ["sh", "-c", "cat /result; sleep 3600"]
            stop_signal: SIGKILL
        secrets:
          token:
            environment: BUILD_TOKEN
          key:
            file: ./key.txt
        """);
    Files.writeString(
        dir.resolve("app/Dockerfile"),
        String.join(
            "\n",
            "FROM jstack-examples/busybox:latest",
            "RUN --mount=type=secret,id=token --mount=type=secret,id=deploy_key \\",
            "  test \"$(cat /run/secrets/token)\" = tok-123 \\",
            "  && test \"$(cat /run/secrets/deploy_key)\" = key-456 \\",
            "  && ls /run/secrets > /result",
            ""));
    Map<String, String> withToken = new HashMap<>(env);
    withToken.put("BUILD_TOKEN", "tok-123");
    jstack = new JstackRunner(withToken);

    ok("up", "-d", "--build");

    assertThat(jstack.run(base, "exec", "-T", "app", "cat", "/result").out())
        .isEqualTo("deploy_key\ntoken\n");
    assertThat(jstack.run(base, "exec", "-T", "app", "ls", "/run/secrets").out()).isEmpty();

    // Without the variable, the build is refused in one line, naming it.
    jstack = new JstackRunner(env);
    JstackRunner.Run refused = jstack.run(base, "build");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("build secret token is the environment variable BUILD_TOKEN, which is not set");
  }

  /** The output of {@code docker run --rm IMAGE sh -c SCRIPT} on the engine. */
  private String run(String image, String script) {
    Docker.Result r = stack.docker("run", "--rm", image, "sh", "-c", script);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }
}
