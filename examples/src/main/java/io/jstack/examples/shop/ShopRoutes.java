package io.jstack.examples.shop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shop's routes over its database and Redis.
 *
 * <pre>
 * POST /orders        {"item":"tea","quantity":2} → 201 the stored order
 * GET  /orders        → 200 every order, as a JSON array
 * GET  /orders/{id}   → 200 the order, or 404
 * GET  /stats         → 200 {"orders":rows in the database,"cached":orders:count in Redis}
 * GET  /health        → 200 ok when the database and Redis answer, else 503 naming what failed
 * </pre>
 *
 * <p>A route throws {@link ShopException} for a bad request, {@link SQLException} when the database
 * fails and {@link IOException} when Redis does; {@link ShopHttp} turns them into answers.
 */
public final class ShopRoutes {
  /** The Redis key counting the orders taken, by every replica. */
  public static final String COUNT_KEY = "orders:count";

  private static final int MAX_BODY = 64 * 1024;

  private final OrderStore store;
  private final RedisClient redis;
  private final String replica;

  /** Routes over this database and Redis; new orders name the replica. */
  public ShopRoutes(OrderStore store, RedisClient redis, String replica) {
    this.store = store;
    this.redis = redis;
    this.replica = replica;
  }

  Answer route(String method, String rawPath, InputStream body) throws IOException, SQLException {
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    if (path.equals("/orders")) {
      return switch (method) {
        case "POST" -> create(readBody(body));
        case "GET" -> Answer.json(200, Order.toJson(store.all()));
        default -> notAllowed(method, path);
      };
    }
    if (path.startsWith("/orders/")) {
      if (!method.equals("GET")) {
        return notAllowed(method, path);
      }
      long id = orderId(path.substring("/orders/".length()));
      return store
          .find(id)
          .map(o -> Answer.json(200, o.toJson()))
          .orElseGet(() -> Answer.text(404, "no order " + id));
    }
    if (path.equals("/stats")) {
      return method.equals("GET") ? stats() : notAllowed(method, path);
    }
    if (path.equals("/health")) {
      return method.equals("GET") ? health() : notAllowed(method, path);
    }
    throw new ShopException(404, "no such path " + rawPath + ": try /orders, /stats or /health");
  }

  private Answer create(String body) throws IOException, SQLException {
    NewOrder order = NewOrder.fromJson(body);
    Order stored = store.insert(order, replica);
    try {
      redis.incr(COUNT_KEY);
    } catch (IOException e) {
      throw new IOException(
          "order " + stored.id() + " was stored but not counted: " + e.getMessage(), e);
    }
    return Answer.json(201, stored.toJson());
  }

  private Answer stats() throws IOException, SQLException {
    long orders = store.count();
    String cached = redis.get(COUNT_KEY);
    return Answer.json(200, "{\"orders\":" + orders + ",\"cached\":" + countOf(cached) + "}");
  }

  private Answer health() {
    List<String> failed = new ArrayList<>();
    try {
      store.ping();
    } catch (SQLException e) {
      failed.add("database: " + e.getMessage());
    }
    try {
      redis.ping();
    } catch (IOException e) {
      failed.add("cache: " + e.getMessage());
    }
    return failed.isEmpty() ? Answer.text(200, "ok") : Answer.text(503, String.join("; ", failed));
  }

  private static String countOf(@Nullable String cached) {
    if (cached == null) {
      return "0";
    }
    try {
      return Long.toString(Long.parseLong(cached));
    } catch (NumberFormatException e) {
      throw new ShopException(
          500, "Redis key " + COUNT_KEY + " holds " + Json.quote(cached) + ", not a number");
    }
  }

  private static long orderId(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ShopException(400, "order id must be a whole number from 1, got " + text);
  }

  private static Answer notAllowed(String method, String path) {
    return Answer.text(405, method + " is not allowed on " + path)
        .withAllow(path.equals("/orders") ? "GET, POST" : "GET");
  }

  private static String readBody(InputStream in) {
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      throw new ShopException(400, "cannot read the order body: " + e.getMessage());
    }
    if (bytes.length > MAX_BODY) {
      throw new ShopException(413, "order body larger than " + MAX_BODY + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
