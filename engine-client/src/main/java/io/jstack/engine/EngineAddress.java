package io.jstack.engine;

import io.jstack.engine.tls.TlsFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  /** A TCP endpoint, plain or (when {@code tls} is not null) mutual TLS with those files. */
  record Tcp(String host, int port, @Nullable TlsFiles tls) implements EngineAddress {
    public Tcp {
      Objects.requireNonNull(host, "host");
    }

    /** A plain TCP endpoint. */
    public Tcp(String host, int port) {
      this(host, port, null);
    }

    /** The same endpoint over mutual TLS with {@code files}. */
    public Tcp withTls(@Nullable TlsFiles files) {
      return new Tcp(host, port, files);
    }

    @Override
    public String toString() {
      return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
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
      String host = uri.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new Tcp(host, uri.getPort() == -1 ? 2375 : uri.getPort());
    }
    throw new EngineException(
        "unsupported engine address \""
            + value
            + "\": use unix:///path/to/socket or tcp://HOST:PORT");
  }

  /**
   * The address named by {@code DOCKER_HOST} in {@code env}, else Docker's default socket; a TCP
   * address uses mutual TLS when {@code DOCKER_TLS_VERIFY} asks for it, with the files in {@code
   * DOCKER_CERT_PATH} (as Docker's CLI: {@link TlsFiles#fromEnvironment}).
   */
  static EngineAddress fromEnvironment(Map<String, String> env) {
    String host = env.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      return new Unix(DEFAULT_DOCKER_SOCKET);
    }
    EngineAddress address = parse(host);
    return address instanceof Tcp tcp ? tcp.withTls(TlsFiles.fromEnvironment(env)) : address;
  }
}
