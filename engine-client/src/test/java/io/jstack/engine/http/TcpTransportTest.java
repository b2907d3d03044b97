package io.jstack.engine.http;

import io.jstack.engine.EngineAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;

/** The contract over TCP on 127.0.0.1 ({@code DOCKER_HOST=tcp://...}). */
class TcpTransportTest extends HttpTransportContract {
  int port;

  @Override
  TestHttpServer startServer() throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open();
    TestHttpServer s =
        new TestHttpServer(ch, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
    return s;
  }

  @Override
  HttpTransport transport() {
    return new SocketTransport(new EngineAddress.Tcp("127.0.0.1", port));
  }

  private int freePort;

  @Override
  HttpTransport unreachable() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new SocketTransport(new EngineAddress.Tcp("127.0.0.1", freePort));
  }

  @Override
  String unreachableAddress() {
    return "tcp://127.0.0.1:" + freePort;
  }
}
