package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the server tells a client that ended its half of the connection from one that is gone, over a
 * real unix socket: the first gets its answer, a stream followed for the second ends.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionTest {
  @TempDir Path dir;
  final CountDownLatch following = new CountDownLatch(1);
  final CountDownLatch followEnded = new CountDownLatch(1);
  EngineServer server;

  /** A streamed answer far larger than the socket's buffers (an archive of a big directory). */
  static final int BIG = 8 << 20;

  Path socket;

  @BeforeEach
  void serve() throws Exception {
    socket = dir.resolve("api.sock");
    Router router = new Router();
    router.add(
        HttpMethod.GET,
        "/follow",
        x -> {
          x.startChunked("text/plain");
          following.countDown();
          try {
            while (x.open()) {
              Thread.sleep(20);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          followEnded.countDown();
          x.end();
        });
    router.add(
        HttpMethod.GET,
        "/slow",
        x -> {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          x.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "done");
        });
    router.add(
        HttpMethod.GET,
        "/fast",
        x -> x.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "fast"));
    router.add(
        HttpMethod.GET,
        "/big",
        x -> {
          x.startChunked("application/octet-stream");
          try (java.io.OutputStream out = x.chunks()) {
            byte[] block = new byte[1 << 16];
            java.util.Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < BIG / block.length; i++) {
              out.write(block);
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          x.end();
        });
    server = EngineServer.start(router, socket, null, line -> {});
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SocketChannel request(String path) throws Exception {
    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
    c.connect(UnixDomainSocketAddress.of(socket));
    c.write(
        ByteBuffer.wrap(
            ("GET " + path + " HTTP/1.1\r\nHost: engine\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
    return c;
  }

  @Test
  void aClientThatIsGone_endsTheStreamItFollowed_thoughNothingNewWasWritten() throws Exception {
    SocketChannel c = request("/follow");
    assertThat(following.await(5, TimeUnit.SECONDS)).isTrue();
    c.close();
    assertThat(followEnded.await(2, TimeUnit.SECONDS))
        .as("the follow loop saw the client go")
        .isTrue();
  }

  @Test
  void aClientThatOnlyEndedItsHalf_stillGetsItsAnswer() throws Exception {
    try (SocketChannel c = request("/slow")) {
      c.shutdownOutput();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer b = ByteBuffer.allocate(4096);
      while (c.read(b) > 0) {
        got.write(b.array(), 0, b.position());
        b.clear();
      }
      assertThat(got.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200").endsWith("done");
    }
  }

  @Test
  void aClientThatEndsItsHalfAtOnce_stillGetsAnAnswerMadeAtOnce() throws Exception {
    // The answer of a fast route is still a task on the event loop when the half-close arrives.
    try (RawHttp raw = new RawHttp(socket)) {
      for (int i = 0; i < 300; i++) {
        RawHttp.Reply r = raw.exchange("GET /fast HTTP/1.1\r\nHost: engine\r\n\r\n");
        assertThat(r.status()).as("request " + i + ": " + r.head()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("fast");
      }
    }
  }

  @Test
  void aClientThatEndedItsHalf_keepsAStreamItFollows() throws Exception {
    try (SocketChannel c = request("/follow")) {
      assertThat(following.await(5, TimeUnit.SECONDS)).isTrue();
      c.shutdownOutput();
      assertThat(followEnded.await(500, TimeUnit.MILLISECONDS))
          .as("a half-close is not a client gone")
          .isFalse();
    }
    assertThat(followEnded.await(2, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aClientThatEndedItsHalf_getsAStreamedAnswerOfManyMegabytes_whole() throws Exception {
    try (SocketChannel c = request("/big")) {
      c.shutdownOutput();
      long got = 0;
      ByteBuffer b = ByteBuffer.allocate(1 << 16);
      StringBuilder head = new StringBuilder();
      for (int n; (n = c.read(b)) >= 0; ) {
        if (head.length() < 200) {
          head.append(new String(b.array(), 0, Math.min(n, 200), StandardCharsets.US_ASCII));
        }
        got += n;
        b.clear();
        Thread.sleep(got % (1 << 20) < n ? 50 : 0); // a reader slower than the writer, at times
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 200");
      assertThat(got).as("bytes received, head and chunk framing included").isGreaterThan(BIG);
    }
  }
}
