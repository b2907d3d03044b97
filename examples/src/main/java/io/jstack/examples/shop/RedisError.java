package io.jstack.examples.shop;

import java.io.IOException;

/**
 * An error reply from Redis, such as {@code ERR value is not an integer or out of range}; the
 * connection stays usable.
 */
public final class RedisError extends IOException {
  private static final long serialVersionUID = 1L;

  RedisError(String message) {
    super("Redis: " + message);
  }
}
