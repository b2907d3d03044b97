package io.jstack.runtime.api;

import static io.jstack.runtime.api.Fixtures.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.Container;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogAndStatsRoutesTest {
  /** A log as conmon writes it: time, stream, F (full line) or P (partial), text. */
  private static final String LOG =
      """
      2026-01-02T03:05:01.000000000Z stdout F hello
      2026-01-02T03:05:02.000000000Z stderr F oops
      2026-01-02T03:05:03.000000000Z stdout P part
      2026-01-02T03:05:04.000000000Z stdout F ial
      """;

  @TempDir Path dir;

  private final FakeContainers engine =
      new FakeContainers()
          .with(
              container("web", Container.Status.running, Map.of()),
              container("db", Container.Status.exited, Map.of()));

  private ApiClient api;

  @BeforeEach
  void serve() throws IOException {
    engine.logFile = Files.writeString(dir.resolve("ctr.log"), LOG);
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, engine, engine, null, null, null, null, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** One frame of Docker's multiplexed stream: 1 stdout, 2 stderr, then the text. */
  private record Frame(int stream, String text) {
    @Override
    public String toString() {
      return stream + ":" + text;
    }
  }

  private static List<String> frames(ApiClient.Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    ByteBuffer b = ByteBuffer.wrap(a.bytes());
    List<String> out = new ArrayList<>();
    while (b.hasRemaining()) {
      int stream = b.get();
      b.position(b.position() + 3);
      byte[] payload = new byte[b.getInt()];
      b.get(payload);
      out.add(new Frame(stream, new String(payload, StandardCharsets.UTF_8)).toString());
    }
    return out;
  }

  @Test
  void logs_frameEachLineByItsStream_andJoinPartialLines() {
    ApiClient.Answer a = api.get("/containers/db/logs?stdout=1&stderr=1");

    assertThat(a.contentType()).isEqualTo("application/vnd.docker.multiplexed-stream");
    assertThat(frames(a)).containsExactly("1:hello\n", "2:oops\n", "1:part", "1:ial\n");
  }

  @Test
  void logs_leaveOutAStreamSetToZero() {
    assertThat(frames(api.get("/containers/db/logs?stdout=0"))).containsExactly("2:oops\n");
    assertThat(frames(api.get("/containers/db/logs?stderr=0")))
        .containsExactly("1:hello\n", "1:part", "1:ial\n");
  }

  @Test
  void logs_readTheStreamsAsDockerReadsABoolean() {
    // docker-java sends stdout=true&stderr=false for the output alone.
    assertThat(frames(api.get("/containers/db/logs?stdout=true&stderr=false")))
        .containsExactly("1:hello\n", "1:part", "1:ial\n");
    assertThat(frames(api.get("/containers/db/logs?stdout=False&stderr=True")))
        .containsExactly("2:oops\n");
  }

  @Test
  void logs_tailTimestampsAndSince() {
    assertThat(frames(api.get("/containers/db/logs?tail=2"))).containsExactly("1:part", "1:ial\n");
    assertThat(frames(api.get("/containers/db/logs?tail=0"))).isEmpty();
    assertThat(frames(api.get("/containers/db/logs?timestamps=1&stderr=0")).get(0))
        .isEqualTo("1:2026-01-02T03:05:01.000000000Z hello\n");
    long since = Instant.parse("2026-01-02T03:05:02Z").getEpochSecond();
    assertThat(frames(api.get("/containers/db/logs?since=" + since + ".5")))
        .containsExactly("1:part", "1:ial\n");
  }

  /**
   * With or without Docker's upgrade asked for: a client that sent no {@code Upgrade} header
   * (docker-java without stdin) gets a 200 and reads the frames until the connection ends.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void attach_replaysTheLogOverTheConnectionTakenOver_untilTheRunEnds(boolean upgrade)
      throws IOException {
    List<String> frames = new ArrayList<>();
    HttpRequest attach =
        HttpRequest.post("/containers/web/attach?stream=1&stdout=1&stderr=1&logs=1");
    try (HttpResponse r = api.open(upgrade ? attach.upgrading() : attach)) {
      assertThat(r.status()).isEqualTo(upgrade ? 101 : 200);
      assertThat(r.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
      DataInputStream in = new DataInputStream(upgrade ? r.connection().input() : r.body());
      for (int i = 0; i < 4; i++) {
        int stream = in.readInt() >>> 24;
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        frames.add(stream + ":" + new String(payload, StandardCharsets.UTF_8));
      }
      assertThat(engine.calls)
          .as("its auto-removal waits for the reader")
          .contains("reading web-id");
      engine.with(container("web", Container.Status.exited, Map.of()));
      assertThat(in.read()).as("the run ended: so does the stream").isEqualTo(-1);
    }

    assertThat(frames).containsExactly("1:hello\n", "2:oops\n", "1:part", "1:ial\n");
    // The reader lets go once the connection is closed, which the client may see first.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(engine.calls).containsExactly("reading web-id", "read web-id"));
  }

  @Test
  void logs_ofNoSuchContainer_is404_andATailThatIsNoNumber400() {
    assertThat(api.get("/containers/nope/logs").status()).isEqualTo(404);
    assertThat(api.get("/containers/db/logs?tail=many").status()).isEqualTo(400);
    assertThat(api.get("/containers/db/logs?since=yesterday").message())
        .isEqualTo("since and until take seconds since the epoch, not yesterday");
  }

  private static Usage usage() {
    return new Usage(
        Instant.parse("2026-01-02T03:06:00Z"),
        5_000_000,
        List.of(3_000_000L, 2_000_000L),
        4_000_000,
        1_000_000,
        900_000_000,
        2,
        64 << 20,
        80 << 20,
        1L << 30,
        Map.of("cache", 4096L),
        7,
        0,
        Map.of("eth0", new Usage.Interface(1500, 10, 0, 0, 700, 5, 0, 0)),
        List.of(new Usage.BlockIo(8, 0, "Read", 4096), new Usage.BlockIo(8, 0, "Write", 8192)));
  }

  @Test
  void stats_oneShot_answersDockersStatsObject() {
    engine.usage = usage();

    ApiClient.Answer a = api.get("/containers/web/stats?stream=false&one-shot=true");

    assertThat(a.status()).isEqualTo(200);
    JsonNode s = a.json();
    assertThat(s.path("name").asText()).isEqualTo("/web");
    assertThat(s.path("id").asText()).isEqualTo("web-id");
    assertThat(s.path("read").asText()).isEqualTo("2026-01-02T03:06:00Z");
    assertThat(s.path("preread").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(s.path("pids_stats").path("current").asLong()).isEqualTo(7);
    JsonNode cpu = s.path("cpu_stats");
    assertThat(cpu.path("cpu_usage").path("total_usage").asLong()).isEqualTo(5_000_000);
    assertThat(cpu.path("cpu_usage").path("percpu_usage").toString())
        .isEqualTo("[3000000,2000000]");
    assertThat(cpu.path("system_cpu_usage").asLong()).isEqualTo(900_000_000);
    assertThat(cpu.path("online_cpus").asInt()).isEqualTo(2);
    assertThat(s.path("precpu_stats").path("cpu_usage").path("total_usage").asLong()).isZero();
    JsonNode memory = s.path("memory_stats");
    assertThat(memory.path("usage").asLong()).isEqualTo(64 << 20);
    assertThat(memory.path("limit").asLong()).isEqualTo(1L << 30);
    assertThat(memory.path("stats").path("cache").asLong()).isEqualTo(4096);
    JsonNode eth0 = s.path("networks").path("eth0");
    assertThat(eth0.path("rx_bytes").asLong()).isEqualTo(1500);
    assertThat(eth0.path("tx_bytes").asLong()).isEqualTo(700);
    assertThat(eth0.path("rx_packets").asLong()).isEqualTo(10);
    assertThat(s.path("blkio_stats").path("io_service_bytes_recursive").toString())
        .isEqualTo(
            "[{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":4096},"
                + "{\"major\":8,\"minor\":0,\"op\":\"Write\",\"value\":8192}]");
  }

  @Test
  void stats_streamFalse_asDockerPySendsIt_answersOneObject() {
    engine.usage = usage();

    ApiClient.Answer a = api.get("/containers/web/stats?stream=False&one-shot=True");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo("application/json");
    assertThat(a.json().path("id").asText()).isEqualTo("web-id");
  }

  @Test
  void stats_ofAContainerThatDoesNotRun_is409_andOfNone404() {
    ApiClient.Answer exited = api.get("/containers/db/stats?stream=false");

    assertThat(exited.status()).isEqualTo(409);
    assertThat(exited.message()).isEqualTo("container db-id is not running");
    assertThat(api.get("/containers/nope/stats?stream=false").status()).isEqualTo(404);
  }

  @Test
  void stats_thatCannotBeRead_is500() {
    ApiClient.Answer a = api.get("/containers/web/stats?stream=false&one-shot=1");

    assertThat(a.status()).isEqualTo(500);
    assertThat(a.message()).isEqualTo("no usage of web-id");
  }
}
