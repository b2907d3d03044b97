package io.jstack.engine;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where an engine listens: a unix socket path or a TCP host and port, parsed from the {@code
 * DOCKER_HOST} syntax ({@code unix:///var/run/docker.sock}, {@code tcp://127.0.0.1:2375}).
 */
public sealed interface EngineAddress {

  /** Docker's default socket, used when {@code DOCKER_HOST} is not set. */
  Path DEFAULT_DOCKER_SOCKET = Path.of("/var/run/docker.sock");

  /** A unix-domain socket. */
  record Unix(Path socket) implements EngineAddress {
    public Unix {
      Objects.requireNonNull(socket, "socket");
    }

    @Override
    public String toString() {
      return "unix://" + socket;
    }
  }

  /** A plain TCP endpoint. */
  record Tcp(String host, int port) implements EngineAddress {
    public Tcp {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
      return "tcp://" + host + ":" + port;
    }
  }

  /**
   * Parses a {@code DOCKER_HOST} value.
   *
   * @throws EngineException when the value is not a {@code unix://} or {@code tcp://} address
   */
  static EngineAddress parse(String value) {
    String v = value.trim();
    if (v.startsWith("unix://")) {
      String path = v.substring("unix://".length());
      if (!path.startsWith("/")) {
        throw new EngineException(
            "invalid engine address \""
                + value
                + "\": a unix socket path must be absolute,"
                + " e.g. unix:///var/run/docker.sock");
      }
      return new Unix(Path.of(path));
    }
    if (v.startsWith("tcp://")) {
      URI uri = URI.create(v);
      if (uri.getHost() == null) {
        throw new EngineException(
            "invalid engine address \"" + value + "\": expected tcp://HOST:PORT");
      }
      return new Tcp(uri.getHost(), uri.getPort() == -1 ? 2375 : uri.getPort());
    }
    throw new EngineException(
        "unsupported engine address \""
            + value
            + "\": use unix:///path/to/socket or tcp://HOST:PORT");
  }

  /** The address named by {@code DOCKER_HOST} in {@code env}, else Docker's default socket. */
  static EngineAddress fromEnvironment(Map<String, String> env) {
    String host = env.get("DOCKER_HOST");
    return host == null || host.isBlank() ? new Unix(DEFAULT_DOCKER_SOCKET) : parse(host);
  }
}
