package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * The build cache and reproducible builds on the embedded engine, with real builds (the real {@code
 * docker} CLI over the classic protocol, and {@link ImageBuilder} on two engines): which steps a
 * rebuild takes from the cache, what {@code docker builder prune} reclaims, and that two builds
 * with one {@code SOURCE_DATE_EPOCH} from two empty data roots give one image ID.
 */
class BuildCacheIT extends EmbeddedBuildFixture {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STEP =
      Pattern.compile("Step \\d+/\\d+ : (.*)\\n((?: ---> .*\\n|(?! ---> |Step ).*\\n)*)");

  /**
   * Two COPYs of different files, RUNs after each, an ARG declared before a COPY that does not use
   * it and an ENV that does; a large directory .dockerignore excludes.
   */
  private static final String DOCKERFILE =
      String.join(
          "\n",
          "FROM jstack-examples/busybox:latest",
          "RUN echo base > /base",
          "COPY a.txt /a.txt",
          "RUN cat /a.txt > /a.copy",
          "ARG LATE=1",
          "COPY b.txt /b.txt",
          "ENV LATE_ENV=$LATE",
          "RUN cat /b.txt > /b.copy",
          "");

  @Test
  void rebuilds_takeFromTheCacheExactlyTheStepsWhoseInputsAreUnchanged() throws Exception {
    serveAnEngine();
    Path context = context();
    String image = "jstack-cache-it:" + tag;

    assertThat(build(context, image)).doesNotContainValue(true);

    // Nothing changed: every step is taken from the cache, and gives the same image.
    String id = docker(host, "image", "inspect", "-f", "{{.Id}}", image);
    assertThat(build(context, image)).doesNotContainValue(false).hasSize(7);
    assertThat(docker(host, "image", "inspect", "-f", "{{.Id}}", image)).isEqualTo(id);

    // Touched, not changed (and a change .dockerignore excludes): still all cached.
    Files.setLastModifiedTime(context.resolve("a.txt"), FileTime.from(Instant.now()));
    Files.setLastModifiedTime(context.resolve("b.txt"), FileTime.fromMillis(0));
    Files.writeString(context.resolve("logs/big.log"), "changed");
    assertThat(build(context, image)).doesNotContainValue(false);

    // b.txt changed: the steps from its COPY on run; the earlier COPY of a.txt stays cached.
    Files.writeString(context.resolve("b.txt"), "b2\n");
    assertThat(build(context, image))
        .containsExactlyEntriesOf(cached(true, true, true, true, false, false, false));
    assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/b.copy"))
        .isEqualTo("b2\n");

    // a.txt changed: its COPY and every step after it run.
    Files.writeString(context.resolve("a.txt"), "a2\n");
    assertThat(build(context, image))
        .containsExactlyEntriesOf(cached(true, false, false, false, false, false, false));

    // A build arg: the steps before its first use stay cached (the COPY after the ARG too, as
    // BuildKit); the ENV that reads it and the RUN after it (RUN sees every ARG) run.
    assertThat(build(context, image, "--build-arg", "LATE=2"))
        .containsExactlyEntriesOf(cached(true, true, true, true, true, false, false));
    assertThat(
            docker(host, "run", "--rm", "--network", "none", image, "sh", "-c", "echo $LATE_ENV"))
        .isEqualTo("2\n");
    assertThat(build(context, image, "--build-arg", "LATE=2")).doesNotContainValue(false);

    // Removing an unrelated image collects garbage, which must leave the cache's images alone.
    docker(host, "tag", image, image + "-other");
    docker(host, "rmi", image + "-other");
    assertThat(build(context, image, "--build-arg", "LATE=2")).doesNotContainValue(false);

    // docker builder prune (the real client, POST /build/prune) reclaims it: every step runs.
    String pruned = docker(host, "builder", "prune", "-f");
    assertThat(pruned).contains("Deleted build cache objects:").contains("Total reclaimed space:");
    assertThat(build(context, image, "--build-arg", "LATE=2")).doesNotContainValue(true);
    docker(host, "rmi", image);
  }

  @Test
  void pruneOverTheApi_answersAsDockerd_andAllTakesNamedImagesSteps() throws Exception {
    serveAnEngine();
    Path context = context();
    String image = "jstack-cache-it-prune:" + tag;
    build(context, image);

    JsonNode none =
        JSON.readTree(curl("/build/prune?filters=" + enc("{\"until\":{\"240h\":true}}")));
    assertThat(none.get("CachesDeleted").isNull()).as(none.toString()).isTrue();
    assertThat(none.get("SpaceReclaimed").asLong()).isZero();

    JsonNode dangling = JSON.readTree(curl("/build/prune"));
    // Six steps made intermediate images; the last one's image is named, so it stays cached.
    assertThat(dangling.get("CachesDeleted")).as(dangling.toString()).hasSize(6);
    assertThat(dangling.get("SpaceReclaimed").asLong()).isPositive();
    JsonNode all = JSON.readTree(curl("/build/prune?all=1"));
    assertThat(all.get("CachesDeleted")).as(all.toString()).hasSize(1);
    assertThat(curl("/build/prune?filters=" + enc("{\"id\":{\"x\":true}}")))
        .contains("build cache filter id is not supported");

    // Debian's 20.10 client speaks the same route.
    build(context, image, "--build-arg", "LATE=3");
    ProcessBuilder old =
        new ProcessBuilder("/usr/bin/docker", "-H", host, "builder", "prune", "-f")
            .redirectErrorStream(true);
    old.environment().put("DOCKER_BUILDKIT", "0");
    Process p = old.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("Deleted build cache objects:").contains("Total reclaimed space:");
    docker(host, "rmi", image);
  }

  @Test
  void sourceDateEpoch_givesOneImageId_fromTwoEmptyDataRoots() throws Exception {
    Path context = context();
    Files.writeString(
        context.resolve("Dockerfile"),
        String.join(
            "\n",
            "FROM jstack-examples/busybox:latest",
            "RUN mkdir -p /out/dir && echo hello > /out/a && ln -s a /out/l && touch /out/dir/f"
                + " && mkdir /gone && rm -r /gone && rm /bin/true",
            "COPY . /ctx/",
            "WORKDIR /w",
            "ENV X=1",
            ""));
    long epoch = 1_700_000_000L;
    List<Built> builds = new ArrayList<>();
    for (String root : List.of("data-a", "data-b")) {
      EmbeddedEngine engine = engine(root);
      String id =
          new ImageBuilder(engine)
              .build(
                  new BuildRequest(
                      context,
                      "Dockerfile",
                      Map.of("SOURCE_DATE_EPOCH", String.valueOf(epoch)),
                      "",
                      Map.of(),
                      List.of("jstack-repro:" + tag),
                      "default",
                      false),
                  line -> {});
      builds.add(built(engine.images(), "jstack-repro:" + tag, id, epoch));
      stop(engine);
    }

    assertThat(builds.get(0).id()).isEqualTo(builds.get(1).id());
    assertThat(builds.get(0).layers()).isEqualTo(builds.get(1).layers());
    Built b = builds.get(0);
    assertThat(b.created()).isEqualTo(Instant.ofEpochSecond(epoch).toString());
    assertThat(b.history()).hasSize(b.baseHistory() + 4).allMatch(c -> !later(c, epoch));
    assertThat(b.history().subList(b.baseHistory(), b.history().size()))
        .containsOnly(Instant.ofEpochSecond(epoch).toString());
    // The entries the build wrote, none later than the epoch, without names for owners.
    assertThat(b.entries()).contains("out/a", "out/l", "ctx/a.txt", "bin/.wh.true", "w/");
    assertThat(b.latest()).isLessThanOrEqualTo(epoch);
    assertThat(b.entries()).noneMatch(e -> e.startsWith("etc/hosts") || e.equals("etc/"));
  }

  /** What the reproducibility test compares of an image. */
  private record Built(
      String id,
      List<String> layers,
      String created,
      List<String> history,
      int baseHistory,
      List<String> entries,
      long latest) {}

  private static Built built(ImageStore store, String ref, String id, long epoch) throws Exception {
    ImageStore.Image img = store.image(store.find(ref).orElseThrow());
    assertThat(img.configDigest()).isEqualTo(id);
    ImageStore.Image base = store.image(store.find("jstack-examples/busybox:latest").orElseThrow());
    List<String> history = new ArrayList<>();
    img.config().path("history").forEach(h -> history.add(h.path("created").asText()));
    List<String> entries = new ArrayList<>();
    long latest = 0;
    for (ImageStore.Layer l : img.layers().subList(base.layers().size(), img.layers().size())) {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(store.openLayer(l))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          entries.add(e.getName());
          latest = Math.max(latest, e.getModTime().toInstant().getEpochSecond());
          assertThat(e.getUserName() + e.getGroupName()).as(e.getName()).isEmpty();
        }
      }
    }
    return new Built(
        id,
        img.layers().stream().map(ImageStore.Layer::digest).toList(),
        img.config().path("created").asText(),
        history,
        base.config().path("history").size(),
        entries,
        latest);
  }

  private static boolean later(String created, long epoch) {
    return Instant.parse(created).isAfter(Instant.ofEpochSecond(epoch));
  }

  /** Which steps (after FROM) came from the cache, in order, by their text. */
  private static Map<String, Boolean> cached(boolean... steps) {
    List<String> lines = DOCKERFILE.lines().skip(1).toList();
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (int i = 0; i < steps.length; i++) {
      m.put(lines.get(i), steps[i]);
    }
    return m;
  }

  /** Builds with the real docker CLI; for each step after FROM, whether it came from the cache. */
  private Map<String, Boolean> build(Path context, String image, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("build", "-t", image));
    cmd.addAll(List.of(args));
    cmd.add(context.toString());
    String out = docker(host, cmd.toArray(String[]::new));
    Map<String, Boolean> steps = new LinkedHashMap<>();
    Matcher m = STEP.matcher(out);
    while (m.find()) {
      if (!m.group(1).startsWith("FROM ")) {
        steps.put(m.group(1), m.group(2).contains(" ---> Using cache"));
      }
    }
    assertThat(steps).as(out).hasSize(7);
    return steps;
  }

  /** A context with the two files the Dockerfile copies and a large ignored directory. */
  private Path context() throws Exception {
    Path c = Files.createDirectories(dir.resolve("context-" + UUID.randomUUID()));
    Files.writeString(c.resolve("Dockerfile"), DOCKERFILE);
    Files.writeString(c.resolve("a.txt"), "a\n");
    Files.writeString(c.resolve("b.txt"), "b\n");
    Files.writeString(c.resolve(".dockerignore"), "logs\n");
    Files.createDirectories(c.resolve("logs"));
    Files.write(c.resolve("logs/big.log"), new byte[8 << 20]);
    return c;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A POST to the engine's API with curl, the response body. */
  private String curl(String path) throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--unix-socket",
                dir.resolve("engine.sock").toString(),
                "-X",
                "POST",
                "http://localhost/v1.41" + path)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
