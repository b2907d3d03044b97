package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RUN's here-documents, {@code --mount}s and {@code --network} on the embedded engine's builder:
 * what dockerd 20.10's BuildKit (0.8) supports is compared with it (mounts, secrets); what it
 * predates (here-documents, {@code --network}) is checked against the expectations of BuildKit's
 * own frontend tests, each named where it is used.
 */
class RunIT extends EmbeddedBuildFixture {
  private static final String BASE = "FROM jstack-examples/busybox:latest\n";

  /** Lists a directory's tree, one line per entry, with each file's content hash. */
  private static final String TREE =
      "for p in $(find /out | sort); do stat -c '%n %F %a %u:%g %s' $p;"
          + " if [ -f $p ]; then md5sum $p; fi; done";

  @BeforeEach
  void engine() throws Exception {
    serveAnEngine();
  }

  /**
   * The RUN cases of BuildKit's frontend/dockerfile/dockerfile_heredoc_test.go:
   * testRunBasicHeredoc, testRunFakeHeredoc (SHELL runs the document), testRunShebangHeredoc (#!
   * runs it as a file, <<- strips tabs), testRunComplexHeredoc (documents on stdin and other
   * descriptors), testHeredocIndent (RUN cases) and testHeredocVarSubstitution (RUN cases), with
   * their expected files.
   */
  @Test
  void heredocs_runAsBuildKitsFrontendTestsExpect() throws Exception {
    Path context =
        context(
            String.join(
                "\n",
                "FROM jstack-examples/busybox:latest",
                "ARG name=world",
                "WORKDIR /dest",
                "RUN <<EOF",
                "echo \"i am\" >> /dest/basic",
                "whoami >> /dest/basic",
                "EOF",
                "RUN <<EOF",
                "#!/bin/awk -f",
                "BEGIN {",
                "\tprint \"hello\" >> \"./out1\"",
                "\tprint \"world\" >> \"./out1\"",
                "}",
                "EOF",
                "RUN <<-EOF",
                "\t#!/bin/awk -f",
                "\tBEGIN {",
                "\t\tprint \"hello\" >> \"./out2\"",
                "\t\tprint \"world\" >> \"./out2\"",
                "\t}",
                "EOF",
                "RUN cat <<EOF1 | tr '[:upper:]' '[:lower:]' > ./cx1; \\",
                "\tcat <<EOF2 | tr '[:lower:]' '[:upper:]' > ./cx2",
                "hello WORLD",
                "EOF1",
                "HELLO world",
                "EOF2",
                "RUN <<EOF 3<<IN1 4<<IN2 awk -f -",
                "BEGIN {",
                "\twhile ((getline line < \"/proc/self/fd/3\") > 0)",
                "\t\tprint tolower(line) > \"./fd3\"",
                "\twhile ((getline line < \"/proc/self/fd/4\") > 0)",
                "\t\tprint toupper(line) > \"./fd4\"",
                "}",
                "EOF",
                "hello WORLD",
                "IN1",
                "HELLO world",
                "IN2",
                "RUN <<EOF",
                "echo \"",
                "\tfoo\" > /dest/foo-run",
                "EOF",
                "RUN <<-EOF",
                "echo \"",
                "\tbar\" > /dest/bar-run",
                "EOF",
                "RUN <<EOF",
                "#!/bin/sh",
                "echo \"",
                "\tfoo\" > /dest/foo2-run",
                "EOF",
                "RUN <<-EOF",
                "#!/bin/sh",
                "echo \"",
                "\tbar\" > /dest/bar2-run",
                "EOF",
                "RUN <<EOF sh > /dest/foo3-run",
                "echo \"",
                "\tfoo\"",
                "EOF",
                "RUN <<-EOF sh > /dest/bar3-run",
                "echo \"",
                "\tbar\"",
                "EOF",
                "RUN <<EOF",
                "greeting=\"Hello\"",
                "echo \"${greeting} ${name}!\" > /dest/r1",
                "EOF",
                "RUN <<EOF",
                "name=\"new world\"",
                "echo \"Hello ${name}!\" > /dest/r2",
                "EOF",
                "RUN --mount=type=tmpfs,target=/dev/shm,size=128m mount | grep /dev/shm >"
                    + " /dest/tmpfssize",
                "SHELL [\"/bin/awk\"]",
                "RUN <<EOF",
                "BEGIN {",
                "\tprint \"foo\" > \"/dest/fake\"",
                "}",
                "EOF",
                ""));
    String image = "jstack-run-it-heredoc:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));
    docker(host, "build", "-t", image, context.toString());

    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("basic", "i am\nroot\n"),
            Map.entry("out1", "hello\nworld\n"),
            Map.entry("out2", "hello\nworld\n"),
            Map.entry("cx1", "hello world\n"),
            Map.entry("cx2", "HELLO WORLD\n"),
            Map.entry("fd3", "hello world\n"),
            Map.entry("fd4", "HELLO WORLD\n"),
            Map.entry("foo-run", "\n\tfoo\n"),
            Map.entry("bar-run", "\nbar\n"),
            Map.entry("foo2-run", "\n\tfoo\n"),
            Map.entry("bar2-run", "\nbar\n"),
            Map.entry("foo3-run", "\n\tfoo\n"),
            Map.entry("bar3-run", "\nbar\n"),
            Map.entry("r1", "Hello world!\n"),
            Map.entry("r2", "Hello new world!\n"),
            Map.entry("fake", "foo\n"));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(
              docker(
                  host,
                  "run",
                  "--rm",
                  "--network",
                  "none",
                  "--entrypoint",
                  "cat",
                  image,
                  "/dest/" + e.getKey()))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    // dockerfile_mount_test.go testMountTmpfsSize.
    assertThat(cat(host, image, "/dest/tmpfssize")).contains("size=131072k");
    // dispatchRun's history: the shell and the document it runs; ARGs in scope as "|1 name=...".
    assertThat(servedHistory(image))
        .contains(
            "RUN |1 name=world /bin/sh -c echo \"i am\" >> /dest/basic\nwhoami >> /dest/basic\n"
                + " # buildkit",
            "RUN |1 name=world /bin/sh -c /dev/pipes/EOF # buildkit",
            "RUN |1 name=world /bin/sh -c <<EOF sh > /dest/foo3-run\necho \"\n\tfoo\"\nEOF"
                + " # buildkit");
    // /dev/pipes is on the container's /dev: nothing of it reaches a layer.
    assertThat(layerEntries(image)).noneMatch(n -> n.contains("pipes"));
  }

  @Test
  void mounts_giveBuildKitsFiles_andNoneOfThemIsInTheLayer() throws Exception {
    Path context =
        context(
            "FROM jstack-examples/busybox:latest AS stage\n"
                + "RUN mkdir -p /stage && echo from-stage > /stage/s.txt\n"
                + "FROM jstack-examples/busybox:latest AS final\n"
                + "RUN --mount=type=bind,target=/ctx"
                + " --mount=type=bind,from=stage,source=/stage,target=/srv/stage"
                + " --mount=type=cache,target=/root/.cache/app,id=app,sharing=locked"
                + " --mount=type=tmpfs,target=/scratch/t"
                + " --mount=type=secret,id=token"
                + " --mount=type=secret,id=token,target=/etc/app/token,mode=0440,uid=1000,gid=1000"
                + " set -e; mkdir /out; ls -a /ctx | tr '\\n' ' ' > /out/ctx;"
                + " cat /srv/stage/s.txt > /out/stage;"
                + " echo cached >> /root/.cache/app/log; cat /root/.cache/app/log > /out/cache;"
                + " echo t > /scratch/t/x;"
                + " md5sum < /run/secrets/token > /out/secret;"
                + " stat -c '%a %u:%g' /run/secrets/token /etc/app/token >> /out/secret;"
                + " touch /out/ro; (echo x > /ctx/new) 2>/dev/null || echo ro >> /out/ro\n"
                // A read-write bind in a RUN of its own: with another bind of the context in the
                // same RUN, BuildKit 0.8 mounts the read-only one read-write too (fixed since).
                + "RUN --mount=type=bind,source=dir,target=/mnt/dir,rw"
                + " cat /mnt/dir/a.txt > /out/a; echo changed > /mnt/dir/a.txt;"
                + " cat /mnt/dir/a.txt > /out/rw\n");
    Path secret = dir.resolve("token.txt");
    Files.writeString(secret, "s3cr3t-value\n");
    String ours = "jstack-run-it-mounts:" + tag;
    String kit = "jstack-run-it-mounts:" + tag + "-kit";
    cleanUps.add(cli(host, "rmi", "-f", ours));
    cleanUps.add(cli(BUILDKIT, "rmi", "-f", kit));
    buildOurs(context, ours, Map.of("token", secret));
    docker(
        BUILDKIT,
        "build",
        "--no-cache",
        "--secret",
        "id=token,src=" + secret,
        "-t",
        kit,
        context.toString());

    String ourTree = tree(host, ours);
    assertThat(ourTree).isEqualTo(tree(BUILDKIT, kit));
    // created_by as BuildKit writes it: the mounts are no part of it.
    assertThat(history(host, ours)).isEqualTo(history(BUILDKIT, kit));
    assertThat(cat(host, ours, "/out/ctx")).contains("app.txt").doesNotContain("secret.txt");
    assertThat(cat(host, ours, "/out/a")).isEqualTo("a\n");
    assertThat(cat(host, ours, "/out/stage")).isEqualTo("from-stage\n");
    assertThat(cat(host, ours, "/out/cache")).isEqualTo("cached\n");
    assertThat(cat(host, ours, "/out/secret"))
        .isEqualTo(md5("s3cr3t-value\n") + "  -\n400 0:0\n440 1000:1000\n");
    assertThat(cat(host, ours, "/out/ro")).isEqualTo("ro\n");
    assertThat(Files.readString(context.resolve("dir/a.txt"))).isEqualTo("a\n");

    assertThat(cat(host, ours, "/out/rw")).isEqualTo("changed\n");
    // Each RUN's layer holds what it wrote and nothing of its mounts: no mount point (BuildKit
    // since
    // v0.11 removes them, recursively; dockerd 20.10's 0.8 left the directories), no secret.
    List<byte[]> layers = layers(ours);
    assertThat(entries(layers.get(layers.size() - 2)))
        .containsExactly("out/", "out/cache", "out/ctx", "out/ro", "out/secret", "out/stage");
    assertThat(entries(layers.get(layers.size() - 1))).containsExactly("out/", "out/a", "out/rw");
    assertSecretInNoLayer(ours, "s3cr3t-value");
    // The cache is kept between builds, in its own place below the data root.
    Path cache = dir.resolve("data/build-cache/mounts").resolve(sha256("cache-dir:app"));
    assertThat(cache.resolve("log")).hasContent("cached\n");
    buildOurs(context, ours, Map.of("token", secret));
    assertThat(cat(host, ours, "/out/cache")).isEqualTo("cached\ncached\n");
  }

  @Test
  void aRequiredSecret_notGiven_failsNamingTheLine_onBoth() throws Exception {
    Path context =
        context(BASE + "RUN --mount=type=secret,id=npmrc,required cat /run/secrets/npmrc\n");

    assertThatThrownBy(() -> buildOurs(context, "jstack-run-it-nosecret:" + tag, Map.of()))
        .isInstanceOf(DockerfileException.class)
        .hasMessage(
            "Dockerfile:2: secret npmrc is required but was not given to the build; pass it:"
                + " docker build --secret id=npmrc,src=FILE, or the service's build.secrets");
    assertThat(failedBuild(BUILDKIT, context)).contains("npmrc");
  }

  /**
   * BuildKit's frontend/dockerfile/dockerfile_secrets_test.go: testSecretFileParams (mode, owner,
   * no stub left), testSecretAsEnviron (env= alone: no file) and testSecretAsEnvironWithFileMount;
   * each RUN fails the build unless it holds.
   */
  @Test
  void secretParamsAndEnv_asBuildKitsSecretTestsExpect() throws Exception {
    Path context =
        context(
            BASE
                + "RUN --mount=type=secret,required=false,mode=741,uid=100,gid=102,target=/mysecret"
                + " [ \"$(stat -c \"%u %g %f\" /mysecret)\" = \"100 102 81e1\" ]\n"
                + "RUN [ ! -f /mysecret ]\n"
                + "RUN --mount=type=secret,id=mysecret,env=SECRET_ENV"
                + " [ \"$SECRET_ENV\" == \"pw\" ] && [ ! -f /run/secrets/mysecret ] || false\n"
                + "RUN --mount=type=secret,id=mysecret,target=/run/secrets/secret,env=SECRET_ENV"
                + " [ \"$SECRET_ENV\" == \"pw\" ] && [ -f /run/secrets/secret ] || false\n");
    Path secret = dir.resolve("mysecret");
    Files.writeString(secret, "pw");
    String image = "jstack-run-it-secrets:" + tag;

    buildOurs(context, image, Map.of("mysecret", secret));

    assertThat(layerEntries(image)).noneMatch(n -> n.contains("mysecret") || n.startsWith("run/"));
  }

  /**
   * The way compose's build.secrets reach the engine: the client's BuildSpec, sent as the
   * jstack-secrets parameter of POST /build over the engine's socket.
   */
  @Test
  void secrets_reachTheBuild_throughTheClientAndTheApi() throws Exception {
    Path context =
        context(BASE + "RUN --mount=type=secret,id=npmrc,required md5sum /run/secrets/npmrc\n");
    Path secret = dir.resolve("npmrc.txt");
    Files.writeString(secret, "registry-token\n");
    String image = "jstack-run-it-api-secret:" + tag;
    cleanUps.add(cli(host, "rmi", "-f", image));
    List<String> output = new ArrayList<>();

    try (io.jstack.engine.docker.DockerEngine client =
        io.jstack.engine.docker.DockerEngine.connect(
            new io.jstack.engine.EngineAddress.Unix(dir.resolve("engine.sock")))) {
      client.buildImage(
          new io.jstack.engine.BuildSpec(
              context,
              null,
              null,
              List.of(image),
              Map.of(),
              null,
              Map.of(),
              true,
              false,
              null,
              null,
              List.of(),
              null,
              Map.of("npmrc", secret),
              List.of()),
          output::add);
    }

    assertThat(String.join("", output)).contains(md5("registry-token\n") + "  /run/secrets/npmrc");
    assertSecretInNoLayer(image, "registry-token");
  }

  /**
   * BuildKit's frontend/dockerfile/dockerfile_runnetwork_test.go: testRunGlobalNetwork (with the
   * host network granted and forced, a RUN reaches a server on the host's 127.0.0.1, and {@code
   * --network=none} does not), testRunHostNetwork when denied ("entitlement network.host is not
   * allowed"; ours names the line and what to do), testRunNoNetwork.
   */
  @Test
  void network_hostOnlyWhenTheBuildAllowsIt() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                while (!echo.isClosed()) {
                  try (Socket s = echo.accept()) {
                    s.getOutputStream().write("foo\n".getBytes(StandardCharsets.UTF_8));
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      server.setDaemon(true); // It ends when the socket closes, after the try.
      server.start();
      int port = echo.getLocalPort();
      Path allowed =
          context(
              BASE
                  + "RUN nc 127.0.0.1 "
                  + port
                  + " | grep foo\n"
                  + "RUN --network=host nc 127.0.0.1 "
                  + port
                  + " | grep foo\n"
                  + "RUN --network=none ! nc -w 2 127.0.0.1 "
                  + port
                  + " | grep -q foo\nRUN --network=none ! ip link show eth0\n");
      String image = "jstack-run-it-net:" + tag;
      cleanUps.add(cli(host, "rmi", "-f", image));
      docker(host, "build", "--network", "host", "-t", image, allowed.toString());

      Path denied = context(BASE + "RUN --network=host nc 127.0.0.1 " + port + " | grep foo\n");
      assertThat(failedBuild(host, denied))
          .contains(
              "Dockerfile:2: RUN --network=host is not allowed by this build (BuildKit's"
                  + " network.host entitlement); allow it with docker build --network host");
      Path bridged =
          context(
              BASE + "RUN ! nc -w 2 127.0.0.1 " + port + " | grep -q foo\nRUN ip link show eth0\n");
      docker(host, "build", "-t", image, bridged.toString());
    }
  }

  /** A failing RUN with every kind of mount leaves no mount, container or temporary directory. */
  @Test
  void aFailingRunWithMounts_leavesNothing() throws Exception {
    Path context =
        context(
            BASE
                + "RUN --mount=type=bind,target=/ctx --mount=type=cache,target=/c"
                + " --mount=type=tmpfs,target=/t --mount=type=secret,id=token"
                + " --mount=type=bind,from=jstack-examples/busybox:latest,target=/b"
                + " cat /run/secrets/token && exit 7\n");
    Path secret = dir.resolve("token.txt");
    Files.writeString(secret, "x\n");

    assertThatThrownBy(
            () -> buildOurs(context, "jstack-run-it-fail:" + tag, Map.of("token", secret)))
        .hasMessageContaining("Dockerfile:2: RUN")
        .hasMessageContaining("exited 7");
    assertThat(engine.list()).isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("jstack-run-");
    try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(tmp.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("jstack-run-"));
    }
  }

  private void buildOurs(Path context, String image, Map<String, Path> secrets) {
    cleanUps.add(cli(host, "rmi", "-f", image));
    new ImageBuilder(engine)
        .build(
            new BuildRequest(
                context,
                "Dockerfile",
                Map.of(),
                "",
                Map.of(),
                List.of(image),
                "default",
                true,
                false,
                "",
                List.of(),
                secrets),
            line -> {});
  }

  private String tree(String on, String image) throws Exception {
    return docker(on, "run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c", TREE);
  }

  private String cat(String on, String image, String path) throws Exception {
    return docker(on, "run", "--rm", "--network", "none", "--entrypoint", "cat", image, path);
  }

  /**
   * The entries of every layer of {@code image}, as {@code docker save} from the engine gives them.
   */
  private List<String> layerEntries(String image) throws Exception {
    List<String> names = new ArrayList<>();
    for (byte[] layer : layers(image)) {
      forEachEntry(layer, (e, content) -> names.add(e.getName()));
    }
    return names;
  }

  private static List<String> entries(byte[] layer) throws Exception {
    List<String> names = new ArrayList<>();
    forEachEntry(layer, (e, content) -> names.add(e.getName()));
    return names;
  }

  private void assertSecretInNoLayer(String image, String value) throws Exception {
    for (byte[] layer : layers(image)) {
      forEachEntry(
          layer,
          (e, content) -> {
            assertThat(e.getName()).doesNotContain("secrets").doesNotContain("token");
            assertThat(new String(content, StandardCharsets.ISO_8859_1)).doesNotContain(value);
          });
    }
  }

  /** The layer tars of {@code image} in order, from {@code docker save} against the engine. */
  private List<byte[]> layers(String image) throws Exception {
    Path saved = dir.resolve("saved-" + UUID.randomUUID() + ".tar");
    docker(host, "save", "-o", saved.toString(), image);
    Map<String, byte[]> files = new java.util.HashMap<>();
    try {
      forEachEntry(Files.readAllBytes(saved), (e, content) -> files.put(e.getName(), content));
    } finally {
      Files.delete(saved);
    }
    var manifest =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.get("manifest.json"));
    List<byte[]> out = new ArrayList<>();
    manifest.get(0).get("Layers").forEach(l -> out.add(files.get(l.asText())));
    return out;
  }

  private interface EntryVisitor {
    void visit(TarArchiveEntry e, byte[] content) throws Exception;
  }

  private static void forEachEntry(byte[] tar, EntryVisitor v) throws Exception {
    InputStream in = new BufferedInputStream(new ByteArrayInputStream(tar));
    if (tar.length > 2 && (tar[0] & 0xff) == 0x1f && (tar[1] & 0xff) == 0x8b) {
      in = new GZIPInputStream(in);
    }
    try (TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        v.visit(e, t.readAllBytes());
      }
    }
  }

  private static String md5(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** A context with the Dockerfile, files to bind and a file .dockerignore leaves out. */
  private Path context(String dockerfile) throws Exception {
    Path c = Files.createDirectories(dir.resolve("context-" + UUID.randomUUID()));
    Files.writeString(c.resolve("Dockerfile"), dockerfile);
    Files.writeString(c.resolve("app.txt"), "app\n");
    Files.writeString(c.resolve("secret.txt"), "secret\n");
    Files.writeString(c.resolve(".dockerignore"), "secret.txt\n");
    Files.createDirectories(c.resolve("dir"));
    Files.writeString(c.resolve("dir/a.txt"), "a\n");
    return c;
  }
}
