package io.jstack.runtime.api;

import io.jstack.engine.tls.Pem;
import io.jstack.engine.tls.TlsFiles;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * A TCP address the engine serves its API on besides its unix socket: mutual TLS with {@code tls}
 * (a client certificate signed by its CA required), or, when {@code tls} is null, plain HTTP, which
 * only a loopback address may serve.
 */
public record TcpListen(InetSocketAddress address, @Nullable TlsFiles tls) {

  /**
   * Parses {@code hostPort} ({@code 127.0.0.1:2376}, {@code [::1]:2376}, {@code 0.0.0.0:2376}).
   *
   * @param flag the option it came from, for the message
   * @throws IllegalArgumentException (a usage error) when it is not an address and a port, or plain
   *     HTTP is asked for on an address other than loopback
   */
  public static TcpListen parse(String hostPort, String flag, @Nullable TlsFiles tls) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 ? hostPort.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          flag + " " + hostPort + ": expected ADDRESS:PORT, e.g. 0.0.0.0:2376 or 127.0.0.1:2376");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          flag + " " + hostPort + ": " + host + " is not an address of this host");
    }
    if (tls == null && !ip.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          flag
              + " "
              + hostPort
              + ": plain HTTP is served on a loopback address only (127.0.0.1, ::1), since anyone"
              + " who reaches it is root on this host; for other hosts use --tls-listen with"
              + " certificates (jstack engine certs DIR)");
    }
    return new TcpListen(new InetSocketAddress(ip, port), tls);
  }

  /**
   * The listener the engine's flags ask for, or null: {@code --tls-listen ADDR:PORT} with {@code
   * --tlscacert}, {@code --tlscert} and {@code --tlskey}, or {@code --insecure-listen ADDR:PORT}
   * (loopback only). Relative file names are taken from this process's working directory.
   *
   * @throws IllegalArgumentException (a usage error) when they do not go together
   */
  public static @Nullable TcpListen fromFlags(
      @Nullable String tlsListen,
      @Nullable String insecureListen,
      @Nullable String ca,
      @Nullable String cert,
      @Nullable String key) {
    if (tlsListen != null && insecureListen != null) {
      throw new IllegalArgumentException(
          "--tls-listen and --insecure-listen: choose one (TLS unless the clients are on this host)");
    }
    List<String> given = new java.util.ArrayList<>();
    List<String> missing = new java.util.ArrayList<>();
    String[] files = {ca, cert, key};
    for (int i = 0; i < files.length; i++) {
      (files[i] == null ? missing : given).add(TLS_FLAGS.get(i));
    }
    if (tlsListen == null) {
      if (!given.isEmpty()) {
        throw new IllegalArgumentException(
            String.join(", ", given) + " go with --tls-listen ADDR:PORT, which is not given");
      }
      return insecureListen == null ? null : parse(insecureListen, "--insecure-listen", null);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-listen needs "
              + String.join(", ", TLS_FLAGS)
              + " (missing: "
              + String.join(", ", missing)
              + "); make a set with: jstack engine certs DIR");
    }
    return parse(
        tlsListen, "--tls-listen", new TlsFiles(absolute(ca), absolute(cert), absolute(key)));
  }

  private static java.nio.file.Path absolute(@Nullable String file) {
    return java.nio.file.Path.of(java.util.Objects.requireNonNull(file)).toAbsolutePath();
  }

  /** The flags that ask for this listener, as {@link #fromFlags} reads them. */
  public List<String> flags() {
    String host = address.getAddress().getHostAddress();
    String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    if (tls == null) {
      return List.of("--insecure-listen", hostPort);
    }
    return List.of(
        "--tls-listen",
        hostPort,
        TLS_FLAGS.get(0),
        tls.ca().toString(),
        TLS_FLAGS.get(1),
        tls.cert().toString(),
        TLS_FLAGS.get(2),
        tls.key().toString());
  }

  /** How it reads in the engine's log: {@code tcp://127.0.0.1:2376 (mutual TLS)}. */
  public String describe() {
    String host = address.getAddress().getHostAddress();
    return "tcp://"
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + address.getPort()
        + (tls == null ? " (plain HTTP, loopback only)" : " (mutual TLS)");
  }

  /**
   * The server's TLS context: TLS 1.2 or newer, its certificate and key, and a client certificate
   * signed by the CA required.
   *
   * @throws io.jstack.engine.tls.TlsException when a file cannot be used, or the server's
   *     certificate is not valid now
   */
  SslContext serverContext() {
    TlsFiles files = java.util.Objects.requireNonNull(tls, "a plain listener has no TLS");
    X509Certificate own = Pem.certificates(files.cert()).get(0);
    try {
      own.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new io.jstack.engine.tls.TlsException(
          files.cert()
              + " is valid from "
              + own.getNotBefore().toInstant()
              + " to "
              + own.getNotAfter().toInstant()
              + ", not now: issue a new one (jstack engine certs DIR)");
    }
    try {
      return SslContextBuilder.forServer(files.keyManagers())
          .trustManager(files.trustManagers())
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(TlsFiles.PROTOCOLS)
          .sslProvider(SslProvider.JDK)
          .build();
    } catch (SSLException e) {
      throw new io.jstack.engine.tls.TlsException(
          "cannot serve TLS with " + files + ": " + e.getMessage());
    }
  }

  /** The names a listener's TLS flags go by, as dockerd's. */
  public static final List<String> TLS_FLAGS = List.of("--tlscacert", "--tlscert", "--tlskey");
}
