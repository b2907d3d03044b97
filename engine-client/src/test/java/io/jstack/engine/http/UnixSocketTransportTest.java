package io.jstack.engine.http;

import io.jstack.engine.EngineAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract over a unix socket (how jstack reaches dockerd and its own engine). */
class UnixSocketTransportTest extends HttpTransportContract {
  @TempDir Path dir;

  @Override
  TestHttpServer startServer() throws IOException {
    return new TestHttpServer(
        ServerSocketChannel.open(StandardProtocolFamily.UNIX),
        UnixDomainSocketAddress.of(dir.resolve("engine.sock")));
  }

  @Override
  HttpTransport transport() {
    return new SocketTransport(new EngineAddress.Unix(dir.resolve("engine.sock")));
  }

  @Override
  HttpTransport unreachable() {
    return new SocketTransport(new EngineAddress.Unix(dir.resolve("nobody.sock")));
  }

  @Override
  String unreachableAddress() {
    return "unix://" + dir.resolve("nobody.sock");
  }
}
