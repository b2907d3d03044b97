package io.jstack.examples.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the shop: hands each request to {@link ShopRoutes}, maps its errors to statuses
 * in one place, names the replica in {@code X-Replica} on every answer and logs every request in
 * one line.
 */
public final class ShopHttp implements HttpHandler {
  private final ShopRoutes routes;
  private final String replica;
  private final PrintStream log;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Serves the routes as the named replica, logging to log. */
  public ShopHttp(ShopRoutes routes, String replica, PrintStream log) {
    this.routes = routes;
    this.replica = replica;
    this.log = log;
  }

  /**
   * Waits until no request is being answered, for at most the given time; JDK 17's {@code
   * HttpServer.stop(delay)} always waits its whole delay, so the app drains here and then stops at
   * once.
   *
   * @return whether the requests ended in time
   */
  public boolean awaitIdle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      answer(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Answer answer;
    try {
      answer = routes.route(method, path, exchange.getRequestBody());
    } catch (ShopException e) {
      answer = Answer.text(e.status(), String.valueOf(e.getMessage()));
    } catch (SQLException e) {
      answer = Answer.text(503, "database unavailable: " + e.getMessage());
    } catch (IOException e) {
      answer = Answer.text(503, "cache unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      answer = Answer.text(500, "internal error: " + e);
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("X-Replica", replica);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    if (!answer.allow().isEmpty()) {
      exchange.getResponseHeaders().set("Allow", answer.allow());
    }
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(answer.status(), body.length);
      out.write(body);
    } finally {
      long millis = (System.nanoTime() - start) / 1_000_000;
      log.println(
          Instant.now()
              + " "
              + exchange.getRemoteAddress().getAddress().getHostAddress()
              + " "
              + method
              + " "
              + path
              + " "
              + answer.status()
              + " "
              + millis
              + "ms"
              + (answer.status() >= 400 ? " " + answer.body().strip() : ""));
    }
  }
}
