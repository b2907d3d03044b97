package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import io.jstack.runtime.image.internal.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker commit} on the embedded engine against dockerd's, with the real {@code docker} CLI
 * on both: the same changes in a container (files added, changed, deleted, a directory replaced, a
 * hard and a symbolic link, a FIFO, owners and modes) make the same layer, entry by entry (name,
 * type, mode, owner, size, content, link), the same image defaults, and an image that runs.
 */
class CommitIT {
  private static final String SCRIPT =
      String.join(
          "; ",
          "set -e",
          "echo hello > /new.txt",
          "mkdir -p /d/sub",
          "echo x > /d/sub/f",
          "chmod 0750 /d/sub",
          "rm /bin/vi",
          "rm -rf /www",
          "mkdir /www",
          "echo fresh > /www/index.html",
          "ln /new.txt /hard.txt",
          "ln -s /new.txt /soft.txt",
          "chown 1000:1001 /new.txt",
          "mkfifo /fifo",
          "echo more >> /etc/passwd 2>/dev/null || echo root:x:0:0::/root:/bin/sh > /etc/passwd",
          "touch /tmp/t");

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  private EmbeddedEngine engine;
  private EngineServer server;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final List<String[]> cleanUps = new ArrayList<>();

  @BeforeEach
  void engine() throws Exception {
    Path archive = dir.resolve("busybox.tar");
    assertThat(docker(null, "save", "-o", archive.toString(), "jstack-examples/busybox:latest"))
        .isNotNull();
    engine = new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(engine.images(), in, null);
    }
    engine.supervise(Duration.ofMillis(200), List.of());
    server = EngineServer.start(engine, dir.resolve("engine.sock"), null, line -> {});
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String[] c : cleanUps) {
      run(c);
    }
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (engine != null) {
        engine.stopSupervising();
      }
    }
    LayerUnpacker.removeTree(dir.resolve("data"));
  }

  @Test
  void aCommittedLayer_isDockerdsEntryByEntry_andTheImageRuns() throws Exception {
    Committed ours = commitOn("unix://" + dir.resolve("engine.sock"));
    Committed theirs = commitOn(null);

    assertThat(ours.entries).as("the committed layer").isEqualTo(theirs.entries);
    assertThat(ours.entries)
        .contains(
            "www/.wh..wh..opq 0 0755 0:0 0 - -",
            "bin/.wh.vi 0 0600 0:0 0 - -",
            "new.txt 1 0644 1000:1001 0 - hard.txt",
            "soft.txt 2 0777 0:0 0 - /new.txt",
            "fifo 6 0644 0:0 0 - -");
    assertThat(ours.defaults).isEqualTo(theirs.defaults);
    assertThat(ours.ran).isEqualTo("hello\nfresh\n");
    assertThat(theirs.ran).isEqualTo(ours.ran);
  }

  private record Committed(List<String> entries, String defaults, String ran) {}

  private Committed commitOn(String host) throws Exception {
    String name = "jstack-commit-it-" + tag;
    String image = "jstack-commit-it:" + tag;
    cleanUps.add(cli(host, "rm", "-f", name));
    cleanUps.add(cli(host, "rmi", "-f", image));
    docker(
        host,
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "none",
        "-e",
        "FROM_RUN=1",
        "-l",
        "from.run=yes",
        "jstack-examples/busybox:latest",
        "sleep",
        "600");
    docker(host, "exec", name, "sh", "-c", SCRIPT);
    docker(host, "commit", "-m", "the changes", name, image);
    Path saved = dir.resolve("saved-" + (host == null ? "dockerd" : "jstack") + ".tar");
    docker(host, "save", "-o", saved.toString(), image);
    String defaults =
        docker(
            host,
            "inspect",
            "-f",
            "{{json .Config.Cmd}} {{json .Config.Env}} {{json .Config.Labels}}"
                + " {{json .Config.WorkingDir}} {{len .RootFS.Layers}} {{.Comment}}",
            image);
    String ran =
        docker(
            host, "run", "--rm", "--network", "none", image, "cat", "/new.txt", "/www/index.html");
    return new Committed(lastLayer(saved), defaults, ran);
  }

  /** The entries of the image's last layer, one line each: name type mode owner size sha link. */
  private static List<String> lastLayer(Path archive) throws IOException {
    Path unpacked = Files.createTempDirectory(archive.getParent(), "saved");
    List<String> layers = new ArrayList<>();
    JsonNode manifest;
    try (InputStream in = Files.newInputStream(archive)) {
      TarReader r = new TarReader(in);
      for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
        if (e.type() == '0') {
          Path p =
              unpacked.resolve(HexFormat.of().formatHex(e.name().getBytes(StandardCharsets.UTF_8)));
          Files.copy(r.content(), p);
          layers.add(e.name());
        }
      }
    }
    Path m =
        unpacked.resolve(
            HexFormat.of().formatHex("manifest.json".getBytes(StandardCharsets.UTF_8)));
    manifest = ImageStore.JSON.readTree(m.toFile());
    JsonNode names = manifest.path(0).path("Layers");
    String last = names.path(names.size() - 1).asText();
    Path layer = unpacked.resolve(HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8)));
    List<String> out = new ArrayList<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      TarReader r = new TarReader(gzip ? new GZIPInputStream(raw) : raw);
      for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
        String sha = "-";
        if (e.type() == '0' && e.size() > 0) {
          sha = Digests.of(r.content().readAllBytes()).substring(7, 19);
        }
        out.add(
            String.join(
                " ",
                e.name().replaceFirst("^\\./", ""),
                String.valueOf(e.type()),
                String.format("%04o", e.mode() & 07777),
                e.uid() + ":" + e.gid(),
                String.valueOf(e.type() == '0' ? e.size() : 0),
                sha,
                e.linkName() == null || e.linkName().isEmpty() ? "-" : e.linkName()));
      }
    }
    LayerUnpacker.removeTree(unpacked);
    return out;
  }

  private static String[] cli(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    if (host != null) {
      cmd.addAll(List.of("-H", host));
    }
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  /** Runs the docker CLI; what it printed; fails unless it exits 0. */
  private static String docker(String host, String... args) throws Exception {
    String[] cmd = cli(host, args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  private static void run(String[] cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor();
  }
}
