package io.jstack.runtime.contract;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.docker.DockerEngine;
import io.jstack.engine.testing.contract.EngineContract;
import io.jstack.engine.testing.image.LocalRegistry;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The engine contract on jstack's embedded engine, run in this JVM on a data root and socket of its
 * own (under /tmp), spoken to as dockerd is: through {@link DockerEngine} on its socket. It gets
 * the examples' image from dockerd ({@code docker save}), loaded into its store before it serves.
 */
class EmbeddedEngineContractIT extends EngineContract {
  /**
   * The scenarios the embedded engine is known to fail, each with what it does where dockerd does
   * otherwise. Each still runs, and must fail: once the engine is fixed, its entry goes (the run
   * says so). The Engine methods only these scenarios cover are not required of this engine.
   */
  static final Map<String, String> KNOWN_DIFFERENCES =
      Map.ofEntries(
          Map.entry(
              "aContainerOnAMissingNetwork_isCreated_butDoesNotStart",
              "creating a container on a missing network is NotFound; dockerd creates it and"
                  + " refuses to start it"));

  private Path dir;
  private EmbeddedEngine embedded;
  private EngineServer server;
  private LocalRegistry registry;

  @Override
  protected Map<String, String> knownDifferences() {
    return KNOWN_DIFFERENCES;
  }

  @Override
  protected Engine startEngine() throws Exception {
    dir = Files.createTempDirectory("jstack-contract-");
    Path archive = dir.resolve("busybox.tar");
    Process save =
        new ProcessBuilder("docker", "save", "-o", archive.toString(), busyboxImage())
            .redirectErrorStream(true)
            .start();
    String said = new String(save.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (save.waitFor() != 0) {
      throw new AssertionError(
          "docker save " + busyboxImage() + " failed (build it: examples/build-image.sh): " + said);
    }
    embedded = new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(embedded.images(), in, null);
    }
    // No DNS upstream: the tests resolve nothing outside their own containers.
    embedded.supervise(Duration.ofMillis(200), List.of());
    Path log = dir.resolve("engine.log");
    server =
        EngineServer.start(
            embedded,
            dir.resolve("engine.sock"),
            null,
            line -> append(log, Instant.now() + " " + line + "\n"));
    registry = LocalRegistry.start();
    return DockerEngine.connect(new EngineAddress.Unix(dir.resolve("engine.sock")));
  }

  /**
   * Removes what this engine made beyond the suite's scenarios, then the engine: its default
   * network ({@code bridge}, made for the first container that joined none), whose bridge and
   * firewall rules on the host would outlive the data root.
   */
  @Override
  protected void stopEngine(Engine engine) throws Exception {
    try {
      if (engine != null) {
        for (NetworkInfo n : engine.networks(Map.of())) {
          engine.removeNetwork(n.id());
        }
        super.stopEngine(engine);
      }
    } finally {
      try {
        if (server != null) {
          server.close();
        }
        if (embedded != null) {
          embedded.stopSupervising();
        }
        if (registry != null) {
          registry.close();
        }
      } finally {
        if (dir != null) {
          LayerUnpacker.removeTree(dir);
        }
      }
    }
  }

  @Override
  protected String registryHost() {
    return registry.host;
  }

  private static void append(Path log, String line) {
    try {
      Files.writeString(
          log,
          line,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The log is for reading after a failure; losing a line fails nothing.
    }
  }
}
