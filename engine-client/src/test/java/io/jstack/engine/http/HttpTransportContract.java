package io.jstack.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link HttpTransport} must do; each transport's test extends this class. */
abstract class HttpTransportContract {
  TestHttpServer server;
  HttpTransport transport;

  /** Starts a server this transport can reach. */
  abstract TestHttpServer startServer() throws IOException;

  /** A transport connected to {@link #server}. */
  abstract HttpTransport transport();

  /** A transport to an address where nothing listens, and that address as text. */
  abstract HttpTransport unreachable();

  abstract String unreachableAddress();

  @BeforeEach
  void start() throws IOException {
    server = startServer();
    transport = transport();
  }

  @AfterEach
  void stop() throws IOException {
    transport.close();
    server.close();
  }

  @Test
  void postWithBody_isEchoed() throws IOException {
    byte[] json = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    try (HttpResponse r = transport.execute(HttpRequest.postJson("/echo", json))) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("application/json");
      assertThat(r.bytes()).isEqualTo(json);
    }
  }

  @Test
  void streamedRequestBody_arrivesWhole() throws IOException {
    byte[] data = new byte[300_000];
    Arrays.fill(data, (byte) 'x');
    try (HttpResponse r =
        transport.execute(
            HttpRequest.postStream("/echo", "application/x-tar", new ByteArrayInputStream(data)))) {
      assertThat(r.bytes()).isEqualTo(data);
    }
  }

  @Test
  void bigResponse_arrivesWhole() throws IOException {
    try (HttpResponse r = transport.execute(HttpRequest.get("/big"))) {
      byte[] body = r.bytes();
      assertThat(body).hasSize(1 << 20);
      for (int i = 0; i < body.length; i += 4099) {
        assertThat(body[i]).isEqualTo((byte) (i % 251));
      }
    }
  }

  @Test
  void chunkedResponse_canBeReadBeforeItEnds() throws IOException {
    try (HttpResponse r = transport.execute(HttpRequest.get("/stream"));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("one");
      assertThat(lines.readLine()).isEqualTo("two");
      server.release.countDown();
      assertThat(lines.readLine()).isEqualTo("three");
      assertThat(lines.readLine()).isNull();
    }
  }

  @Test
  void errorStatus_isReturnedWithItsBody() throws IOException {
    try (HttpResponse r = transport.execute(HttpRequest.get("/missing"))) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).contains("no such thing");
    }
  }

  @Test
  void closingAResponse_endsAnEndlessStream() throws Exception {
    HttpResponse r = transport.execute(HttpRequest.get("/hang"));
    assertThat(
            new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)).readLine())
        .isEqualTo("started");
    r.close();
    assertThat(server.clientGone.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingTheTransport_endsTheStreamsStillOpen_andRefusesMore() throws Exception {
    HttpResponse r = transport.execute(HttpRequest.get("/hang"));
    BufferedReader body =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertThat(body.readLine()).isEqualTo("started");
    java.util.concurrent.CompletableFuture<Object> reader =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return String.valueOf(body.readLine());
              } catch (IOException e) {
                return e;
              }
            });
    transport.close();
    // The reader, blocked in the stream, ends: at its end or with an error.
    Object ended = reader.get(5, TimeUnit.SECONDS);
    assertThat(ended)
        .satisfiesAnyOf(
            e -> assertThat(e).isEqualTo("null"),
            e -> assertThat(e).isInstanceOf(IOException.class));
    assertThat(server.clientGone.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> transport.execute(HttpRequest.get("/echo")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
    r.close();
  }

  @Test
  void upgrade_givesARawHalfClosableConnection() throws IOException {
    try (HttpResponse r = transport.execute(HttpRequest.post("/upgrade").upgrading());
        HttpConnection c = r.connection()) {
      assertThat(r.status()).isEqualTo(101);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(c.input(), StandardCharsets.UTF_8));
      c.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
      c.output().flush();
      assertThat(in.readLine()).isEqualTo("HELLO");
      c.output().write("again\n".getBytes(StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("AGAIN");
      c.shutdownOutput();
      assertThat(in.readLine()).isEqualTo("bye");
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void upgradeRefused_isAnOrdinaryResponse() throws IOException {
    try (HttpResponse r = transport.execute(HttpRequest.get("/missing").upgrading())) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).contains("no such thing");
      assertThatThrownBy(r::connection)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("404");
    }
  }

  @Test
  void manyRequestsInARow_eachGetTheirOwnAnswer() throws IOException {
    for (int i = 0; i < 50; i++) {
      byte[] b = ("n" + i).getBytes(StandardCharsets.UTF_8);
      try (HttpResponse r = transport.execute(HttpRequest.postJson("/echo", b))) {
        assertThat(r.bytes()).isEqualTo(b);
      }
    }
  }

  @Test
  void nothingListening_isAnIoErrorNamingTheAddress() {
    try (HttpTransport t = unreachable()) {
      assertThatThrownBy(() -> t.execute(HttpRequest.get("/_ping")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot connect to the engine at " + unreachableAddress());
    }
  }
}
