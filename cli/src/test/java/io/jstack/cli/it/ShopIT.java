package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * examples/shop, real servers from Debian's packages (PostgreSQL, Redis, nginx, a Java service in
 * two replicas), on each engine through jstack and through Debian's docker-compose (on dockerd, and
 * against the embedded engine's socket): the same compose file gives the same answers everywhere.
 * Orders made through nginx are served by both replicas and land in PostgreSQL and Redis; they
 * survive a restart of the database, which shuts down cleanly, and a {@code down} and {@code up}; a
 * replica added by {@code --scale} gets requests through nginx, which looks the app's name up again
 * at {@code 127.0.0.11} as configs written for Docker do; {@code down -v} leaves nothing.
 */
class ShopIT extends OnEachEngine {
  static final Path SHOP = Docker.repo().resolve("examples/shop");
  static final String BASE = "jstack-examples/shop-base:latest";
  static final Duration SLOW = Duration.ofMinutes(3);
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void theAppsJar() {
    Path jar = SHOP.resolve("app/target/shop-app.jar");
    assertThat(jar)
        .as("the shop app's jar: build it with mvn -pl examples -am package -DskipTests")
        .isRegularFile();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void shop_ordersThroughNginx_surviveRestartAndDownUp_scaledReplicaAnswers_downVLeavesNothing(
      EngineKind engine) throws Exception {
    int port = HelloStackIT.freePort();
    on(engine, SHOP.resolve("compose.yaml"), Map.of("SHOP_PORT", "" + port));
    baseImage(engine);
    JstackRunner.Run up = stack.run("up", "-d", "--wait", "--build");
    assertThat(up.code()).as(up.err()).isZero();
    Shop shop = new Shop(port);

    // Orders through nginx, answered by both replicas, in PostgreSQL and counted in Redis.
    List<HttpResponse<String>> made = ordersFromBothReplicas(shop, "widget-");
    List<Long> ids = new ArrayList<>();
    for (HttpResponse<String> m : made) {
      ids.add(JSON.readTree(m.body()).path("id").asLong());
    }
    for (int i = 0; i < ids.size(); i++) {
      HttpResponse<String> read = shop.get("/orders/" + ids.get(i));
      assertThat(read.statusCode()).isEqualTo(200);
      JsonNode order = JSON.readTree(read.body());
      assertThat(order.path("item").asText()).isEqualTo("widget-" + (i + 1));
      assertThat(order.path("quantity").asInt()).isEqualTo(i + 1);
    }
    assertStored(shop, ids.size());

    // The database stops cleanly on its stop signal (SIGINT: a fast shutdown) and starts without
    // a recovery; the app goes on once it is back.
    stack.ok("stop", "db");
    assertThat(stack.ok("logs", "db").out())
        .contains("received fast shutdown request")
        .contains("database system is shut down");
    stack.ok("start", "db");
    awaitHealthy("db");
    String afterStart = stack.ok("logs", "db").out();
    assertThat(afterStart.substring(afterStart.lastIndexOf("starting PostgreSQL")))
        .contains("database system was shut down at")
        .doesNotContain("automatic recovery")
        .doesNotContain("was interrupted");
    stack.ok("restart", "db");
    awaitHealthy("db");
    assertStored(shop, ids.size());

    // down and up again: the named volumes keep both stores.
    stack.ok("down");
    stack.ok("up", "-d", "--wait");
    assertStored(shop, ids.size());

    // A third replica gets requests through nginx, which is not restarted: it asks 127.0.0.11
    // for the app's name again once its answer is a second old.
    JsonNode proxy = stack.inspect("proxy");
    stack.ok("up", "-d", "--wait", "--scale", "app=3");
    JsonNode proxyAfter = stack.inspect("proxy");
    assertThat(proxyAfter.path("Id").asText()).isEqualTo(proxy.path("Id").asText());
    assertThat(proxyAfter.path("State").path("StartedAt").asText())
        .isEqualTo(proxy.path("State").path("StartedAt").asText());
    Set<String> seen = new HashSet<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              seen.add(shop.get("/health").headers().firstValue("X-Replica").orElse(""));
              return seen.size() == 3;
            });

    JstackRunner.Run down = stack.run("down", "-v");
    assertThat(down.code()).as(down.err()).isZero();
    String filter = "label=com.docker.compose.project=" + project;
    assertThat(stack.dockerLines("ps", "-aq", "--filter", filter)).isEmpty();
    assertThat(stack.dockerLines("network", "ls", "-q", "--filter", filter)).isEmpty();
    assertThat(stack.dockerLines("volume", "ls", "-q", "--filter", filter)).isEmpty();
    // On the embedded engine, the stack's close then checks that the host is as it was.
  }

  /** Debian's docker-compose 1.29, on dockerd and against the embedded engine's socket. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void dockerCompose_bringsTheSameFileUp_withTheSameAnswers(EngineKind engine) throws Exception {
    int port = HelloStackIT.freePort();
    on(engine, SHOP.resolve("compose.yaml"), Map.of());
    baseImage(engine);
    Docker.Result up = compose(port, "up", "-d", "--build");
    assertThat(up.code()).as(up.err()).isZero();
    // docker-compose 1.29 has no --wait: the stack is up when its five containers are healthy.
    Awaitility.await()
        .atMost(SLOW)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                stack
                        .dockerLines(
                            "ps",
                            "--filter",
                            "label=com.docker.compose.project=" + project,
                            "--format",
                            "{{.Status}}")
                        .stream()
                        .filter(s -> s.contains("(healthy)"))
                        .count()
                    == 5);
    Shop shop = new Shop(port);
    int orders = ordersFromBothReplicas(shop, "gadget-").size();
    JsonNode stats = JSON.readTree(shop.get("/stats").body());
    assertThat(stats.path("orders").asInt()).isEqualTo(orders);
    assertThat(stats.path("cached").asInt()).isEqualTo(orders);
    Docker.Result rows =
        stack.docker(
            "exec",
            project + "_db_1",
            "psql",
            "-U",
            "shop",
            "-d",
            "shop",
            "-tAc",
            "SELECT count(*) FROM orders");
    assertThat(rows.out().strip()).as(rows.err()).isEqualTo("" + orders);
    Docker.Result down = compose(port, "down", "-v");
    assertThat(down.code()).as(down.err()).isZero();
  }

  /** Debian's docker-compose on the shop's file, as this test's project, on the stack's engine. */
  private Docker.Result compose(int port, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "SHOP_PORT=" + port,
                "DOCKER_HOST=unix://" + stack.socket(),
                "docker-compose",
                "-p",
                project,
                "-f",
                SHOP.resolve("compose.yaml").toString()));
    cmd.addAll(List.of(args));
    return Docker.run(SHOP, cmd.toArray(String[]::new));
  }

  /**
   * The base image on {@code engine}: on dockerd as examples/shop/base/image.sh builds it (once per
   * package list); on the embedded engine, whose store is the test's own, built with {@code jstack
   * image build} from the cached root file system.
   */
  private void baseImage(EngineKind engine) throws Exception {
    if (engine == EngineKind.DOCKER) {
      Docker.Result built = Docker.run(null, SHOP.resolve("base/image.sh").toString(), "docker");
      assertThat(built.code()).as(built.err()).isZero();
      return;
    }
    Docker.Result rootfs = Docker.run(null, SHOP.resolve("base/rootfs.sh").toString());
    assertThat(rootfs.code()).as(rootfs.err()).isZero();
    Path dir = Path.of(rootfs.out().strip());
    assertThat(Files.isRegularFile(dir.resolve("rootfs.tar"))).as(dir.toString()).isTrue();
    JstackRunner.Run built =
        stack.jstack.run(
            new String[] {"--engine", "embedded"},
            "image",
            "build",
            "-q",
            "-t",
            BASE,
            dir.toString());
    assertThat(built.code()).as(built.err()).isZero();
  }

  /** The rows in PostgreSQL and the count in Redis, read in the containers and through the app. */
  private void assertStored(Shop shop, int orders) throws Exception {
    JstackRunner.Run rows =
        stack.ok(
            "exec",
            "-T",
            "db",
            "psql",
            "-U",
            "shop",
            "-d",
            "shop",
            "-tAc",
            "SELECT count(*) FROM orders");
    assertThat(rows.out().strip()).isEqualTo("" + orders);
    JstackRunner.Run cached = stack.ok("exec", "-T", "cache", "redis-cli", "GET", "orders:count");
    assertThat(cached.out().strip()).isEqualTo("" + orders);
    // The app may need a moment to reconnect to a store that came back.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> stats = shop.get("/stats");
              assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
              JsonNode s = JSON.readTree(stats.body());
              assertThat(s.path("orders").asInt()).isEqualTo(orders);
              assertThat(s.path("cached").asInt()).isEqualTo(orders);
            });
  }

  /**
   * Orders ITEM-1, ITEM-2, ... through nginx, each made (201), at least eight and more until both
   * replicas have answered one (at most 40): which replica answers is up to the DNS answer's order,
   * random on dockerd, so a fixed count would fail now and then with both replicas working.
   */
  private static List<HttpResponse<String>> ordersFromBothReplicas(Shop shop, String item)
      throws Exception {
    Set<String> replicas = new HashSet<>();
    List<HttpResponse<String>> made = new ArrayList<>();
    for (int i = 1; i <= 40 && (i <= 8 || replicas.size() < 2); i++) {
      HttpResponse<String> m = shop.order(item + i, i);
      assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
      replicas.add(m.headers().firstValue("X-Replica").orElseThrow());
      made.add(m);
    }
    assertThat(replicas).as("replicas that answered " + made.size() + " orders").hasSize(2);
    return made;
  }

  private void awaitHealthy(String service) {
    Awaitility.await()
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                stack
                    .inspect(service)
                    .path("State")
                    .path("Health")
                    .path("Status")
                    .asText()
                    .equals("healthy"));
  }

  /** The shop's HTTP API, through nginx on the host's {@code port}. */
  record Shop(int port) {
    static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> order(String item, int quantity) throws Exception {
      String body = "{\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
      return CLIENT.send(
          request("/orders")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
      return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10));
    }
  }
}
