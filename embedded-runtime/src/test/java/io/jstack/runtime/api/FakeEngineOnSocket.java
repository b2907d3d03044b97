package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The whole API over fakes on a real unix socket, with limits the test chooses: a running container
 * {@code web} with a directory {@code /etc} to copy from and to, and a network {@code front} to
 * connect it to, so that valid create, exec, network and archive requests succeed.
 */
final class FakeEngineOnSocket implements AutoCloseable {
  /** Limits small enough to pass in a test, and timeouts short enough to wait for. */
  static final ServerLimits SMALL =
      new ServerLimits(
          4 << 10,
          8 << 10,
          64 << 10,
          1 << 20,
          Duration.ofMillis(500),
          Duration.ofMillis(500),
          4_000);

  final FakeContainers containers =
      new FakeContainers().with(Fixtures.container("web", Container.Status.running, Map.of()));

  final FakeNetworks networks = new FakeNetworks();
  final EngineServer server;
  final Path socket;

  FakeEngineOnSocket(Path dir, ServerLimits limits) throws IOException, InterruptedException {
    Path etc = Files.createDirectories(dir.resolve("web-etc"));
    Files.writeString(etc.resolve("hostname"), "web\n");
    containers.paths.put("web:/etc", etc);
    Subnet s = Subnet.parse("10.7.0.0/24");
    networks.networks.add(
        new Network(
            "front-id",
            "front",
            s,
            s.base() + 1,
            Optional.empty(),
            false,
            1500,
            Map.of(),
            Fixtures.CREATED,
            "jst-front"));
    socket = dir.resolve("api.sock");
    EngineServer.Services services =
        new EngineServer.Services(
            containers,
            containers,
            containers,
            new FakeExecs(),
            new FakeImages(),
            networks,
            new FakeVolumes(),
            new FakeSystem());
    server = EngineServer.start(services.routes(), socket, null, line -> {}, limits);
  }

  @Override
  public void close() {
    server.close();
  }
}
