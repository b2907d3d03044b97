package io.jstack.runtime.clients;

import io.jstack.runtime.DataRoot;
import io.jstack.runtime.api.EngineServer;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The engine a client under test speaks to, on a unix socket: jstack's embedded engine, served from
 * this JVM on a data root and socket of its own in the test's directory with the examples' busybox
 * loaded from dockerd ({@code docker save}), or dockerd itself, the reference. Closing it stops the
 * embedded engine: the server, its supervision, its networks (their bridges and firewall rules
 * would outlive the data root) and its data root; dockerd is left as it was.
 */
final class ClientTarget implements AutoCloseable {
  static final String BUSYBOX = "jstack-examples/busybox:latest";

  /** Which engine. */
  enum Kind {
    EMBEDDED,
    DOCKERD
  }

  final Kind kind;
  private final Path socket;
  private final @Nullable EmbeddedEngine engine;
  private final @Nullable EngineServer server;

  private ClientTarget(
      Kind kind, Path socket, @Nullable EmbeddedEngine engine, @Nullable EngineServer server) {
    this.kind = kind;
    this.socket = socket;
    this.engine = engine;
    this.server = server;
  }

  /** The engine of {@code kind}; an embedded one works in {@code dir}. */
  static ClientTarget start(Kind kind, Path dir) throws Exception {
    if (kind == Kind.DOCKERD) {
      Path socket = Path.of("/var/run/docker.sock");
      if (!Files.exists(socket)) {
        throw new AssertionError("dockerd's socket " + socket + " is missing: start dockerd");
      }
      return new ClientTarget(kind, socket, null, null);
    }
    Path archive = dir.resolve("busybox.tar");
    Process save =
        new ProcessBuilder("docker", "save", "-o", archive.toString(), BUSYBOX)
            .redirectErrorStream(true)
            .start();
    String said = new String(save.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (save.waitFor() != 0) {
      throw new AssertionError(
          "docker save " + BUSYBOX + " failed (build it: examples/build-image.sh): " + said);
    }
    EmbeddedEngine engine =
        new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    EngineServer server = null;
    try {
      try (InputStream in = Files.newInputStream(archive)) {
        ImageArchives.load(engine.images(), in, null);
      }
      engine.supervise(Duration.ofMillis(200), List.of());
      server = EngineServer.start(engine, dir.resolve("engine.sock"), null, line -> {});
      return new ClientTarget(kind, dir.resolve("engine.sock"), engine, server);
    } catch (Exception | Error e) {
      try {
        new ClientTarget(kind, dir.resolve("engine.sock"), engine, server).close();
      } catch (Exception | Error also) {
        e.addSuppressed(also);
      }
      throw e;
    }
  }

  /** The engine's Docker API socket. */
  Path socket() {
    return socket;
  }

  /** Its {@code DOCKER_HOST} form. */
  String dockerHost() {
    return "unix://" + socket;
  }

  @Override
  public void close() throws IOException {
    if (engine == null) {
      return;
    }
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try {
        engine.stopSupervising();
        engine.networks().list().forEach(engine.networks()::remove);
      } finally {
        LayerUnpacker.removeTree(engine.dataRoot().path());
      }
    }
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
