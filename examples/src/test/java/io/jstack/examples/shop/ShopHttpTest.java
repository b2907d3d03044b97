package io.jstack.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side over a real server on 127.0.0.1, with nothing listening where the database and
 * Redis should be: routing, bad requests, and how failures of either show.
 */
class ShopHttpTest {
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int closedPort;
  private HttpServer server;
  private ShopHttp http;

  @BeforeEach
  void start() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ShopConfig config =
        ShopConfig.fromEnv(
            Map.of(
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(closedPort),
                "DB_PASSWORD", "pw",
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", Integer.toString(closedPort)));
    RedisClient redis = new RedisClient("127.0.0.1", closedPort, 2_000);
    http =
        new ShopHttp(
            new ShopRoutes(new OrderStore(config), redis, "replica-7"),
            "replica-7",
            new PrintStream(logged, true, StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", http);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void badOrder_is400_beforeTheDatabaseIsAsked() throws Exception {
    HttpResponse<String> r = send("POST", "/orders", "{\"item\":\"tea\",\"quantity\":0}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("quantity must be a whole number from 1 to 10000, got 0\n");
    assertThat(r.headers().firstValue("X-Replica")).hasValue("replica-7");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void paths_thatAreNotRoutes() throws Exception {
    assertThat(send("GET", "/orders/abc", "").body())
        .isEqualTo("order id must be a whole number from 1, got abc\n");
    HttpResponse<String> unknown = send("GET", "/ordersx", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("no such path /ordersx: try /orders, /stats or /health\n");
    assertThat(unknown.headers().firstValue("X-Replica")).hasValue("replica-7");
  }

  @Test
  void wrongMethod_is405_withAllow() throws Exception {
    HttpResponse<String> orders = send("DELETE", "/orders", "");
    HttpResponse<String> one = send("PUT", "/orders/3/", "");

    assertThat(orders.statusCode()).isEqualTo(405);
    assertThat(orders.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(one.statusCode()).isEqualTo(405);
    assertThat(one.headers().firstValue("Allow")).hasValue("GET");
    assertThat(one.body()).isEqualTo("PUT is not allowed on /orders/3\n");
  }

  @Test
  void databaseDown_is503_namingTheDatabase() throws Exception {
    HttpResponse<String> r = send("GET", "/orders", "");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .startsWith("database unavailable: Connection to 127.0.0.1:" + closedPort + " refused")
        .endsWith("\n")
        .hasLineCount(1);
  }

  @Test
  void health_namesEveryPartThatFailed() throws Exception {
    HttpResponse<String> r = send("GET", "/health", "");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .startsWith("database: Connection to 127.0.0.1:" + closedPort + " refused")
        .contains("; cache: cannot connect to Redis at 127.0.0.1:" + closedPort + ": ")
        .hasLineCount(1);
  }

  @Test
  void everyRequest_isLoggedInOneLine() throws Exception {
    send("GET", "/nope", "");
    assertThat(http.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(logged.toString(StandardCharsets.UTF_8))
        .matches(
            "\\S+Z 127\\.0\\.0\\.1 GET /nope 404 \\d+ms no such path /nope: try /orders, /stats"
                + " or /health\n");
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
