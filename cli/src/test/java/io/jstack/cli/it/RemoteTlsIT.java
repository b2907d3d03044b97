package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import io.jstack.engine.tls.Certificates;
import io.jstack.engine.tls.Pem;
import io.jstack.engine.tls.TlsFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The engine serves remote clients over mutual TLS: the docker CLI and jstack itself connect with
 * the files {@code jstack engine certs} writes, by Docker's variables; a client without a
 * certificate, with one from another CA or an expired one, and plain HTTP are refused, and the
 * engine's log says why.
 */
class RemoteTlsIT extends EmbeddedStackFixture {

  @Test
  void dockerAndJstack_overMutualTls_andEveryOtherClientRefused() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    Path tls = dir.resolve("tls");
    JstackRunner.Run certs = jstack.run(new String[0], "engine", "certs", tls.toString());
    assertThat(certs.code()).as(certs.err()).isZero();
    assertThat(certs.out()).contains("wrote " + tls.resolve("server-key.pem"));
    assertThat(Files.getPosixFilePermissions(tls.resolve("key.pem")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    // Never overwritten.
    JstackRunner.Run again = jstack.run(new String[0], "engine", "certs", tls.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains(tls.resolve("ca.pem") + " exists already");

    int port = freePort();
    try (JstackProcess.Running engine =
        JstackProcess.start(
            JstackProcess.builder(
                tls,
                env,
                "--data-root",
                dir.resolve("data").toString(),
                "engine",
                "--socket",
                socket().toString(),
                "--tls-listen",
                "127.0.0.1:" + port,
                // Relative to the caller's directory: the engine runs in / and still finds them.
                "--tlscacert",
                "ca.pem",
                "--tlscert",
                "server-cert.pem",
                "--tlskey",
                "server-key.pem"))) {
      awaitListening(engine, port);

      Map<String, String> remote = remote(port, tls);

      // The docker CLI.
      Docker.Result version = Docker.run(null, remote, "docker", "version");
      assertThat(version.code()).as(version.err()).isZero();
      assertThat(version.out()).contains("jstack-");
      assertThat(Docker.run(null, remote, "docker", "ps").code()).isZero();
      Docker.Result run =
          Docker.run(
              null,
              remote,
              "docker",
              "run",
              "--rm",
              "jstack-examples/busybox:latest",
              "echo",
              "hello over tls");
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("hello over tls\n");

      // jstack itself, by the same variables: up, ps, port (at the engine's host), down.
      compose(
          """
          services:
            web:
              image: jstack-examples/busybox:latest
              init: true
              command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
              ports: ["8080"]
          """);
      Map<String, String> jstackRemote = new HashMap<>(remote);
      jstackRemote.put("JSTACK_DATA_ROOT", dir.resolve("data").toString());
      JstackRunner overTls = new JstackRunner(jstackRemote);
      // No --engine: DOCKER_HOST chooses the engine at that address.
      String[] base = {"-p", project, "-f", dir.resolve("compose.yaml").toString()};
      assertThat(EngineStack.ok(overTls, base, "up", "-d").code()).isZero();
      assertThat(EngineStack.ok(overTls, base, "ps").out()).contains(project + "-web-1");
      String published = EngineStack.ok(overTls, base, "port", "web", "8080").out().strip();
      assertThat(published).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(EngineStack.ok(overTls, base, "down").code()).isZero();
      assertThat(Docker.run(null, remote, "docker", "ps", "-aq").out()).isBlank();

      // Refused: no certificate at all.
      TlsFiles good = TlsFiles.clientIn(tls);
      SSLContext trustOnly = SSLContext.getInstance("TLS");
      trustOnly.init(null, good.trustManagers().getTrustManagers(), null);
      assertThat(ping(trustOnly, port)).isNotEqualTo("200");
      // Refused: a certificate of another CA (the engine's CA still trusted by the client).
      Path other = dir.resolve("other");
      assertThat(jstack.run(new String[0], "engine", "certs", other.toString()).code()).isZero();
      Files.copy(
          tls.resolve("ca.pem"),
          other.resolve("ca.pem"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(ping(TlsFiles.clientIn(other).clientContext(), port)).isNotEqualTo("200");
      remote.put("DOCKER_CERT_PATH", other.toString());
      Docker.Result foreign = Docker.run(null, remote, "docker", "ps");
      assertThat(foreign.code()).isNotZero();
      assertThat(foreign.err()).contains("tls");
      JstackRunner.Run foreignJstack =
          new JstackRunner(withCertPath(jstackRemote, other)).run(base, "ps");
      assertThat(foreignJstack.code()).isEqualTo(1);
      assertThat(foreignJstack.err())
          .contains("refused this client's certificate")
          .doesNotContain("is Docker running");
      // Refused: an expired certificate of the right CA.
      Path expired = Files.createDirectories(dir.resolve("expired"));
      Certificates.Issued ca =
          new Certificates.Issued(
              Pem.certificates(tls.resolve("ca.pem")).get(0),
              Pem.privateKey(tls.resolve("ca-key.pem")));
      Instant now = Instant.now();
      Certificates.client(
              ca,
              "expired client",
              new Certificates.Validity(
                  now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))))
          .write(expired.resolve("cert.pem"), expired.resolve("key.pem"));
      Files.copy(tls.resolve("ca.pem"), expired.resolve("ca.pem"));
      assertThat(ping(TlsFiles.clientIn(expired).clientContext(), port)).isNotEqualTo("200");
      // The good certificate still works.
      assertThat(ping(good.clientContext(), port)).isEqualTo("200");
      // Refused: plain HTTP, answered as Go's servers answer it.
      try (Socket plain = new Socket("127.0.0.1", port)) {
        plain
            .getOutputStream()
            .write("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer =
            new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer)
            .startsWith("HTTP/1.0 400 ")
            .contains("Client sent an HTTP request to an HTTPS server.");
      }
      Map<String, String> plainEnv = new HashMap<>(jstackRemote);
      plainEnv.remove("DOCKER_TLS_VERIFY");
      JstackRunner.Run plainJstack = new JstackRunner(plainEnv).run(base, "ps");
      assertThat(plainJstack.code()).isEqualTo(1);
      assertThat(plainJstack.err()).contains("serves TLS only: set DOCKER_TLS_VERIFY=1");

      // The engine's log says who was refused, and why.
      String log = engine.output();
      assertThat(log)
          .contains("(CN=jstack client,O=jstack) connected over TLS")
          .contains("it sent no client certificate")
          .contains("its certificate is not from this engine's CA")
          .contains("its certificate has expired")
          .contains("refused plain HTTP from");

      engine.process().destroy();
      assertThat(engine.waitFor(Duration.ofSeconds(20))).isTrue();
    }
    // Nothing listens once the engine stopped.
    try (Socket s = new Socket()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> s.connect(new InetSocketAddress("127.0.0.1", port), 1000))
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void plainTcp_onlyOnLoopback() throws Exception {
    JstackRunner.Run refused =
        jstack.run(new String[0], "engine", "--insecure-listen", "0.0.0.0:2375");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("plain HTTP is served on a loopback address only");
    JstackRunner.Run missing =
        jstack.run(new String[0], "engine", "--tls-listen", "127.0.0.1:2376", "--tlscert", "x.pem");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("(missing: --tlscacert, --tlskey)");
  }

  @Test
  void engineStart_takesTheListenFlags_andStatusShowsTheListener() throws Exception {
    assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    Path tls = dir.resolve("tls-start");
    assertThat(jstack.run(new String[0], "engine", "certs", tls.toString()).code()).isZero();
    int port = freePort();
    JstackRunner.Run start =
        jstack.run(
            new String[0],
            "engine",
            "start",
            "--tls-listen",
            "127.0.0.1:" + port,
            "--tlscacert",
            tls.resolve("ca.pem").toString(),
            "--tlscert",
            tls.resolve("server-cert.pem").toString(),
            "--tlskey",
            tls.resolve("server-key.pem").toString());
    assertThat(start.code()).as(start.err()).isZero();
    try {
      JstackRunner.Run status = jstack.run(new String[0], "engine", "status");
      assertThat(status.out()).contains("listening: tcp://127.0.0.1:" + port + " (mutual TLS)");
      // A client of this CA gets through; the listener is the background engine's.
      Map<String, String> remote = remote(port, tls);
      Docker.Result version = Docker.run(null, remote, "docker", "version");
      assertThat(version.code()).as(version.err()).isZero();
      assertThat(version.out()).contains("jstack-");

      JstackRunner.Run again =
          jstack.run(new String[0], "engine", "start", "--insecure-listen", "127.0.0.1:" + port);
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("the engine already runs on");
    } finally {
      assertThat(jstack.run(new String[0], "engine", "stop").code()).isZero();
    }
    assertThat(jstack.run(new String[0], "engine", "status").out()).doesNotContain("listening:");
  }

  /** GET /_ping over TLS with {@code context}: the status, or why it failed. */
  private static String ping(SSLContext context, int port) {
    try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return head.length() == 12 ? head.substring(9, 12) : "closed: " + head;
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /**
   * Docker's variables for a client of the engine's TLS port with the certificates in {@code tls}.
   */
  private Map<String, String> remote(int port, Path tls) throws java.io.IOException {
    Map<String, String> remote = new HashMap<>();
    remote.put("DOCKER_HOST", "tcp://127.0.0.1:" + port);
    remote.put("DOCKER_TLS_VERIFY", "1");
    remote.put("DOCKER_CERT_PATH", tls.toString());
    remote.put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker-config")).toString());
    return remote;
  }

  private static Map<String, String> withCertPath(Map<String, String> env, Path dir) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("DOCKER_CERT_PATH", dir.toString());
    return copy;
  }

  private void awaitListening(JstackProcess.Running engine, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      assertThat(engine.process().isAlive()).as(engine.output()).isTrue();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (java.io.IOException notYet) {
        assertThat(System.nanoTime()).as("the engine listens within 30 s").isLessThan(deadline);
        Thread.sleep(25);
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
