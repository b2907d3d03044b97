package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackRunner;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks on the embedded engine, with no dockerd in the stack's path: examples/hello run
 * by Debian's docker-compose against the engine's socket (jstack runs it on each engine in {@link
 * HelloStackIT}, also after the engine is killed); compose-spec's DifferentNetworks shape; replicas
 * behind one name; names the engine does not know asked of a fake upstream resolver on 127.0.0.1.
 * Afterwards no bridge, veth, namespace or firewall rule is left (the fixture's {@link
 * io.jstack.runtime.NothingLeft}).
 */
class EmbeddedNetworksIT extends EmbeddedStackFixture {

  @Test
  void debiansDockerCompose_runsHelloAgainstTheEngineSocket() throws Exception {
    compose("services:\n  idle:\n    image: jstack-examples/busybox:latest\n");
    ok("ps"); // starts the engine
    int port = freePort();
    String[] compose = {
      "env",
      "DOCKER_HOST=unix://" + socket(),
      "HELLO_PORT=" + port,
      "docker-compose",
      "-p",
      project,
      "-f",
      Docker.repo().resolve("examples/hello/compose.yaml").toString()
    };
    try {
      Docker.Result up = Docker.run(null, with(compose, "up", "-d"));
      assertThat(up.code()).as(up.err()).isZero();
      String ps = Docker.run(null, with(compose, "ps")).out();
      assertThat(ps)
          .contains(project + "_web_1")
          .contains("Up (healthy)")
          .contains("0.0.0.0:" + port + "->8080/tcp");
      assertThat(get(port)).contains("hello from jstack");
    } finally {
      Docker.Result down = Docker.run(null, with(compose, "down", "-v", "-t", "1"));
      assertThat(down.code()).as(down.err()).isZero();
    }
    assertThat(dir.resolve("data/networks")).isEmptyDirectory();
  }

  private static String[] with(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void differentNetworks_areIsolated_andAServiceOnBothReachesBoth() throws Exception {
    compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo from-a > /tmp/i; httpd -f -p 8080 -h /tmp"]
            networks: [one]
          b:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo from-b > /tmp/i; httpd -f -p 8080 -h /tmp"]
            networks: [two]
          both:
            image: jstack-examples/busybox:latest
            command: ["sleep", "600"]
            networks: [one, two]
            links: ["a:backend"]
          beside-a:
            image: jstack-examples/busybox:latest
            command: ["sleep", "600"]
            network_mode: "service:a"
        networks:
          one: {}
          two: {}
        """);
    ok("up", "-d");
    String b = inspect("b").path("NetworkSettings").path("IPAddress").asText();
    assertThat(fetch("both", "a")).isEqualTo("from-a");
    assertThat(fetch("both", "b")).isEqualTo("from-b");
    // a and b share no network: not by name, not even by address.
    assertThat(jstack.run(base, "exec", "-T", "a", "nslookup", "b").out()).contains("NXDOMAIN");
    assertThat(fetch("a", b)).isEmpty();
    assertThat(fetch("both", b)).isEqualTo("from-b");
    // A link's alias names the linked service for the linking one only.
    assertThat(fetch("both", "backend")).isEqualTo("from-a");
    assertThat(jstack.run(base, "exec", "-T", "a", "nslookup", "backend").out())
        .contains("NXDOMAIN");
    // network_mode service:a shares a's namespace: a's server is on its loopback.
    assertThat(fetch("beside-a", "127.0.0.1")).isEqualTo("from-a");
  }

  @Test
  void ipamAliasesMtuExtraHostsExternalNetworksAndARandomPort() throws Exception {
    compose("services:\n  idle:\n    image: jstack-examples/busybox:latest\n");
    ok("ps"); // starts the engine
    // An external network, made beforehand through the engine's API as `docker network create`.
    String made =
        apiCall(
            "POST",
            "/networks/create",
            "{\"Name\":\"" + project + "-outer\",\"Driver\":\"bridge\"}");
    assertThat(made).contains("\"Id\"");
    try {
      compose(
          """
          services:
            fixed:
              image: jstack-examples/busybox:latest
              command: ["sh", "-c", "hostname > /tmp/i; httpd -f -p 8080 -h /tmp"]
              ports: ["8080"]
              extra_hosts: ["somewhere.test:10.9.8.7"]
              networks:
                inner:
                  ipv4_address: 10.123.0.50
                  aliases: [nickname]
            ranged:
              image: jstack-examples/busybox:latest
              command: ["sleep", "600"]
              networks: [inner, outer]
          networks:
            inner:
              driver_opts:
                com.docker.network.driver.mtu: "1400"
              ipam:
                config:
                  - subnet: 10.123.0.0/24
                    gateway: 10.123.0.254
                    ip_range: 10.123.0.128/25
            outer:
              external: true
              name: %s-outer
          """
              .formatted(project));
      ok("up", "-d");
      JsonNode fixed = inspect("fixed").path("NetworkSettings").path("Networks");
      assertThat(fixed.path(project + "_inner").path("IPAddress").asText())
          .isEqualTo("10.123.0.50");
      assertThat(fixed.path(project + "_inner").path("Gateway").asText()).isEqualTo("10.123.0.254");
      String ranged =
          inspect("ranged")
              .path("NetworkSettings")
              .path("Networks")
              .path(project + "_inner")
              .path("IPAddress")
              .asText();
      assertThat(Integer.parseInt(ranged.substring(ranged.lastIndexOf('.') + 1)))
          .isGreaterThanOrEqualTo(128);
      assertThat(inspect("ranged").path("NetworkSettings").path("Networks").has(project + "-outer"))
          .isTrue();
      assertThat(ok("exec", "-T", "ranged", "cat", "/sys/class/net/eth0/mtu").out().strip())
          .isEqualTo("1400");
      assertThat(fetch("ranged", "nickname")).isNotEmpty();
      assertThat(ok("exec", "-T", "fixed", "cat", "/etc/hosts").out())
          .contains("10.9.8.7\tsomewhere.test");
      // No published port given: a free one, which `port` tells and which answers.
      String published = ok("port", "fixed", "8080").out().strip();
      int port = Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
      assertThat(port).isPositive();
      assertThat(get(port)).isNotBlank();
      ok("down", "-t", "1");
    } finally {
      apiCall("DELETE", "/networks/" + project + "-outer", null);
    }
    assertThat(dir.resolve("data/networks")).isEmptyDirectory();
  }

  @Test
  void replicas_allAnswerToOneName() throws Exception {
    compose(
        """
        services:
          web:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "hostname > /tmp/i; httpd -f -p 8080 -h /tmp"]
          client:
            image: jstack-examples/busybox:latest
            command: ["sleep", "600"]
        """);
    ok("up", "-d", "--scale", "web=3");
    String lookup = ok("exec", "-T", "client", "nslookup", "web").out();
    Set<String> addresses = new HashSet<>();
    lookup
        .lines()
        .filter(l -> l.startsWith("Address: "))
        .forEach(l -> addresses.add(l.substring(9)));
    assertThat(addresses).hasSize(3);
    // The order rotates: a client that asks again and again, and takes the first address it is
    // given (glibc's getaddrinfo would sort them), reaches every replica.
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 30 && answered.size() < 3; i++) {
      answered.add(fetch("client", "$(nslookup web | awk '/^Address: /{print $2; exit}')"));
    }
    assertThat(answered).hasSize(3);
  }

  @Test
  void otherNames_goToTheUpstreamResolver() throws Exception {
    try (DatagramSocket fake = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread resolver = fakeResolver(fake);
      Map<String, String> upstream = new HashMap<>(env);
      upstream.put("JSTACK_DNS_UPSTREAM", "127.0.0.1:" + fake.getLocalPort());
      jstack = new JstackRunner(upstream);
      compose(
          """
          services:
            box:
              image: jstack-examples/busybox:latest
              command: ["sleep", "600"]
          """);
      ok("up", "-d");
      String answer = ok("exec", "-T", "box", "nslookup", "far.example.test").out();
      assertThat(answer).contains("Address: 192.0.2.77");
      resolver.interrupt();
    }
  }

  /** What {@code GET /i} on {@code host}:8080 gives, asked from {@code service}; "" if nothing. */
  private String fetch(String service, String host) {
    return jstack
        .run(
            base,
            "exec",
            "-T",
            service,
            "sh",
            "-c",
            "printf 'GET /i HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + host + " 8080 | tail -n 1")
        .out()
        .strip();
  }

  private static String get(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A resolver that knows one answer: every A question gets {@code 192.0.2.77} (an address for
   * documentation; nothing ever goes there), other questions no data.
   */
  private static Thread fakeResolver(DatagramSocket socket) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[512];
              while (!socket.isClosed()) {
                try {
                  DatagramPacket q = new DatagramPacket(buffer, buffer.length);
                  socket.receive(q);
                  byte[] reply = answer(java.util.Arrays.copyOf(q.getData(), q.getLength()));
                  socket.send(new DatagramPacket(reply, reply.length, q.getSocketAddress()));
                } catch (java.io.IOException closed) {
                  return;
                }
              }
            },
            "fake-resolver");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static byte[] answer(byte[] query) {
    int end = 12;
    while (query[end] != 0) {
      end += (query[end] & 0xff) + 1;
    }
    int type = (query[end + 1] & 0xff) << 8 | (query[end + 2] & 0xff);
    int questionEnd = end + 5;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(query, 0, 2); // the id
    out.writeBytes(
        new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, (byte) (type == 1 ? 1 : 0), 0, 0, 0, 0});
    out.write(query, 12, questionEnd - 12);
    if (type == 1) {
      out.writeBytes(
          new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, 77});
    }
    return out.toByteArray();
  }
}
