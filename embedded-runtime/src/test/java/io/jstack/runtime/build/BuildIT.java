package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code docker build} (the classic protocol, the real {@code docker} CLI) against the embedded
 * engine and against dockerd's classic builder, from the same context: the images have the same
 * defaults, the same number of history entries, and the same files (path, type, mode, owner, size,
 * content, link target) where the build wrote; a failing RUN fails both, naming its line on ours.
 */
class BuildIT extends EmbeddedBuildFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lists what the build wrote, one line per entry, with each file's content hash. */
  private static final String TREE =
      "for p in $(find /app /ctx /work /home/app 2>/dev/null | sort); do"
          + " stat -c '%n %F %a %u:%g %s' $p;"
          + " if [ -L $p ]; then echo \"-> $(readlink $p)\";"
          + " elif [ -f $p ]; then md5sum $p; fi; done";

  private static final String MULTI_STAGE =
      String.join(
          "\n",
          "FROM jstack-examples/busybox:latest AS builder",
          "WORKDIR /src",
          "COPY app.txt ./",
          "RUN echo built > out.txt && mkdir -p /out && cp app.txt out.txt /out/"
              + " && chmod 0600 /out/out.txt",
          "",
          "FROM jstack-examples/busybox:latest AS unused",
          "RUN echo never > /never",
          "",
          "FROM jstack-examples/busybox:latest",
          "ARG VERSION=1",
          "ENV APP_HOME=/app PATH=/app/bin:$PATH",
          "LABEL org.example.version=$VERSION org.example.name=\"the app\"",
          "MAINTAINER jstack",
          "WORKDIR /app",
          "COPY --from=builder /out/ ./data/",
          "COPY --chown=1000:1000 script.sh bin/run",
          "COPY . /ctx/",
          "ADD archive.tar /work/",
          "RUN [\"sh\", \"-c\", \"echo hello > hello.txt && ln -s hello.txt link.txt\"]",
          "RUN echo $VERSION > version.txt && rm /ctx/dir/b.txt",
          "USER 1000:1000",
          "EXPOSE 8080 53/udp",
          "VOLUME /data",
          "STOPSIGNAL SIGINT",
          "HEALTHCHECK --interval=5s CMD true",
          "ENTRYPOINT [\"/app/bin/run\"]",
          "CMD [\"serve\"]",
          "");

  /** BuildKit-only flags and the instructions that change how later ones run. */
  private static final String FEATURES =
      String.join(
          "\n",
          "FROM jstack-examples/busybox:latest",
          "SHELL [\"/bin/sh\", \"-ec\"]",
          "ARG GREETING=hi",
          "ENV TARGET=world",
          "USER 1000:1000",
          "WORKDIR /home/app",
          "USER root",
          "RUN echo \"$GREETING $TARGET\" > greeting.txt; mkdir -p /work; echo \"$0 $-\" > /work/sh.txt",
          "COPY --chmod=0640 app.txt dir/a.txt ./",
          "COPY --chown=1000 dir /home/app/dir",
          "ADD archive.tar.gz /work/",
          "ONBUILD RUN echo child",
          "CMD echo $TARGET",
          "");

  @BeforeEach
  void engine() throws Exception {
    serveAnEngine();
  }

  @Test
  void multiStage_givesDockerdsConfigHistoryAndFiles() throws Exception {
    Path context = context(MULTI_STAGE);
    Built ours = build(host, context);
    Built theirs = build(null, context);

    assertThat(ours.config).isEqualTo(theirs.config);
    assertThat(ours.history)
        .as(ours.history + " vs " + theirs.history)
        .hasSameSizeAs(theirs.history);
    assertThat(ours.tree).isEqualTo(theirs.tree);
    assertThat(ours.tree)
        .contains(
            "/app/bin/run regular file 755 1000:1000 19",
            "/app/data/out.txt regular file 600 0:0 6",
            "/app/link.txt symbolic link 777 0:0 9",
            "-> hello.txt",
            "/work/inside.txt regular file 640 1234:1234 3")
        .noneMatch(l -> l.startsWith("/ctx/secret.txt") || l.startsWith("/ctx/dir/b.txt"));
    assertThat(ours.config.get("Labels")).contains("the app");
  }

  @Test
  void multiStage_givesBuildKitsConfigHistoryAndFiles() throws Exception {
    Path context = context(MULTI_STAGE);
    Built ours = build(host, context);
    Built kit = build(BUILDKIT, context);

    assertThat(ours.config).isEqualTo(kit.config);
    assertThat(ours.history).as(ours.history + " vs " + kit.history).hasSameSizeAs(kit.history);
    assertThat(withoutArgs(ours.history)).isEqualTo(withoutArgs(kit.history));
    assertThat(ours.tree).isEqualTo(kit.tree);
  }

  @Test
  void bulidKitFeatures_giveBuildKitsConfigHistoryAndFiles() throws Exception {
    Path context = context(FEATURES);
    Built ours = build(host, context);
    Built kit = build(BUILDKIT, context);

    assertThat(ours.config).isEqualTo(kit.config);
    assertThat(ours.history).as(ours.history + " vs " + kit.history).hasSameSizeAs(kit.history);
    assertThat(withoutArgs(ours.history)).isEqualTo(withoutArgs(kit.history));
    assertThat(ours.tree).isEqualTo(kit.tree);
    assertThat(ours.tree).contains("/home/app/app.txt regular file 640 0:0 4");
  }

  @Test
  void aRunAfterVolume_writesIntoTheLayer_asBuildKit_andMakesNoVolume() throws Exception {
    Path context =
        context(
            "FROM jstack-examples/busybox:latest\nRUN mkdir /work\nVOLUME /work\n"
                + "RUN echo after > /work/after\n");
    Built ours = build(host, context);
    Built kit = build(BUILDKIT, context);

    assertThat(ours.tree).isEqualTo(kit.tree);
    assertThat(ours.tree).anyMatch(l -> l.startsWith("/work/after regular file"));
    assertThat(engine.volumes().list())
        .as("a build step's container gets no volumes (the tree's run --rm removed its own)")
        .isEmpty();
  }

  @Test
  void aSymlinkOutOfTheContext_orAnIgnoredFile_isNotFound_onBoth() throws Exception {
    for (String copy : List.of("COPY dir/outside /x", "COPY secret.txt /x")) {
      Path context = context("FROM jstack-examples/busybox:latest\n" + copy + "\n");

      assertThat(failedBuild(host, context))
          .contains("Dockerfile:2: COPY failed")
          .contains("not found");
      assertThat(failedBuild(BUILDKIT, context)).contains("not found");
    }
  }

  @Test
  void run_isOnTheNatdBridge_orOnNoNetwork() throws Exception {
    Path context =
        context(
            "FROM jstack-examples/busybox:latest\n"
                + "RUN ls /sys/class/net | tr '\\n' ' ' > /nets; ip route | grep -q default"
                + " && echo routed >> /nets || true\n");
    String image = "jstack-build-it-net:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));

    docker(host, "build", "-t", image, context.toString());
    assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/nets"))
        .isEqualTo("eth0 lo routed\n");
    docker(host, "build", "--network", "none", "-t", image, context.toString());
    assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/nets"))
        .isEqualTo("lo ");
  }

  @Test
  void aRebuild_usesTheCache_untilTheContextChanges() throws Exception {
    Path context =
        context(
            "FROM jstack-examples/busybox:latest\nENV A=1\nCOPY app.txt /\nRUN cat /app.txt >"
                + " /copy\nWORKDIR /w\n");
    String image = "jstack-build-it-cache:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));

    String first = docker(host, "build", "-t", image, context.toString());
    String id = docker(host, "image", "inspect", "-f", "{{.Id}}", image);
    Files.setLastModifiedTime(
        context.resolve("app.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
    String again = docker(host, "build", "-t", image, context.toString());

    assertThat(first).doesNotContain("Using cache");
    assertThat(again).doesNotContain("Running in");
    assertThat(again.split(" ---> Using cache", -1)).hasSize(5);
    assertThat(docker(host, "image", "inspect", "-f", "{{.Id}}", image)).isEqualTo(id);

    Files.writeString(context.resolve("app.txt"), "changed\n");
    String changed = docker(host, "build", "-t", image, context.toString());
    assertThat(changed.split(" ---> Using cache", -1)).as(changed).hasSize(2);
    assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/copy"))
        .isEqualTo("changed\n");

    String forced = docker(host, "build", "--no-cache", "-t", image, context.toString());
    assertThat(forced).doesNotContain("Using cache").contains("Running in");
  }

  @Test
  void aFailingRun_failsBoth_namingItsLine() throws Exception {
    Path context =
        context("FROM jstack-examples/busybox:latest\nRUN echo before\nRUN echo broken; exit 3\n");

    String ours = failedBuild(host, context);
    // BuildKit on dockerd: the classic builder would leave the failed step's container and the
    // images of the steps before it behind.
    String theirs = failedBuild(BUILDKIT, context);

    assertThat(ours).contains("broken").contains("Dockerfile:3: RUN echo broken; exit 3 exited 3");
    assertThat(theirs).contains("exit code: 3");
  }

  /**
   * {@code docker history} against the engine's socket ({@code GET /images/{name}/history}) shows
   * what dockerd's shows of the image BuildKit built from the same Dockerfile: the same CreatedBy,
   * newest first; the image's ID on the newest entry only ({@code <missing>} below it, as for any
   * image without local parents); an empty size where a step made no layer.
   */
  @Test
  void history_overTheApi_asDockerdShowsBuildKitsImage() throws Exception {
    Path context =
        context(
            String.join(
                "\n",
                "FROM jstack-examples/busybox:latest",
                "ENV APP_HOME=/app",
                "WORKDIR /app",
                "COPY app.txt ./",
                "RUN echo built > out.txt",
                "LABEL org.example.name=\"the app\"",
                "EXPOSE 8080",
                "CMD [\"cat\", \"out.txt\"]",
                ""));
    String ours = "jstack-build-it-history:" + tag;
    String kit = ours + "-kit";
    cleanUps.add(cli(host, "rmi", "-f", ours));
    cleanUps.add(cli(BUILDKIT, "rmi", "-f", kit));
    docker(host, "build", "-t", ours, context.toString());
    docker(BUILDKIT, "build", "-t", kit, context.toString());

    String createdBy = "{{.CreatedBy}}";
    assertThat(docker(host, "history", "--no-trunc", "--format", createdBy, ours))
        .isEqualTo(docker(BUILDKIT, "history", "--no-trunc", "--format", createdBy, kit))
        .contains("RUN /bin/sh -c echo built > out.txt # buildkit");
    String idAndSize = "{{.ID}} {{.Size}}";
    List<String> ourRows =
        docker(host, "history", "--no-trunc", "--format", idAndSize, ours).lines().toList();
    List<String> kitRows =
        docker(BUILDKIT, "history", "--no-trunc", "--format", idAndSize, kit).lines().toList();
    String id = docker(host, "image", "inspect", "-f", "{{.Id}}", ours).strip();
    assertThat(ourRows.get(0)).startsWith(id + " ");
    assertThat(kitRows.get(0)).startsWith("sha256:");
    assertThat(ourRows.subList(1, ourRows.size())).allMatch(r -> r.startsWith("<missing> "));
    assertThat(kitRows.subList(1, kitRows.size())).allMatch(r -> r.startsWith("<missing> "));
    // Which steps made a layer: the sizes differ (ours are the stored, compressed layers').
    assertThat(ourRows.stream().map(r -> r.endsWith(" 0B")).toList())
        .isEqualTo(kitRows.stream().map(r -> r.endsWith(" 0B")).toList());
    // The default table: a heading, then the entries, the newest by its short ID.
    List<String> table = docker(host, "history", ours).lines().toList();
    assertThat(table).hasSize(ourRows.size() + 1);
    assertThat(table.get(0)).startsWith("IMAGE ");
    assertThat(table.get(1)).startsWith(id.substring(7, 19) + " ");
  }

  /**
   * An ARG's history entry is its default as written (substituted), as BuildKit's frontend writes
   * it, whatever value {@code --build-arg} gives; and a cache hit carries the entry of the
   * Dockerfile built, not the one of the build that made the cache: a changed default is no hit.
   */
  @Test
  void argHistory_isTheDefaultAsWritten_builtOrCached() throws Exception {
    String image = "jstack-build-it-arg:" + tag;
    String kit = image + "-kit";
    cleanUps.add(cli(host, "rmi", "-f", image));
    cleanUps.add(cli(BUILDKIT, "rmi", "-f", kit));
    String createdBy = "{{.CreatedBy}}";
    for (String version : List.of("1.0", "2.0")) {
      Path context =
          context(
              String.join(
                  "\n",
                  "FROM jstack-examples/busybox:latest",
                  "ARG BASE=/opt",
                  "ARG VERSION=" + version,
                  "ARG DIR=${BASE}/app",
                  "RUN echo \"$VERSION\" > /version",
                  ""));
      String built =
          docker(host, "build", "--build-arg", "VERSION=9.9", "-t", image, context.toString());
      docker(BUILDKIT, "build", "--build-arg", "VERSION=9.9", "-t", kit, context.toString());

      assertThat(docker(host, "history", "--no-trunc", "--format", createdBy, image))
          .as(built)
          .isEqualTo(docker(BUILDKIT, "history", "--no-trunc", "--format", createdBy, kit))
          .contains("ARG VERSION=" + version, "ARG DIR=/opt/app");
      assertThat(docker(host, "run", "--rm", "--network", "none", image, "cat", "/version"))
          .isEqualTo("9.9\n");
    }
  }

  /**
   * {@code -f} names the file errors name, by its base name, as BuildKit's frontend names it (the
   * client sends it as {@code filename}); BuildKit 0.8 prints no file name, so theirs only fails. A
   * Dockerfile outside the context, which the docker CLI sends under a random name, is {@code
   * Dockerfile}.
   */
  @Test
  void errors_nameTheDockerfileBuilt() throws Exception {
    Path context = context("FROM jstack-examples/busybox:latest\n");
    Path bad = context.resolve("Dockerfile.bad");
    Files.writeString(bad, "FROM jstack-examples/busybox:latest\nRUN exit 3\n");
    Path sub = Files.createDirectories(context.resolve("sub")).resolve("app.Dockerfile");
    Files.writeString(sub, "FROM jstack-examples/busybox:latest\n\nFROBNICATE now\n");
    Path outside = dir.resolve("outside.Dockerfile");
    Files.writeString(outside, "FROM jstack-examples/busybox:latest\nRUN exit 4\n");

    assertThat(failedBuild(host, context, "-f", bad.toString()))
        .contains("Dockerfile.bad:2: RUN exit 3 exited 3");
    assertThat(failedBuild(BUILDKIT, context, "-f", bad.toString())).contains("exit code: 3");
    assertThat(failedBuild(host, context, "-f", sub.toString()))
        .contains("app.Dockerfile:3: unknown instruction: FROBNICATE")
        .doesNotContain("sub/app.Dockerfile:");
    assertThat(failedBuild(BUILDKIT, context, "-f", sub.toString()))
        .contains("unknown instruction: FROBNICATE");
    assertThat(failedBuild(host, context, "-f", outside.toString()))
        .contains("Dockerfile:2: RUN exit 4 exited 4")
        .doesNotContain(".dockerfile.");
  }

  @Test
  void target_buildsOnlyWhatItNeeds_fromScratch() throws Exception {
    Path context =
        context(
            String.join(
                "\n",
                "FROM jstack-examples/busybox:latest AS tools",
                "RUN echo x > /x",
                "FROM scratch AS final",
                "COPY --from=tools /x /bin/busybox /",
                "ENV ONLY=final",
                "CMD [\"/busybox\", \"cat\", \"/x\"]",
                "FROM jstack-examples/busybox:latest AS later",
                "RUN exit 1",
                ""));
    String image = "jstack-build-it-target:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));
    String id =
        docker(
            host,
            "build",
            "-q",
            "--target",
            "final",
            "--label",
            "built.by=it",
            "-t",
            image,
            context.toString());

    id = id.substring(id.indexOf("sha256:"));
    assertThat(id).matches("sha256:[0-9a-f]{64}\n");

    assertThat(docker(host, "run", "--rm", "--network", "none", image)).isEqualTo("x\n");
    JsonNode config =
        JSON.readTree(docker(host, "image", "inspect", "-f", "{{json .Config}}", image));
    // BuildKit's scratch has a default PATH (the classic builder's has none).
    assertThat(config.get("Env").toString())
        .isEqualTo(
            "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"ONLY=final\"]");
    assertThat(config.get("Labels").toString()).isEqualTo("{\"built.by\":\"it\"}");
    assertThat(docker(host, "image", "inspect", "-f", "{{.Id}}", image)).isEqualTo(id);
  }

  /** An image's defaults, what made each history entry (oldest first), and its files. */
  private record Built(Map<String, String> config, List<String> history, List<String> tree) {}

  private Built build(String on, Path context) throws Exception {
    String image = "jstack-build-it:" + tag + (BUILDKIT.equals(on) ? "-kit" : "");
    cleanUps.add(cli(on, "rmi", "-f", image));
    docker(on, "build", "-t", image, "--build-arg", "VERSION=2", context.toString());
    JsonNode config =
        JSON.readTree(docker(on, "image", "inspect", "-f", "{{json .Config}}", image));
    Map<String, String> picked = new LinkedHashMap<>();
    for (String f :
        List.of(
            "Env",
            "Cmd",
            "Entrypoint",
            "WorkingDir",
            "User",
            "ExposedPorts",
            "Labels",
            "Volumes",
            "StopSignal",
            "Healthcheck",
            "OnBuild")) {
      picked.put(f, String.valueOf(config.get(f)));
    }
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
            TREE);
    return new Built(picked, history, Arrays.asList(tree.split("\n")));
  }

  /**
   * History texts without ARG's: BuildKit records an ARG's default as written, the plan only the
   * value it takes.
   */
  private static List<String> withoutArgs(List<String> history) {
    return history.stream().filter(h -> !h.startsWith("ARG ")).toList();
  }

  /** A context with the Dockerfile and the files the Dockerfiles copy. */
  private Path context(String dockerfile) throws Exception {
    Path c = Files.createDirectories(dir.resolve("context-" + UUID.randomUUID()));
    Files.writeString(c.resolve("Dockerfile"), dockerfile);
    Files.writeString(c.resolve("app.txt"), "app\n");
    Files.writeString(c.resolve("script.sh"), "#!/bin/sh\necho ran\n");
    Files.setPosixFilePermissions(
        c.resolve("script.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(c.resolve("secret.txt"), "secret\n");
    Files.writeString(c.resolve(".dockerignore"), "secret.txt\n*.swp\n");
    Files.createDirectories(c.resolve("dir/sub"));
    Files.writeString(c.resolve("dir/a.txt"), "a\n");
    Files.writeString(c.resolve("dir/b.txt"), "b\n");
    Files.writeString(c.resolve("dir/sub/c.swp"), "swap\n");
    Files.setPosixFilePermissions(
        c.resolve("dir/sub"), PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(c.resolve("dir/outside"), Path.of("/etc/passwd"));
    Path inner = Files.createDirectories(dir.resolve("archive-" + UUID.randomUUID()));
    Files.writeString(inner.resolve("inside.txt"), "in\n");
    run(
        new String[] {
          "tar",
          "-C",
          inner.toString(),
          "--owner=1234",
          "--group=1234",
          "--mode=0640",
          "-cf",
          c.resolve("archive.tar").toString(),
          "inside.txt"
        });
    run(
        new String[] {
          "tar",
          "-C",
          inner.toString(),
          "--owner=0",
          "--group=0",
          "-czf",
          c.resolve("archive.tar.gz").toString(),
          "inside.txt"
        });
    LayerUnpacker.removeTree(inner);
    return c;
  }
}
