package io.jstack.examples.shop;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The shop's Java service: orders over HTTP, stored in PostgreSQL and counted in Redis.
 *
 * <p>It reads its settings from the environment ({@link ShopConfig}), waits up to {@link
 * #STARTUP_WAIT} for the database and Redis (they may still be starting), creates the {@code
 * orders} table if the database has none, then serves {@link ShopRoutes} on the port. On SIGTERM it
 * lets requests in flight finish for up to a second, then stops.
 */
public final class ShopApp {
  /** How long the app waits at start for the database and Redis to answer. */
  public static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private ShopApp() {}

  /** Starts the service; exits 2 on a bad setting, 1 when a dependency never answers. */
  public static void main(String[] args) throws InterruptedException {
    PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ShopConfig config;
    try {
      config = ShopConfig.fromEnv(System.getenv());
    } catch (ShopConfig.InvalidConfigException e) {
      System.err.println("shop-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    String replica = replicaName();
    log.println("shop-app: starting as replica " + replica + "; " + config);
    OrderStore store = new OrderStore(config);
    RedisClient redis = new RedisClient(config.redisHost(), config.redisPort(), 5_000);
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    try {
      awaitDatabase(store, config, deadline, log);
      awaitRedis(redis, config, deadline, log);
    } catch (IllegalStateException e) {
      System.err.println("shop-app: " + e.getMessage());
      System.exit(1);
      return;
    }

    ExecutorService workers = Executors.newFixedThreadPool(8);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.port()), 64);
    } catch (IOException e) {
      System.err.println("shop-app: cannot listen on port " + config.port() + ": " + e);
      System.exit(1);
      return;
    }
    ShopHttp http = new ShopHttp(new ShopRoutes(store, redis, replica), replica, log);
    server.createContext("/", http);
    server.setExecutor(workers);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.println("shop-app: stopping");
                  try {
                    if (!http.awaitIdle(Duration.ofSeconds(1))) {
                      log.println("shop-app: requests still running after 1 s; closing them");
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  server.stop(0);
                  workers.shutdown();
                  redis.close();
                  log.println("shop-app: stopped");
                },
                "shop-app-stop"));
    server.start();
    log.println("shop-app: listening on port " + config.port());
  }

  private static void awaitDatabase(
      OrderStore store, ShopConfig config, long deadline, PrintStream log)
      throws InterruptedException {
    while (true) {
      try {
        store.createTable();
        log.println("shop-app: database " + config.dbHost() + ":" + config.dbPort() + " is ready");
        return;
      } catch (SQLException e) {
        waitOrGiveUp("database " + config.dbHost() + ":" + config.dbPort(), e, deadline, log);
      }
    }
  }

  private static void awaitRedis(
      RedisClient redis, ShopConfig config, long deadline, PrintStream log)
      throws InterruptedException {
    while (true) {
      try {
        redis.ping();
        log.println(
            "shop-app: cache " + config.redisHost() + ":" + config.redisPort() + " is ready");
        return;
      } catch (IOException e) {
        waitOrGiveUp("cache " + config.redisHost() + ":" + config.redisPort(), e, deadline, log);
      }
    }
  }

  private static void waitOrGiveUp(String what, Exception e, long deadline, PrintStream log)
      throws InterruptedException {
    String why = String.valueOf(e.getMessage()).replace('\n', ' ');
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          what
              + " did not answer within "
              + STARTUP_WAIT.toSeconds()
              + " s: "
              + why
              + " (is it running, and are the DB_*/REDIS_* settings right?)");
    }
    log.println("shop-app: waiting for " + what + ": " + why);
    TimeUnit.SECONDS.sleep(1);
  }

  /**
   * The container's host name, which tells the replicas apart: the kernel's (no DNS lookup), else
   * /etc/hostname, else what Java finds.
   */
  static String replicaName() {
    for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
      try {
        String name = Files.readString(Path.of(file)).strip();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException e) {
        // try the next source
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
