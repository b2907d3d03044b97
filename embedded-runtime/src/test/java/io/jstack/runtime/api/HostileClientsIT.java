package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.EngineProcess;
import io.jstack.runtime.ServeOptions;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against a real engine, in a process of its own as the CLI starts it ({@link
 * EngineProcess}), on a data root and socket in the test's directory: the seeded fuzz of create,
 * exec, network and archive requests (a running busybox container and a network to aim at; creates
 * name an image the engine lacks, so that no fuzzed create makes a container), while 1,000 idle
 * connections and slow clients trickling their heads hold on. Meanwhile {@code GET
 * /containers/json} (what {@code jstack ps} asks) answers within 1 s each time; after, no answer
 * was a 5xx, every trickler got its 408, and the engine still runs and answers. The fuzz sends
 * {@code -Djstack.fuzz.requests} requests (2,000 by default). What the test made (the container,
 * networks, its connections, the engine) is removed after it, also when it fails.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class HostileClientsIT {
  private static final String BUSYBOX = "jstack-examples/busybox:latest";
  private static final int IDLE = 1_000;
  private static final int TRICKLERS = 8;

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private @Nullable Process engine;
  private @Nullable RawHttp raw;
  private final List<SocketChannel> connections = new ArrayList<>();
  private final Set<String> networksBefore = new HashSet<>();
  private final ExecutorService clients = Executors.newCachedThreadPool();

  @Test
  void fuzzIdleAndSlowClients_getNo5xx_psAnswersWithinASecond_andTheEngineServesOn()
      throws Exception {
    Path socket = dir.resolve("engine.sock");
    Process e = startEngine(socket);
    RawHttp http = new RawHttp(socket);
    raw = http;
    for (JsonNode n : json(http, "GET", "/networks", null)) {
      networksBefore.add(n.path("Id").asText());
    }
    prepareTargets(http);

    // 1,000 idle connections, half of them after a request of their own.
    for (int i = 0; i < IDLE; i++) {
      connections.add(http.connect());
    }
    for (int i = 0; i < IDLE / 2; i++) {
      RawHttp.write(
          connections.get(i),
          "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    for (int i = 0; i < IDLE / 2; i++) {
      assertThat(RawHttp.read(connections.get(i)).status()).isEqualTo(200);
    }
    // Slow clients, a byte of their head every 250 ms, until the engine gives up on them.
    List<CompletableFuture<RawHttp.Reply>> slow = new ArrayList<>();
    for (int i = 0; i < TRICKLERS; i++) {
      SocketChannel c = http.connect();
      connections.add(c);
      slow.add(CompletableFuture.supplyAsync(() -> trickle(c), clients));
    }
    // What jstack ps asks, every 100 ms while all that goes on.
    AtomicBoolean attacking = new AtomicBoolean(true);
    AtomicLong worstPs = new AtomicLong();
    AtomicLong psAsked = new AtomicLong();
    List<String> psFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> ps =
        CompletableFuture.runAsync(
            () -> {
              while (attacking.get()) {
                long started = System.nanoTime();
                try {
                  RawHttp.Reply r =
                      http.exchange(
                          "GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII),
                          Duration.ofSeconds(5));
                  long took = System.nanoTime() - started;
                  worstPs.accumulateAndGet(took, Math::max);
                  psAsked.incrementAndGet();
                  if (r.status() != 200) {
                    psFailures.add("ps answered " + r.status() + ": " + r.text());
                  }
                  Thread.sleep(100);
                } catch (IOException | InterruptedException failed) {
                  psFailures.add("ps failed: " + failed);
                  return;
                }
              }
            },
            clients);

    RequestFuzz fuzz =
        new RequestFuzz(
            new RequestFuzz.Target("hostile-target", "hostile-net", "hostile-no-such-image:1"),
            RequestFuzz.seed(21));
    long fuzzStarted = System.nanoTime();
    RequestFuzz.Outcome outcome =
        fuzz.run(http, RequestFuzz.requests(2_000), Duration.ofSeconds(30));
    Duration fuzzTook = Duration.ofNanos(System.nanoTime() - fuzzStarted);

    List<RawHttp.Reply> slowReplies = new ArrayList<>();
    for (CompletableFuture<RawHttp.Reply> s : slow) {
      slowReplies.add(s.get(2, TimeUnit.MINUTES));
    }
    attacking.set(false);
    ps.get(1, TimeUnit.MINUTES);
    long stillOpen = connections.subList(0, IDLE).stream().filter(RawHttp::stillOpen).count();

    System.out.println(outcome + " in " + fuzzTook.toMillis() + " ms");
    System.out.println(
        "ps: "
            + psAsked.get()
            + " asked under attack ("
            + IDLE
            + " idle connections, "
            + TRICKLERS
            + " slow clients), slowest "
            + TimeUnit.NANOSECONDS.toMillis(worstPs.get())
            + " ms; idle connections still open after: "
            + stillOpen
            + "; slow clients answered "
            + slowReplies.stream().map(RawHttp.Reply::status).toList()
            + "; engine open-file limit "
            + openFileLimit(e.pid()));

    assertThat(outcome.failures()).as(outcome.toString()).isEmpty();
    assertThat(outcome.serverErrors()).isZero();
    assertThat(psFailures).isEmpty();
    assertThat(psAsked.get()).isPositive();
    assertThat(Duration.ofNanos(worstPs.get())).isLessThan(Duration.ofSeconds(1));
    assertThat(slowReplies).allSatisfy(r -> assertThat(r.status()).as(r.head()).isEqualTo(408));
    assertThat(e.isAlive()).as("the engine process runs: " + engineLog()).isTrue();
    assertThat(http.exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    assertThat(
            json(http, "GET", "/containers/hostile-target/json", null)
                .path("State")
                .path("Running")
                .asBoolean())
        .isTrue();
  }

  /** Starts the engine as the CLI does, and waits until it answers on {@code socket}. */
  private Process startEngine(Path socket) throws Exception {
    ProcessBuilder pb =
        EngineProcess.builder(
                new DataRoot(dir.resolve("data")), socket, ServeOptions.DEFAULTS, false)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("engine.log").toFile());
    Process e = pb.start();
    engine = e;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!EngineServer.answers(socket)) {
      assertThat(e.isAlive()).as("the engine started: " + engineLog()).isTrue();
      assertThat(System.nanoTime())
          .as("the engine answers within 60 s: " + engineLog())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    return e;
  }

  /** Loads busybox, runs {@code hostile-target} from it, and makes network {@code hostile-net}. */
  private void prepareTargets(RawHttp http) throws Exception {
    Path archive = dir.resolve("busybox.tar");
    Process save =
        new ProcessBuilder("docker", "save", "-o", archive.toString(), BUSYBOX)
            .redirectErrorStream(true)
            .start();
    String said = new String(save.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (save.waitFor() != 0) {
      throw new AssertionError(
          "docker save " + BUSYBOX + " failed (build it: examples/build-image.sh): " + said);
    }
    byte[] tar = Files.readAllBytes(archive);
    RawHttp.Reply loaded =
        http.exchange(
            concat(
                ("POST /v1.41/images/load HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\n"
                        + "Content-Length: "
                        + tar.length
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII),
                tar),
            Duration.ofMinutes(2));
    assertThat(loaded.status()).as(loaded.text()).isEqualTo(200);
    json(
        http,
        "POST",
        "/containers/create?name=hostile-target",
        "{\"Image\": \"" + BUSYBOX + "\", \"Cmd\": [\"sleep\", \"3600\"]}");
    call(http, "POST", "/containers/hostile-target/start", null, 204);
    json(http, "POST", "/networks/create", "{\"Name\": \"hostile-net\"}");
  }

  /** Sends a byte of a request's head every 250 ms until the engine answers or ends it. */
  private static RawHttp.Reply trickle(SocketChannel c) {
    byte[] head =
        ("GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(1000))
            .getBytes(StandardCharsets.US_ASCII);
    try {
      for (byte b : head) {
        RawHttp.write(c, new byte[] {b});
        Thread.sleep(250);
      }
    } catch (IOException endedByTheEngine) {
      // Its answer is there to read.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return RawHttp.read(c);
  }

  private RawHttp.Reply call(
      RawHttp http, String method, String path, @Nullable String body, int status)
      throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " /v1.41"
            + path
            + " HTTP/1.1\r\nHost: x\r\n"
            + (body == null ? "" : "Content-Type: application/json\r\n")
            + "Content-Length: "
            + b.length
            + "\r\n\r\n";
    RawHttp.Reply r =
        http.exchange(concat(head.getBytes(StandardCharsets.US_ASCII), b), Duration.ofSeconds(60));
    assertThat(r.status()).as(method + " " + path + ": " + r.text()).isEqualTo(status);
    return r;
  }

  private JsonNode json(RawHttp http, String method, String path, @Nullable String body)
      throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " /v1.41"
            + path
            + " HTTP/1.1\r\nHost: x\r\n"
            + (body == null ? "" : "Content-Type: application/json\r\n")
            + "Content-Length: "
            + b.length
            + "\r\n\r\n";
    RawHttp.Reply r =
        http.exchange(concat(head.getBytes(StandardCharsets.US_ASCII), b), Duration.ofSeconds(60));
    assertThat(r.status()).as(method + " " + path + ": " + r.text()).isBetween(200, 201);
    return Exchange.JSON.readTree(r.body());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static String openFileLimit(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "limits")).stream()
          .filter(l -> l.startsWith("Max open files"))
          .map(l -> l.replaceAll("\\s+", " "))
          .findFirst()
          .orElse("unknown");
    } catch (IOException gone) {
      return "unknown (" + gone.getMessage() + ")";
    }
  }

  private String engineLog() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("engine.log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Closes the connections, removes the container and the networks made, stops the engine. */
  @AfterEach
  void removeWhatTheTestMade() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    for (SocketChannel c : connections) {
      run(failures, c::close);
    }
    clients.shutdownNow();
    RawHttp http = raw;
    Process e = engine;
    if (http != null && e != null && e.isAlive()) {
      run(
          failures,
          () -> {
            RawHttp.Reply r =
                http.exchange(
                    "DELETE /v1.41/containers/hostile-target?force=1&v=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r.status()).as(r.text()).isIn(204, 404);
          });
      run(
          failures,
          () -> {
            for (JsonNode n : json(http, "GET", "/networks", null)) {
              String id = n.path("Id").asText();
              if (!networksBefore.contains(id)) {
                RawHttp.Reply r =
                    http.exchange("DELETE /v1.41/networks/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(r.status()).as(n.path("Name").asText() + ": " + r.text()).isEqualTo(204);
              }
            }
          });
    }
    if (http != null) {
      http.close();
    }
    if (e != null) {
      e.destroy();
      if (!e.waitFor(60, TimeUnit.SECONDS)) {
        e.destroyForcibly();
        failures.add(new AssertionError("the engine did not stop within 60 s: " + engineLog()));
      }
    }
    if (!failures.isEmpty()) {
      AssertionError all = new AssertionError("the test's clean-up failed", failures.get(0));
      failures.subList(1, failures.size()).forEach(all::addSuppressed);
      throw all;
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(List<Throwable> failures, Step step) {
    try {
      step.run();
    } catch (Exception | AssertionError failed) {
      failures.add(failed);
    }
  }
}
