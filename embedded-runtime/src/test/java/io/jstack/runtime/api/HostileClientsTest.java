package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send what no Docker client would, over a real unix socket to the real server (over
 * fakes, with {@link FakeEngineOnSocket#SMALL small limits}): each gets a 4xx with one line saying
 * what is wrong, never a 5xx or silence, and the server goes on answering everyone else.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileClientsTest {
  @TempDir Path dir;
  FakeEngineOnSocket engine;
  RawHttp raw;

  @BeforeEach
  void serve() throws Exception {
    engine = new FakeEngineOnSocket(dir, FakeEngineOnSocket.SMALL);
    raw = new RawHttp(engine.socket);
  }

  @AfterEach
  void stop() {
    raw.close();
    engine.close();
  }

  /** The answer to {@code request}, checked to be {@code status} with a one-line message. */
  private String refused(String request, int status) throws IOException {
    return refused(request.getBytes(StandardCharsets.ISO_8859_1), status);
  }

  private String refused(byte[] request, int status) throws IOException {
    RawHttp.Reply r = raw.exchange(request, Duration.ofSeconds(10));
    assertThat(r.status()).as(r.head() + "\n" + r.text()).isEqualTo(status);
    if (request.length > 5
        && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ")) {
      return "";
    }
    String message = r.message();
    assertThat(message).isNotBlank().doesNotContain("\n").doesNotContain("\r");
    assertThat(message.chars().noneMatch(Character::isISOControl)).as(message).isTrue();
    assertThat(ping()).as("the server still answers after: " + message).isEqualTo(200);
    return message;
  }

  private int ping() throws IOException {
    RawHttp.Reply r = raw.exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
    if (r.status() != 200) {
      System.err.println("PING: " + r.status() + " [" + r.head() + "] " + r.text());
    }
    return r.status();
  }

  private static String post(String path, String json) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + json.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + json;
  }

  // ------------------------------------------------------------------ malformed HTTP

  @Test
  void aRequestLineThatIsNotHttp_is400() throws IOException {
    assertThat(refused("HELLO THERE\r\n\r\n", 400)).contains("malformed HTTP request");
    refused("GET /_ping HTTP/7.3\r\n\r\n", 400);
    refused("GET /_ping HTTP/1.1\r\nno colon here\r\n\r\n", 400);
  }

  @Test
  void bytesThatAreNotText_are400() throws IOException {
    byte[] junk = new byte[512];
    new java.util.Random(7).nextBytes(junk);
    junk[0] = 'G';
    junk[junk.length - 4] = '\r';
    junk[junk.length - 3] = '\n';
    junk[junk.length - 2] = '\r';
    junk[junk.length - 1] = '\n';
    RawHttp.Reply r = raw.exchange(junk, Duration.ofSeconds(10));
    assertThat(r.status()).as(r.head()).isBetween(400, 499);
    assertThat(ping()).isEqualTo(200);
  }

  @Test
  void aPathThatIsNotUrlEncoded_orHoldsControlCharacters_is400() throws IOException {
    assertThat(refused("GET /containers/%zz/json HTTP/1.1\r\nHost: x\r\n\r\n", 400))
        .contains("%zz");
    assertThat(refused("GET /containers/a%01b/json HTTP/1.1\r\nHost: x\r\n\r\n", 400))
        .contains("control characters");
  }

  @Test
  void aPathOfNoDockerEndpoint_is404_andOneItLacks_is501() throws IOException {
    assertThat(refused("GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n", 404)).isNotBlank();
    assertThat(refused("POST /containers/web/starx HTTP/1.1\r\nHost: x\r\n\r\n", 404)).isNotBlank();
    assertThat(refused("FROB /containers/json HTTP/1.1\r\nHost: x\r\n\r\n", 404)).isNotBlank();
  }

  @Test
  void bytesPastARequestsLength_areRefusedOnlyOnceItsAnswerIsWhole() throws IOException {
    // What follows the length is read as the next request (garbage) while the first answer
    // streams: the refusal waits for it instead of cutting it.
    RawHttp.Reply r =
        raw.exchange(
            "GET /containers/web/archive?path=/etc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"
                + "abGARBAGE WITHOUT VERSION\r\n\r\n");
    assertThat(r.status()).as(r.head()).isEqualTo(200);
    assertThat(r.text()).contains("hostname");
    assertThat(ping()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ oversized

  @Test
  void aRequestLineOverItsLimit_is414() throws IOException {
    String path = "/containers/json?filters=" + "a".repeat(5000);
    assertThat(refused("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", 414)).contains("4096 bytes");
  }

  @Test
  void headersOverTheirLimit_orTooMany_are431() throws IOException {
    assertThat(refused("GET /_ping HTTP/1.1\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", 431))
        .contains("8192 bytes");
    StringBuilder many = new StringBuilder("GET /_ping HTTP/1.1\r\n");
    for (int i = 0; i < 2000; i++) {
      many.append("X-").append(i).append(": 1\r\n");
    }
    refused(many.append("\r\n").toString(), 431);
  }

  @Test
  void aJsonBodyOverItsLimit_is413_whetherItsLengthIsGivenOrNot() throws IOException {
    String big = "{\"Image\": \"" + "x".repeat(70 << 10) + "\"}";
    assertThat(refused(post("/containers/create", big), 413)).contains("65536 bytes");
    String chunked =
        "POST /containers/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(big.length())
            + "\r\n"
            + big
            + "\r\n0\r\n\r\n";
    refused(chunked, 413);
    assertThat(engine.containers.calls).isEmpty();
  }

  @Test
  void anUploadOverItsLimit_is413_atOnceWhenItsLengthSaysSo() throws IOException {
    String head =
        "PUT /containers/web/archive?path=/etc HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/x-tar\r\nContent-Length: "
            + (2L << 30)
            + "\r\n\r\n";
    long started = System.nanoTime();
    assertThat(refused(head + "x".repeat(1000), 413)).contains("1048576 bytes");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(engine.containers.calls).isEmpty();
  }

  @Test
  void anUploadOverItsLimit_is413_onceItPassesItWhenChunked() throws IOException {
    StringBuilder req =
        new StringBuilder(
            "PUT /containers/web/archive?path=/etc HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n");
    String chunk = "y".repeat(64 << 10);
    for (int i = 0; i < 20; i++) {
      req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    req.append("0\r\n\r\n");
    assertThat(refused(req.toString(), 413)).contains("1048576 bytes");
  }

  // ------------------------------------------------------------------ invalid JSON, wrong types

  @Test
  void aBodyThatIsNotJson_is400_sayingWhereInOneLine() throws IOException {
    assertThat(refused(post("/containers/create", "{\"Image\": \n\"busybox\",,}"), 400))
        .contains("not JSON")
        .contains("line 2");
    refused(post("/containers/create", "[1, 2]"), 400);
    refused(post("/networks/create", "\"front\""), 400);
    refused(post("/containers/create", "[".repeat(5000)), 400);
    refused(post("/containers/create", "{\"StopTimeout\": 1" + "0".repeat(2000) + "}"), 400);
  }

  @Test
  void fieldsOfTheWrongType_are400_namingTheField() throws IOException {
    assertThat(refused(post("/containers/create", "{\"Image\": {\"a\": 1}}"), 400))
        .contains("Image");
    assertThat(refused(post("/containers/create", "{\"Image\": \"a\", \"Env\": \"A=1\"}"), 400))
        .contains("Env");
    assertThat(
            refused(
                post(
                    "/containers/create",
                    "{\"Image\": \"a\", \"HostConfig\": {\"PortBindings\": {\"80/tcp\": 8}}}"),
                400))
        .contains("HostConfig.PortBindings");
    assertThat(refused(post("/containers/web/exec", "{\"Cmd\": 5}"), 400)).contains("Cmd");
    assertThat(refused(post("/networks/create", "{\"Name\": [\"x\"]}"), 400)).contains("Name");
    assertThat(
            refused(
                post("/networks/front/connect", "{\"Container\": \"web\", \"EndpointConfig\": 3}"),
                400))
        .contains("EndpointConfig");
  }

  // ------------------------------------------------------------------ names and paths

  @Test
  void namesWithDotsSlashesOrControlCharacters_are400() throws IOException {
    for (String name : List.of("..", "../../etc", "a/b", "a%01b", "a%0Ab")) {
      assertThat(refused(post("/containers/create?name=" + name, "{\"Image\": \"a\"}"), 400))
          .contains("name");
      assertThat(
              refused(
                  post(
                      "/networks/create",
                      "{\"Name\": \""
                          + name.replace("%01", "\\u0001").replace("%0A", "\\n")
                          + "\"}"),
                  400))
          .isNotBlank();
    }
    assertThat(engine.containers.calls).isEmpty();
    assertThat(engine.networks.calls).isEmpty();
  }

  @Test
  void archivePathsWithControlCharacters_are400() throws IOException {
    refused("GET /containers/web/archive?path=/etc%00/x HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    refused("HEAD /containers/web/archive?path=/e%0Atc HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    refused(
        "PUT /containers/web/archive?path=/etc%01 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        400);
  }

  // ------------------------------------------------------------------ slow and idle clients

  @Test
  void aClientThatTricklesItsHead_is408_andHoldsNoOneUp() throws Exception {
    List<SocketChannel> slow = new ArrayList<>();
    List<CompletableFuture<RawHttp.Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        SocketChannel c = raw.connect();
        slow.add(c);
        replies.add(
            CompletableFuture.supplyAsync(() -> trickle(c, "GET /_ping HTTP/1.1\r\nHost: x")));
      }
      for (int i = 0; i < 10; i++) {
        long started = System.nanoTime();
        assertThat(ping()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofMillis(500));
      }
      for (CompletableFuture<RawHttp.Reply> r : replies) {
        RawHttp.Reply reply = r.get(10, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.head()).isEqualTo(408);
        assertThat(reply.message()).contains("500 ms");
      }
    } finally {
      for (SocketChannel c : slow) {
        c.close();
      }
    }
  }

  /** Sends {@code text} a byte every 100 ms, then reads the answer. */
  private static RawHttp.Reply trickle(SocketChannel c, String text) {
    try {
      for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
        RawHttp.write(c, new byte[] {b});
        Thread.sleep(100);
      }
    } catch (IOException closedByTheServer) {
      // Its answer is there to read.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return RawHttp.read(c);
  }

  @Test
  void anUploadThatStopsSending_is408_andItsThreadIsFreed() throws Exception {
    try (SocketChannel c = raw.connect()) {
      RawHttp.write(
          c,
          ("PUT /containers/web/archive?path=/etc HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Type: application/x-tar\r\nContent-Length: 10000\r\n\r\nabc")
              .getBytes(StandardCharsets.US_ASCII));
      raw.closeAfter(c, Duration.ofSeconds(10));
      RawHttp.Reply r = RawHttp.read(c);
      assertThat(r.status()).as(r.head()).isEqualTo(408);
      assertThat(r.message()).contains("sent nothing for 500 ms");
    }
    assertThat(ping()).isEqualTo(200);
  }

  @Test
  void aThousandIdleConnections_holdNoOneUp() throws Exception {
    // Warm: what is measured is the idle connections' cost, not this JVM's first request.
    assertThat(raw.exchange("GET /containers/json HTTP/1.1\r\nHost: x\r\n\r\n").status())
        .isEqualTo(200);
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        idle.add(raw.connect());
      }
      // Half of them asked something first, and stay open after their answer.
      for (int i = 0; i < 500; i++) {
        SocketChannel c = idle.get(i);
        RawHttp.write(
            c, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      for (int i = 0; i < 500; i++) {
        assertThat(RawHttp.read(idle.get(i)).status()).isEqualTo(200);
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.server.connections() >= 1000);
      for (int i = 0; i < 20; i++) {
        long started = System.nanoTime();
        RawHttp.Reply r = raw.exchange("GET /containers/json HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      }
      assertThat(idle).allMatch(SocketChannel::isOpen);
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
  }

  @Test
  void pastItsConnectionLimit_theServerClosesTheOneIdleLongest_forTheNewOne() throws Exception {
    engine.close();
    engine =
        new FakeEngineOnSocket(
            dir.resolve("capped"),
            new ServerLimits(
                4 << 10,
                8 << 10,
                64 << 10,
                1 << 20,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                50));
    raw.close();
    raw = new RawHttp(engine.socket);
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        idle.add(raw.connect());
      }
      assertThat(ping()).isEqualTo(200);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> engine.server.connections() <= 50);
      // The first ones went: reading them finds their end.
      raw.closeAfter(idle.get(0), Duration.ofSeconds(5));
      assertThat(idle.get(0).read(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
  }
}
