package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.testing.image.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stage graph and the frontend-level options of the embedded engine's builder, through the real
 * {@code docker} CLI (classic protocol) against the engine, and against dockerd's BuildKit ({@code
 * DOCKER_BUILDKIT=1 /usr/bin/docker}, Debian's 20.10 client) where it compares: parallel stages, a
 * failing stage cancelling the others, ONBUILD triggers in a child build, base images pulled from a
 * registry on 127.0.0.1, {@code --label}, platforms and {@code # syntax}.
 */
class BuildStagesIT extends EmbeddedBuildFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void engine() throws Exception {
    serveAnEngine();
  }

  /**
   * Two independent stages each sleep 2 s: they overlap (each RUN records when it started and
   * ended, from the host's uptime), so their steps take well under the 4 s a serial build needs;
   * the output still reads as a serial build's, steps numbered in order.
   */
  @Test
  void independentStages_runAtTheSameTime_outputInStepOrder() throws Exception {
    String stamp = "cut -d' ' -f1 /proc/uptime";
    Path context =
        context(
            String.join(
                "\n",
                "FROM " + BUSYBOX + " AS a",
                "RUN " + stamp + " > /a.start && sleep 2 && " + stamp + " > /a.end",
                "FROM " + BUSYBOX + " AS b",
                "RUN " + stamp + " > /b.start && sleep 2 && " + stamp + " > /b.end",
                "FROM " + BUSYBOX + " AS unused",
                "RUN exit 1",
                "FROM " + BUSYBOX,
                "COPY --from=a /a.start /a.end /t/",
                "COPY --from=b /b.start /b.end /t/",
                ""));
    String image = "jstack-build-it-par:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));

    String out = docker(host, "build", "-t", image, context.toString());

    String times =
        docker(
            host,
            "run",
            "--rm",
            "--network",
            "none",
            image,
            "cat",
            "/t/a.start",
            "/t/a.end",
            "/t/b.start",
            "/t/b.end");
    double[] t = new double[4];
    String[] parts = times.strip().split("\\s+");
    for (int i = 0; i < 4; i++) {
      t[i] = Double.parseDouble(parts[i]);
    }
    assertThat(t[0]).as(times).isLessThan(t[3]);
    assertThat(t[2]).as(times).isLessThan(t[1]);
    double span = Math.max(t[1], t[3]) - Math.min(t[0], t[2]);
    assertThat(span).as(times).isLessThan(3.5);

    List<Integer> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^Step (\\d+)/7 : ").matcher(out);
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group(1)));
    }
    assertThat(numbers).as(out).containsExactly(1, 2, 3, 4, 5, 6, 7);
    // Each step's lines stay together: a RUN's container line comes right after its Step line.
    assertThat(out)
        .containsPattern("Step 2/7 : RUN [^\\n]*a.start[^\\n]*\\n ---> Running in [0-9a-f]{12}\\n")
        .containsPattern("Step 4/7 : RUN [^\\n]*b.start[^\\n]*\\n ---> Running in [0-9a-f]{12}\\n")
        .doesNotContain("exit 1");
  }

  /** A failing stage stops the stage running beside it: its RUN is killed, nothing is left. */
  @Test
  void aFailingStage_cancelsTheOthers_andLeavesNothing() throws Exception {
    Path context =
        context(
            String.join(
                "\n",
                "FROM " + BUSYBOX + " AS slow",
                "RUN sleep 60",
                "RUN echo never",
                "FROM " + BUSYBOX + " AS broken",
                "RUN sleep 1; exit 3",
                "FROM " + BUSYBOX,
                "COPY --from=slow /etc/hostname /a",
                "COPY --from=broken /etc/hostname /b",
                ""));
    long start = System.nanoTime();
    String out = failedBuild(host, context);
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

    assertThat(out).contains("Dockerfile:5: RUN sleep 1; exit 3 exited 3");
    assertThat(out).doesNotContain("echo never\n ---> Running in");
    assertThat(seconds).as(out).isLessThan(40);
    assertThat(engine.list()).isEmpty();
    assertThat(engine.images().tags().keySet()).noneMatch(t -> t.contains("jstack-build-"));
  }

  /**
   * ONBUILD COPY and ONBUILD RUN of a parent image run in the child build, right after its FROM;
   * the child's OnBuild is empty; config, history count and files as dockerd's BuildKit gives them.
   */
  @Test
  void onbuildTriggers_runInTheChildBuild_asBuildKit() throws Exception {
    Map<String, Built> results = new LinkedHashMap<>();
    for (String on : new String[] {host, BUILDKIT}) {
      String parent = "jstack-build-it-parent:" + tag + (on.equals(BUILDKIT) ? "-kit" : "");
      String child = "jstack-build-it-child:" + tag + (on.equals(BUILDKIT) ? "-kit" : "");
      cleanUps.add(cli(on, "rmi", "-f", child));
      cleanUps.add(cli(on, "rmi", "-f", parent));
      Path p =
          context(
              "FROM "
                  + BUSYBOX
                  + "\nENV DEST=/app\nONBUILD COPY app.txt $DEST/\n"
                  + "ONBUILD RUN echo triggered > $DEST/ran\n");
      docker(on, "build", "-t", parent, p.toString());
      JsonNode parentConfig = config(on, parent);
      assertThat(parentConfig.get("OnBuild").toString())
          .isEqualTo("[\"COPY app.txt $DEST/\",\"RUN echo triggered > $DEST/ran\"]");
      Path c = context("FROM " + parent + "\nRUN cat /app/ran /app/app.txt > /app/both\n");
      String out = docker(on, "build", "-t", child, c.toString());
      if (!on.equals(BUILDKIT)) {
        assertThat(out).contains("Step 2/4 : # Executing ONBUILD trigger: COPY app.txt $DEST/");
      }
      results.put(on, built(on, child, "/app"));
    }
    Built ours = results.get(host);
    Built kit = results.get(BUILDKIT);
    assertThat(ours.onBuild).isIn("null", "[]");
    assertThat(kit.onBuild).isIn("null", "[]");
    assertThat(ours.env).isEqualTo(kit.env);
    assertThat(ours.history).isEqualTo(kit.history);
    assertThat(ours.tree).isEqualTo(kit.tree).anyMatch(l -> l.startsWith("/app/both regular"));
  }

  /** A stage FROM an earlier stage runs that stage's ONBUILD triggers, as BuildKit does. */
  @Test
  void onbuildTriggers_ofAnEarlierStage_runInAStageFromIt_asBuildKit() throws Exception {
    Path context =
        context(
            "FROM "
                + BUSYBOX
                + " AS base\nONBUILD RUN mkdir -p /app && echo trig > /app/trig\n"
                + "FROM base\nRUN cat /app/trig > /app/seen\n");
    Map<String, Built> results = new LinkedHashMap<>();
    for (String on : new String[] {host, BUILDKIT}) {
      String image = "jstack-build-it-stagetrig:" + tag + (on.equals(BUILDKIT) ? "-kit" : "");
      cleanUps.add(cli(on, "rmi", "-f", image));
      docker(on, "build", "-t", image, context.toString());
      results.put(on, built(on, image, "/app"));
    }
    Built ours = results.get(host);
    Built kit = results.get(BUILDKIT);
    assertThat(ours.onBuild).isIn("null", "[]");
    assertThat(kit.onBuild).isIn("null", "[]");
    assertThat(ours.history).isEqualTo(kit.history);
    assertThat(ours.tree).isEqualTo(kit.tree).anyMatch(l -> l.startsWith("/app/seen regular"));
  }

  @Test
  void aFailingTrigger_namesTheFromLineAndTheTrigger() throws Exception {
    String parent = "jstack-build-it-parent:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", parent));
    docker(
        host,
        "build",
        "-t",
        parent,
        context("FROM " + BUSYBOX + "\nONBUILD RUN exit 4\n").toString());

    String out = failedBuild(host, context("# a child\nFROM " + parent + "\nRUN true\n"));

    assertThat(out)
        .contains(
            "Dockerfile:2: ONBUILD trigger \"RUN exit 4\" of "
                + parent
                + ": RUN exit 4 exited 4; fix the command; its output is above");
  }

  /**
   * A base image the engine lacks is pulled from the registry its name gives (Debian's
   * docker-registry on 127.0.0.1); a rebuild uses it; {@code --pull} pulls it again; an image the
   * registry lacks fails at the FROM line, naming it.
   */
  @Test
  void aMissingBaseImage_isPulled_andPullPullsAgain() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String remote = registry.host + "/it/busybox:" + tag;
      docker(null, "tag", BUSYBOX, remote);
      cleanUps.add(cli(null, "rmi", remote));
      docker(null, "push", remote);
      Path context = context("FROM " + remote + "\nRUN echo hi > /hi\n");
      String image = "jstack-build-it-pulled:" + tag;
      cleanUps.add(cli(host, "rmi", "-f", image));

      String first = docker(host, "build", "-t", image, context.toString());
      String again = docker(host, "build", "-t", image, context.toString());
      String pulled = docker(host, "build", "--pull", "-t", image, context.toString());

      assertThat(first).contains("Pulling " + remote + "\n");
      assertThat(again).doesNotContain("Pulling");
      assertThat(pulled).contains("Pulling " + remote + "\n").contains("Using cache");
      assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/hi"))
          .isEqualTo("hi\n");
      assertThat(docker(host, "image", "inspect", "-f", "{{.Id}}", remote))
          .isEqualTo(docker(null, "image", "inspect", "-f", "{{.Id}}", remote));

      String missing = registry.host + "/it/absent:" + tag;
      String out = failedBuild(host, context("# base\nFROM " + missing + "\nRUN true\n"));
      assertThat(out).containsPattern("Dockerfile:2: cannot pull " + Pattern.quote(missing) + ": ");
      assertThat(errorLines(out)).hasSize(1);
    }
  }

  /**
   * {@code --label}: in the image's config, over the Dockerfile's LABEL of the same key, with no
   * step and no history entry, as BuildKit's frontend applies its {@code label:} options.
   */
  @Test
  void labels_goIntoTheConfig_withoutAStepOrHistory_asBuildKit() throws Exception {
    Path context = context("FROM " + BUSYBOX + "\nLABEL a=1 c=3\nRUN true\n");
    Map<String, Built> results = new LinkedHashMap<>();
    for (String on : new String[] {host, BUILDKIT}) {
      String image = "jstack-build-it-labels:" + tag + (on.equals(BUILDKIT) ? "-kit" : "");
      cleanUps.add(cli(on, "rmi", "-f", image));
      String out =
          docker(on, "build", "--label", "a=2", "--label", "b=x", "-t", image, context.toString());
      if (!on.equals(BUILDKIT)) {
        assertThat(out).contains("Step 3/3 : RUN true").doesNotContain("Step 4");
      }
      results.put(on, built(on, image, "/nothing"));
    }
    JsonNode labels = JSON.readTree(results.get(host).labels);
    assertThat(labels.path("a").asText()).isEqualTo("2");
    assertThat(labels.path("b").asText()).isEqualTo("x");
    assertThat(labels.path("c").asText()).isEqualTo("3");
    assertThat(results.get(host).labels).isEqualTo(results.get(BUILDKIT).labels);
    assertThat(results.get(host).history).isEqualTo(results.get(BUILDKIT).history);
  }

  /**
   * $BUILDPLATFORM and $TARGETPLATFORM are the host's, as on BuildKit; FROM --platform or
   * --platform of another platform is refused in one line; so is a {@code # syntax} image that is
   * not docker/dockerfile:1 ({@code --cache-from} is {@link CacheFromIT}'s).
   */
  @Test
  void platforms_andSyntax() throws Exception {
    Path context =
        context(
            "# syntax=docker/dockerfile:1.7-labs\nFROM --platform=$BUILDPLATFORM "
                + BUSYBOX
                + "\nARG TARGETPLATFORM\nARG BUILDPLATFORM\n"
                + "RUN echo $BUILDPLATFORM $TARGETPLATFORM > /p\n");
    for (String on : new String[] {host, BUILDKIT}) {
      if (on.equals(BUILDKIT)) {
        // Debian's 20.10 BuildKit would pull the labs frontend: its own built-in one reads this.
        Files.writeString(
            context.resolve("Dockerfile"),
            Files.readString(context.resolve("Dockerfile")).replaceFirst("# syntax=[^\\n]*", "#"));
      }
      String image = "jstack-build-it-platform:" + tag + (on.equals(BUILDKIT) ? "-kit" : "");
      cleanUps.add(cli(on, "rmi", "-f", image));
      docker(on, "build", "-t", image, context.toString());
      assertThat(docker(on, "run", "--rm", "--network", "none", image, "cat", "/p"))
          .isEqualTo("linux/amd64 linux/amd64\n");
    }

    String other = "linux/arm64";
    String out = failedBuild(host, context("FROM --platform=" + other + " " + BUSYBOX + "\n"));
    assertThat(errorLines(out))
        .containsExactly(
            "Dockerfile:1: FROM --platform=linux/arm64 is not supported: the jstack engine builds"
                + " only for linux/amd64 and emulates no other platform; drop --platform or use"
                + " --platform=$BUILDPLATFORM");
    Path simple = context("FROM " + BUSYBOX + "\n");
    assertThat(failedBuild(host, simple, "--platform", other))
        .contains("--platform linux/arm64 is not supported");
    assertThat(failedBuild(host, context("# syntax=example.com/frontend:1\nFROM " + BUSYBOX)))
        .contains("Dockerfile:1: the syntax image example.com/frontend:1 is not supported");
  }

  /** An image's env, labels, OnBuild, what made each history entry, and its files under a dir. */
  private record Built(
      String env, String labels, String onBuild, List<String> history, List<String> tree) {}

  private Built built(String on, String image, String under) throws Exception {
    JsonNode config = config(on, image);
    List<String> history = history(on, image);
    String tree =
        docker(
            on,
            "run",
            "--rm",
            "--network",
            "none",
            "--user",
            "0",
            "--entrypoint",
            "sh",
            image,
            "-c",
            "for p in $(find "
                + under
                + " 2>/dev/null | sort); do stat -c '%n %F %a %u:%g %s' $p;"
                + " if [ -f $p ]; then md5sum $p; fi; done");
    return new Built(
        String.valueOf(config.get("Env")),
        String.valueOf(config.get("Labels")),
        String.valueOf(config.get("OnBuild")),
        history,
        List.of(tree.split("\n")));
  }

  private JsonNode config(String on, String image) throws Exception {
    return JSON.readTree(docker(on, "image", "inspect", "-f", "{{json .Config}}", image));
  }

  /** The lines of a failed build's output that say what failed (the CLI's error line). */
  private static List<String> errorLines(String out) {
    return out.lines().filter(l -> l.contains("Dockerfile:")).toList();
  }

  private Path context(String dockerfile) throws Exception {
    Path c = Files.createDirectories(dir.resolve("context-" + UUID.randomUUID()));
    Files.writeString(c.resolve("Dockerfile"), dockerfile);
    Files.writeString(c.resolve("app.txt"), "app\n");
    return c;
  }
}
