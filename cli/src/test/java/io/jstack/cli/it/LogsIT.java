package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code logs} without {@code -f}, on each engine: three services print numbered lines in turn (one
 * every 100 ms across them, started together through a shared volume); their logs read in the order
 * the lines were printed, not service by service.
 */
class LogsIT extends OnEachEngine {

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void logs_ofSeveralServices_readInTheOrderTheyWerePrinted(EngineKind engine) throws Exception {
    on(engine);
    // a starts the round when b and c are waiting for it; each then prints every 300 ms, b 100 ms
    // and c 200 ms after a: lines 1, 2, 3, ... 12 come 100 ms apart, a third from each.
    String waitForA = "while [ ! -e /go/start ]; do usleep 1000; done";
    stack.compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            volumes: [go:/go]
            command: ["sh", "-c", "while [ ! -e /go/b ] || [ ! -e /go/c ]; do usleep 1000; done; \
        touch /go/start; for i in 1 4 7 10; do echo line $$i; usleep 300000; done"]
          b:
            image: jstack-examples/busybox:latest
            volumes: [go:/go]
            command: ["sh", "-c", "touch /go/b; %s; usleep 100000; \
        for i in 2 5 8 11; do echo line $$i; usleep 300000; done"]
          c:
            image: jstack-examples/busybox:latest
            volumes: [go:/go]
            command: ["sh", "-c", "touch /go/c; %s; usleep 200000; \
        for i in 3 6 9 12; do echo line $$i; usleep 300000; done"]
        volumes:
          go:
        """
            .formatted(waitForA, waitForA));
    stack.ok("up", "-d");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stack.ok("ps", "-q", "--status", "running").out().isBlank());

    List<String> expected = IntStream.rangeClosed(1, 12).mapToObj(i -> "line " + i).toList();
    assertThat(stack.ok("logs", "--no-log-prefix").out().lines().toList()).isEqualTo(expected);
    assertThat(stack.ok("logs").out().lines().map(l -> l.replaceFirst("^(\\w)-1 +\\| ", "$1 ")))
        .containsExactly(
            "a line 1",
            "b line 2",
            "c line 3",
            "a line 4",
            "b line 5",
            "c line 6",
            "a line 7",
            "b line 8",
            "c line 9",
            "a line 10",
            "b line 11",
            "c line 12");
  }
}
