package io.jstack.junit;

import java.net.URI;
import java.util.Objects;

/**
 * Where a service's container port is published on the host, as a test reaches it.
 *
 * @param host the address to connect to ({@code 127.0.0.1} when the port is published on every
 *     address)
 * @param port the host port
 */
public record Endpoint(String host, int port) {
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
  }

  /** {@code scheme://host:port}, e.g. {@code uri("http")}. */
  public URI uri(String scheme) {
    return URI.create(scheme + "://" + authority());
  }

  /** {@code scheme://host:port/path}; {@code path} may start with a slash or not. */
  public URI uri(String scheme, String path) {
    return URI.create(scheme + "://" + authority() + (path.startsWith("/") ? path : "/" + path));
  }

  /**
   * A JDBC URL in the form most drivers take, {@code jdbc:<subprotocol>://host:port/<database>},
   * e.g. {@code jdbcUrl("postgresql", "shop")}.
   */
  public String jdbcUrl(String subprotocol, String database) {
    return "jdbc:" + subprotocol + "://" + authority() + "/" + database;
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }
}
