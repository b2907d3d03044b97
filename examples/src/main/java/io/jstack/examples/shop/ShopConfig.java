package io.jstack.examples.shop;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shop app's settings, read from its environment; every one but {@code DB_PASSWORD} has a
 * default that fits the shop's compose file.
 *
 * @param dbHost {@code DB_HOST}, default {@code db}
 * @param dbPort {@code DB_PORT}, default 5432
 * @param dbName {@code DB_NAME}, default {@code shop}
 * @param dbUser {@code DB_USER}, default {@code shop}
 * @param dbPassword {@code DB_PASSWORD}, required
 * @param redisHost {@code REDIS_HOST}, default {@code cache}
 * @param redisPort {@code REDIS_PORT}, default 6379
 * @param port {@code PORT}, the HTTP port, default 8080
 */
public record ShopConfig(
    String dbHost,
    int dbPort,
    String dbName,
    String dbUser,
    String dbPassword,
    String redisHost,
    int redisPort,
    int port) {

  /**
   * Reads the settings from an environment; an empty variable counts as unset.
   *
   * @throws InvalidConfigException when {@code DB_PASSWORD} is missing or a port is not a number
   *     from 1 to 65535
   */
  public static ShopConfig fromEnv(Map<String, String> env) {
    String password = value(env, "DB_PASSWORD");
    if (password == null) {
      throw new InvalidConfigException(
          "DB_PASSWORD is not set: give the shop database user's password in the environment");
    }
    return new ShopConfig(
        text(env, "DB_HOST", "db"),
        port(env, "DB_PORT", 5432),
        text(env, "DB_NAME", "shop"),
        text(env, "DB_USER", "shop"),
        password,
        text(env, "REDIS_HOST", "cache"),
        port(env, "REDIS_PORT", 6379),
        port(env, "PORT", 8080));
  }

  /**
   * The HTTP port alone, as {@link #fromEnv} reads it, for callers that need no database.
   *
   * @throws InvalidConfigException when {@code PORT} is not a number from 1 to 65535
   */
  public static int httpPort(Map<String, String> env) {
    return port(env, "PORT", 8080);
  }

  /** The JDBC URL of the database, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + dbName;
  }

  /** Every setting but the password, for the log. */
  @Override
  public String toString() {
    return "port "
        + port
        + ", database "
        + dbUser
        + "@"
        + dbHost
        + ":"
        + dbPort
        + "/"
        + dbName
        + ", cache "
        + redisHost
        + ":"
        + redisPort;
  }

  private static @Nullable String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static String text(Map<String, String> env, String name, String fallback) {
    String v = value(env, name);
    return v == null ? fallback : v;
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String v = value(env, name);
    if (v == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(v.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below, with the variable's name
    }
    throw new InvalidConfigException(
        name + "=" + v + " is not a port: give a number from 1 to 65535, or leave it unset");
  }

  /** A setting in the environment that the app cannot start with; the message says which. */
  public static final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
      super(message);
    }
  }
}
