package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The published-port proxy between sockets on 127.0.0.1: TCP with half-closes, and UDP. */
class PortProxyTest {
  private static final long LOOPBACK = Subnet.parseAddress("127.0.0.1");
  private final PortProxy proxy = new PortProxy();

  @AfterEach
  void close() {
    proxy.close();
  }

  @Test
  void tcp_relaysBothWays_andPassesAHalfClose() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The "container": reads to the end of its input, then answers with what it counted.
      Thread t =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  long n = s.getInputStream().transferTo(OutputStream.nullOutputStream());
                  s.getOutputStream().write(("got " + n).getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException ignored) {
                  // The test fails on its side.
                }
              });
      t.start();
      int port =
          proxy.open(
              "c1", new PortProxy.Binding("tcp", "127.0.0.1", 0, server.getLocalPort()), LOOPBACK);
      byte[] data = new byte[3 << 20];
      ThreadLocalRandom.current().nextBytes(data);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        client.getOutputStream().write(data);
        client.shutdownOutput();
        InputStream in = client.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("got " + data.length);
      }
      t.join(5000);
    }
  }

  @Test
  void udp_relaysEachClientsDatagramsAndTheAnswers() throws Exception {
    try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[512];
                try {
                  while (true) {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    echo.receive(p);
                    echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                  }
                } catch (java.io.IOException closed) {
                  // Done.
                }
              });
      t.setDaemon(true);
      t.start();
      int port =
          proxy.open(
              "c2", new PortProxy.Binding("udp", "127.0.0.1", 0, echo.getLocalPort()), LOOPBACK);
      for (String who : new String[] {"first", "second"}) {
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
          client.setSoTimeout(2000);
          byte[] ping = ("ping from " + who).getBytes(StandardCharsets.US_ASCII);
          client.send(
              new DatagramPacket(ping, ping.length, InetAddress.getLoopbackAddress(), port));
          DatagramPacket reply = new DatagramPacket(new byte[512], 512);
          client.receive(reply);
          assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
              .isEqualTo("ping from " + who);
        }
      }
    }
  }

  @Test
  void aTakenPort_isRefusedNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  proxy.open(
                      "c3",
                      new PortProxy.Binding("tcp", "127.0.0.1", taken.getLocalPort(), 80),
                      LOOPBACK))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("cannot publish 127.0.0.1:" + taken.getLocalPort() + "/tcp");
    }
  }

  /**
   * dockerd binds 0.0.0.0 and [::]; the proxy's epoll socket is dual-stack, so its wildcard takes
   * both, and a client trying localhost's ::1 first gets through.
   */
  @Test
  void noHostAddress_servesIpv4AndIpv6Clients_asDockerdDoes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < 2; i++) {
                  try (Socket s = server.accept()) {
                    s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                  } catch (java.io.IOException ignored) {
                    // The test fails on its side.
                  }
                }
              });
      t.start();
      int port =
          proxy.open("c4", new PortProxy.Binding("tcp", "", 0, server.getLocalPort()), LOOPBACK);
      for (String loopback : new String[] {"127.0.0.1", "::1"}) {
        try (Socket client = new Socket(InetAddress.getByName(loopback), port)) {
          assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
              .as("through " + loopback)
              .isEqualTo("hi");
        }
      }
      t.join(5000);
    }
  }
}
