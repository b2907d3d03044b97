package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the builder's integration tests share: in-process embedded engines, each on a data root of
 * its own in the test's temporary directory with the examples' busybox loaded from dockerd, one of
 * them served on {@code dir/engine.sock}; the real {@code docker} CLI against that socket (the
 * classic protocol), against dockerd's classic builder ({@code on == null}) or against dockerd's
 * BuildKit ({@link #BUILDKIT}, through Debian's 20.10 client: the newer client on PATH has no
 * buildx). After each test the commands in {@link #cleanUps} run (while the engine still serves),
 * then the server closes and every engine stops, its networks and data root removed, also when the
 * test or an earlier step of the clean-up failed; then {@link NothingLeft} checks that the host is
 * as the test found it.
 */
abstract class EmbeddedBuildFixture {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String BUSYBOX = "jstack-examples/busybox:latest";

  /** Stands for dockerd's BuildKit where a test names the engine a build runs on. */
  static final String BUILDKIT = "buildkit";

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  /** A suffix for the test's image names, so that they clash with nobody's. */
  final String tag = UUID.randomUUID().toString().substring(0, 8);

  /** Commands (from {@link #cli}) run after the test, whatever their outcome: image removals. */
  final List<String[]> cleanUps = new ArrayList<>();

  /** The engine {@link #serve} serves; the {@code docker -H} address of its socket. */
  EmbeddedEngine engine;

  String host;

  private @Nullable EngineServer server;
  private final List<EmbeddedEngine> engines = new ArrayList<>();

  /** An engine on an empty data root {@code dir/name}, with busybox loaded from dockerd. */
  EmbeddedEngine engine(String name) throws Exception {
    Path archive = dir.resolve("busybox.tar");
    if (!Files.exists(archive)) {
      docker(null, "save", "-o", archive.toString(), BUSYBOX);
    }
    EmbeddedEngine e = new EmbeddedEngine(new DataRoot(dir.resolve(name)), RuntimeTools.detect());
    engines.add(e);
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(e.images(), in, null);
    }
    e.supervise(Duration.ofMillis(200), List.of());
    return e;
  }

  /** Serves {@code e} on {@code dir/engine.sock}, which {@link #host} names. */
  void serve(EmbeddedEngine e) throws Exception {
    server = EngineServer.start(e, dir.resolve("engine.sock"), null, line -> {});
    engine = e;
    host = "unix://" + dir.resolve("engine.sock");
  }

  /** An engine on the data root {@code dir/data}, served. */
  void serveAnEngine() throws Exception {
    serve(engine("data"));
  }

  /** Closes the server, if one serves. */
  void stopServing() throws Exception {
    if (server != null) {
      EngineServer s = server;
      server = null;
      s.close();
    }
  }

  /** Stops {@code e}: its supervision, its networks (RUN's default bridge) and its data root. */
  void stop(EmbeddedEngine e) throws Exception {
    if (engines.remove(e)) {
      try {
        e.stopSupervising();
        e.networks().list().forEach(e.networks()::remove);
      } finally {
        LayerUnpacker.removeTree(e.dataRoot().path());
      }
    }
  }

  /** Stops serving, then stops every engine. */
  void stopAll() throws Exception {
    try {
      stopServing();
    } finally {
      Exception first = null;
      for (EmbeddedEngine e : List.copyOf(engines)) {
        try {
          stop(e);
        } catch (Exception ex) {
          if (first == null) {
            first = ex;
          } else {
            first.addSuppressed(ex);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  @AfterEach
  void cleanUpTheBuilds() throws Exception {
    try {
      for (String[] c : cleanUps) {
        run(c);
      }
    } finally {
      stopAll();
    }
  }

  /**
   * The docker CLI's command line: the engine's socket ({@code on} its {@code unix://} address),
   * dockerd ({@code null}) or dockerd's BuildKit ({@link #BUILDKIT}).
   */
  static String[] cli(@Nullable String on, String... args) {
    List<String> cmd = new ArrayList<>(List.of(BUILDKIT.equals(on) ? "/usr/bin/docker" : "docker"));
    if (on != null && !BUILDKIT.equals(on)) {
      cmd.addAll(List.of("-H", on));
    }
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  /** The classic builder on both sides (the protocol the engine serves), or BuildKit on dockerd. */
  static ProcessBuilder builder(String[] cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DOCKER_BUILDKIT", cmd[0].equals("/usr/bin/docker") ? "1" : "0");
    return pb;
  }

  /** Runs the docker CLI; what it printed; fails unless it exits 0. */
  static String docker(@Nullable String on, String... args) throws Exception {
    String[] cmd = cli(on, args);
    Process p = builder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  /**
   * Builds {@code context} (with {@code args} before it) and expects the build to fail; what the
   * CLI printed. The image it names is removed after the test, should it exist.
   */
  String failedBuild(@Nullable String on, Path context, String... args) throws Exception {
    String image = "jstack-" + getClass().getSimpleName().toLowerCase(Locale.ROOT) + "-fail:" + tag;
    cleanUps.add(cli(on, "rmi", "-f", image));
    List<String> all = new ArrayList<>(List.of("build", "-t", image));
    all.addAll(List.of(args));
    all.add(context.toString());
    String[] cmd = cli(on, all.toArray(String[]::new));
    Process p = builder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isNotZero();
    return out;
  }

  /**
   * What made each history entry of {@code image}, oldest first, as {@code docker history
   * --no-trunc} shows it: on the engine over its {@code GET /images/{name}/history}, or on dockerd.
   * Each is read as JSON ({@code {{json .CreatedBy}}}), so that an entry of several lines stays
   * one; the CLI shows a tab as a space.
   */
  static List<String> history(@Nullable String on, String image) throws Exception {
    List<String> history = new ArrayList<>();
    for (String line :
        docker(on, "history", "--no-trunc", "--format", "{{json .CreatedBy}}", image)
            .lines()
            .toList()) {
      history.add(0, JSON.readValue(line, String.class));
    }
    return history;
  }

  /**
   * What made each history entry of {@code image} on the served engine, oldest first, exactly as
   * its {@code GET /images/{name}/history} answers (tabs kept, which the CLI shows as spaces).
   */
  List<String> servedHistory(String image) throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-sSf",
                "--unix-socket",
                dir.resolve("engine.sock").toString(),
                "http://localhost/v1.41/images/" + image + "/history")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    List<String> history = new ArrayList<>();
    JSON.readTree(out).forEach(e -> history.add(0, e.path("CreatedBy").asText()));
    return history;
  }

  /** Runs {@code cmd}, whatever its outcome. */
  static void run(String[] cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor();
  }
}
