package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded fuzz of create, exec, network and archive requests against the real server over fakes:
 * no answer is a 5xx, every request is answered, and the server answers a ping after. A few
 * thousand requests by default; {@code -Djstack.fuzz.requests=10000} (or more) for the full run,
 * {@code -Djstack.fuzz.seed=N} to replay one.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class RequestFuzzTest {
  @TempDir Path dir;

  @Test
  void mutatedRequests_getNo5xx_andAllAnAnswer_andTheServerServesOnAfter() throws Exception {
    try (FakeEngineOnSocket engine = new FakeEngineOnSocket(dir, FakeEngineOnSocket.SMALL);
        RawHttp raw = new RawHttp(engine.socket)) {
      RequestFuzz fuzz =
          new RequestFuzz(new RequestFuzz.Target("web", "front", "alpine:3"), RequestFuzz.seed(21));
      RequestFuzz.Outcome outcome =
          fuzz.run(raw, RequestFuzz.requests(3_000), Duration.ofSeconds(10));
      System.out.println(outcome);

      assertThat(outcome.failures()).as(outcome.toString()).isEmpty();
      assertThat(outcome.serverErrors()).isZero();
      assertThat(outcome.statuses().keySet()).as("it reached the routes").contains(201, 400);
      assertThat(raw.exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }
  }
}
