package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker build --cache-from} on the embedded engine, with real builds over the classic
 * protocol (the real {@code docker} CLI, {@code cachefrom=[...]}): an image built on one engine,
 * saved and loaded into a second engine with an empty data root, seeds that engine's build of the
 * same Dockerfile, which then runs no step and gives the same image; a changed file runs the steps
 * from its COPY on; a cache-from image the store lacks is ignored, as dockerd ignores it.
 */
class CacheFromIT extends EmbeddedBuildFixture {
  private static final Pattern STEP =
      Pattern.compile("Step \\d+/\\d+ : (.*)\\n((?: ---> .*\\n|(?! ---> |Step ).*\\n)*)");

  /**
   * Every kind of step: metadata, WORKDIR, COPY, RUN and a RUN here-document (each RUN prints a
   * mark when it runs, which its text does not hold).
   */
  private static final String DOCKERFILE =
      String.join(
          "\n",
          "FROM jstack-examples/busybox:latest",
          "ENV GREETING=hello",
          "WORKDIR /app",
          "COPY a.txt ./",
          "RUN echo RAN\"\"-A && cat a.txt > a.copy",
          "LABEL stage=final",
          "COPY b.txt sub/",
          "RUN echo RAN\"\"-B && cat sub/b.txt > b.copy",
          "CMD [\"cat\", \"/app/b.copy\"]",
          "RUN <<EOF",
          "echo RAN\"\"-H && echo here > /here",
          "EOF",
          "");

  @Test
  void aSavedImageSeedsAnotherEngine_whichRunsNoStep_andMakesTheSameImage() throws Exception {
    Path context = context();
    String image = "jstack-cachefrom-it:" + tag;
    serve(engine("data-a"));
    // A cache-from image the store lacks is ignored: every step runs, and the build succeeds.
    String first = build(context, image, "--cache-from", "jstack-absent/none:" + tag);
    assertThat(cached(first)).hasSize(9).doesNotContainValue(true);
    assertThat(first).contains("RAN-A").contains("RAN-B").contains("RAN-H");
    String id = docker(host, "image", "inspect", "-f", "{{.Id}}", image);
    String layers = docker(host, "image", "inspect", "-f", "{{json .RootFS.Layers}}", image);
    String config = docker(host, "image", "inspect", "-f", "{{json .Config}}", image);
    Path saved = dir.resolve("saved.tar");
    docker(host, "save", "-o", saved.toString(), image);
    stopAll();

    serve(engine("data-b"));
    docker(host, "load", "-i", saved.toString());
    String again = build(context, image + "-again", "--cache-from", image);
    assertThat(cached(again)).as(again).hasSize(9).doesNotContainValue(false);
    assertThat(again).doesNotContain("RAN-");
    // The same config, layers and history: the same image ID.
    assertThat(docker(host, "image", "inspect", "-f", "{{.Id}}", image + "-again")).isEqualTo(id);
    assertThat(docker(host, "image", "inspect", "-f", "{{json .RootFS.Layers}}", image + "-again"))
        .isEqualTo(layers);
    assertThat(docker(host, "image", "inspect", "-f", "{{json .Config}}", image + "-again"))
        .isEqualTo(config);
    assertThat(docker(host, "run", "--rm", "--network", "none", image + "-again")).isEqualTo("b\n");

    // b.txt changed: the steps from its COPY on run, those before stay taken from the image.
    Files.writeString(context.resolve("b.txt"), "b2\n");
    String changed = build(context, image + "-changed", "--cache-from", image);
    assertThat(cached(changed))
        .as(changed)
        .containsExactlyEntriesOf(steps(true, true, true, true, true, false, false, false, false));
    assertThat(changed).doesNotContain("RAN-A").contains("RAN-B");
    assertThat(docker(host, "run", "--rm", "--network", "none", image + "-changed"))
        .isEqualTo("b2\n");
    docker(host, "rmi", image, image + "-again", image + "-changed");
  }

  /** For each step after FROM, by its text, whether it said {@code Using cache}. */
  private static Map<String, Boolean> cached(String out) {
    Map<String, Boolean> steps = new LinkedHashMap<>();
    Matcher m = STEP.matcher(out);
    while (m.find()) {
      if (!m.group(1).startsWith("FROM ")) {
        steps.put(m.group(1), m.group(2).contains(" ---> Using cache"));
      }
    }
    return steps;
  }

  private static Map<String, Boolean> steps(boolean... cached) {
    List<String> lines = DOCKERFILE.lines().skip(1).toList();
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (int i = 0; i < cached.length; i++) {
      m.put(lines.get(i), cached[i]);
    }
    return m;
  }

  private String build(Path context, String image, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("build", "-t", image));
    cmd.addAll(List.of(args));
    cmd.add(context.toString());
    return docker(host, cmd.toArray(String[]::new));
  }

  private Path context() throws Exception {
    Path c = Files.createDirectories(dir.resolve("context"));
    Files.writeString(c.resolve("Dockerfile"), DOCKERFILE);
    Files.writeString(c.resolve("a.txt"), "a\n");
    Files.writeString(c.resolve("b.txt"), "b\n");
    return c;
  }
}
