package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine's DNS answers at 127.0.0.11 inside each container on a user-defined network,
 * as Docker's does: its /etc/resolv.conf is the one dockerd writes (compared with dockerd's own),
 * names of the stack answer over UDP and TCP, a service's {@code dns} servers get the other names
 * (two fake resolvers on loopback addresses, never the host's), the sockets close when the
 * container stops and come back when another engine takes over, and no engine thread stays in a
 * container's namespace.
 */
class EmbeddedDnsIT extends EmbeddedStackFixture {
  /** The address of the fake server a service names as its {@code dns} (port 53). */
  private static final String OWN_DNS = "127.77.0.1";

  @Test
  void answersAt127_0_0_11_asDockersDns() throws Exception {
    try (DatagramSocket engineUpstream = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        ServerSocket engineUpstreamTcp =
            new ServerSocket(engineUpstream.getLocalPort(), 5, InetAddress.getLoopbackAddress());
        DatagramSocket ownServer = new DatagramSocket(new InetSocketAddress(OWN_DNS, 53))) {
      fakeResolver(engineUpstream, (byte) 78);
      fakeTcpResolver(engineUpstreamTcp, (byte) 78);
      fakeResolver(ownServer, (byte) 77);
      Map<String, String> upstream = new HashMap<>(env);
      upstream.put("JSTACK_DNS_UPSTREAM", "127.0.0.1:" + engineUpstream.getLocalPort());
      jstack = new JstackRunner(upstream);
      compose(
          """
          services:
            a:
              image: jstack-examples/busybox:latest
              command: ["sleep", "600"]
            b:
              image: jstack-examples/busybox:latest
              command: ["sleep", "600"]
            c:
              image: jstack-examples/busybox:latest
              command: ["sleep", "600"]
              dns: ["%s"]
              dns_search: ["foo.example"]
              dns_opt: ["timeout:2"]
          """
              .formatted(OWN_DNS));
      ok("up", "-d");
      String b =
          inspect("b")
              .path("NetworkSettings")
              .path("Networks")
              .elements()
              .next()
              .path("IPAddress")
              .asText();
      assertThat(b).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

      // The files dockerd writes on a user-defined network, byte for byte.
      assertThat(exec("a", "cat", "/etc/resolv.conf")).isEqualTo(dockerdResolvConf());
      assertThat(exec("c", "cat", "/etc/resolv.conf"))
          .isEqualTo(
              dockerdResolvConf(
                  "--dns", OWN_DNS, "--dns-search", "foo.example", "--dns-option", "timeout:2"));
      assertThat(exec("a", "cat", "/etc/resolv.conf")).startsWith("nameserver 127.0.0.11\n");

      // UDP, named and through resolv.conf; TCP with a query written by hand.
      assertThat(exec("a", "nslookup", "b", "127.0.0.11")).contains("Address: " + b);
      assertThat(exec("a", "nslookup", "b")).contains("Address: " + b);
      assertThat(tcpAnswer("a", "b")).endsWith(addressHex(b));
      // Over TCP, a name the engine does not know goes upstream over TCP.
      assertThat(tcpAnswer("a", "far.example.test")).endsWith(addressHex("192.0.2.78"));
      // Other names: the engine's upstream for a, c's own server for c.
      assertThat(exec("a", "nslookup", "far.example.test")).contains("Address: 192.0.2.78");
      assertThat(exec("c", "nslookup", "far.example.test")).contains("Address: 192.0.2.77");

      // A new engine makes the sockets again for the running containers.
      stack.killTheEngine();
      ok("ps");
      assertThat(exec("a", "nslookup", "b", "127.0.0.11")).contains("Address: " + b);
      assertThat(tcpAnswer("a", "b")).endsWith(addressHex(b));
      assertNoEngineThreadInAContainerNamespace();

      // Stopped: nothing listens in its namespace any more (the namespace stays until removal).
      String aId = inspect("a").path("Id").asText();
      Path ns = Path.of("/run/netns", "jstack-" + aId.substring(0, 12));
      assertThat(listening(ns)).contains("127.0.0.11:53");
      ok("stop", "-t", "1", "a");
      assertThat(listening(ns)).doesNotContain("127.0.0.11:53");
      ok("start", "a");
      assertThat(exec("a", "nslookup", "b", "127.0.0.11")).contains("Address: " + b);
      assertNoEngineThreadInAContainerNamespace();
    }
  }

  @Test
  void defaultNetworkAndHostMode_getTheFilesDockerdWrites() throws Exception {
    compose("services:\n  idle:\n    image: jstack-examples/busybox:latest\n");
    ok("ps"); // starts the engine
    for (List<String> options :
        List.of(
            List.<String>of(),
            List.of(
                "--dns", "10.1.2.3", "--dns-search", "foo.example", "--dns-option", "timeout:2"),
            List.of("--dns-option", "ndots:2"),
            List.of("--network", "host"))) {
      List<String> run = new java.util.ArrayList<>(List.of("run", "--rm"));
      run.addAll(options);
      run.addAll(List.of("jstack-examples/busybox:latest", "cat", "/etc/resolv.conf"));
      Docker.Result dockerd = Docker.run(null, with("docker", run));
      assertThat(dockerd.code()).as(dockerd.err()).isZero();
      Docker.Result embedded = stack.docker(run.toArray(String[]::new));
      assertThat(embedded.code()).as(embedded.err()).isZero();
      assertThat(embedded.out()).as("resolv.conf with " + options).isEqualTo(dockerd.out());
    }
  }

  private static String[] with(String first, List<String> rest) {
    List<String> all = new java.util.ArrayList<>(List.of(first));
    all.addAll(rest);
    return all.toArray(String[]::new);
  }

  /** The resolv.conf dockerd gives a container on a user-defined network with {@code options}. */
  private static String dockerdResolvConf(String... options) {
    String network = "jstack-dns-it-" + UUID.randomUUID().toString().substring(0, 6);
    Docker.Result made = Docker.run(null, "docker", "network", "create", network);
    assertThat(made.code()).as(made.err()).isZero();
    try {
      List<String> cmd =
          new java.util.ArrayList<>(List.of("docker", "run", "--rm", "--network", network));
      cmd.addAll(List.of(options));
      cmd.addAll(List.of("jstack-examples/busybox:latest", "cat", "/etc/resolv.conf"));
      Docker.Result r = Docker.run(null, cmd.toArray(String[]::new));
      assertThat(r.code()).as(r.err()).isZero();
      return r.out();
    } finally {
      Docker.Result gone = Docker.run(null, "docker", "network", "rm", network);
      assertThat(gone.code()).as(gone.err()).isZero();
    }
  }

  private String exec(String service, String... command) {
    String[] args = new String[command.length + 3];
    args[0] = "exec";
    args[1] = "-T";
    args[2] = service;
    System.arraycopy(command, 0, args, 3, command.length);
    return ok(args).out();
  }

  /**
   * The answer, in hex, to an A question for {@code name} asked of 127.0.0.11 over TCP from inside
   * {@code service} (busybox's nc, the query written by busybox's printf in octal).
   */
  private String tcpAnswer(String service, String name) {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    q.writeBytes(new byte[] {0x4a, 0x53, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      q.write(label.length());
      q.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    q.writeBytes(new byte[] {0, 0, 1, 0, 1});
    byte[] query = q.toByteArray();
    StringBuilder octal = new StringBuilder();
    octal.append(String.format("\\%03o\\%03o", query.length >> 8, query.length & 0xff));
    for (byte x : query) {
      octal.append(String.format("\\%03o", x & 0xff));
    }
    String hex =
        exec(
            service, "sh", "-c", "printf '" + octal + "' | nc -w 2 127.0.0.11 53 | od -An -v -tx1");
    String answer = hex.replaceAll("\\s+", "");
    // Its length, then the same id, a response (recursion desired and available, NOERROR).
    assertThat(answer).startsWith(String.format("%04x", answer.length() / 2 - 2) + "4a53");
    assertThat(answer.substring(8, 12)).isIn("8580", "8180");
    return answer;
  }

  private static String addressHex(String address) {
    StringBuilder out = new StringBuilder();
    for (String part : address.split("\\.")) {
      out.append(String.format("%02x", Integer.parseInt(part)));
    }
    return out.toString();
  }

  /** What listens (UDP and TCP) in network namespace {@code ns}, as {@code ss} shows it. */
  private static String listening(Path ns) {
    Docker.Result r = Docker.run(null, "nsenter", "--net=" + ns, "ss", "-lntu");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  /** Every thread of the engine is in the engine's own network namespace. */
  private void assertNoEngineThreadInAContainerNamespace() throws Exception {
    long pid = stack.enginePid();
    Path own = Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "ns/net"));
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          assertThat(Files.readSymbolicLink(task.resolve("ns/net")))
              .as("thread " + task.getFileName() + " of the engine")
              .isEqualTo(own);
        } catch (java.nio.file.NoSuchFileException ended) {
          // The thread ended meanwhile.
        }
      }
    }
  }

  /**
   * A resolver on {@code socket} that gives every A question {@code 192.0.2.<last>} (an address for
   * documentation; nothing goes there), other questions no data.
   */
  private static void fakeResolver(DatagramSocket socket, byte last) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[512];
              while (!socket.isClosed()) {
                try {
                  DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                  socket.receive(p);
                  byte[] reply = reply(java.util.Arrays.copyOf(p.getData(), p.getLength()), last);
                  socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (java.io.IOException closed) {
                  return;
                }
              }
            },
            "fake-resolver-" + last);
    t.setDaemon(true);
    t.start();
  }

  /** The same over TCP (each message after its two-byte length), one connection at a time. */
  private static void fakeTcpResolver(ServerSocket server, byte last) {
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  DataInputStream in = new DataInputStream(s.getInputStream());
                  byte[] query = new byte[in.readUnsignedShort()];
                  in.readFully(query);
                  byte[] reply = reply(query, last);
                  DataOutputStream out = new DataOutputStream(s.getOutputStream());
                  out.writeShort(reply.length);
                  out.write(reply);
                  out.flush();
                } catch (java.io.IOException closed) {
                  // Closed, or a client that went away: the next one.
                }
              }
            },
            "fake-tcp-resolver-" + last);
    t.setDaemon(true);
    t.start();
  }

  private static byte[] reply(byte[] query, byte last) {
    int end = 12;
    while (query[end] != 0) {
      end += (query[end] & 0xff) + 1;
    }
    boolean a = query[end + 1] == 0 && query[end + 2] == 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(query, 0, 2);
    out.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, (byte) (a ? 1 : 0), 0, 0, 0, 0});
    out.write(query, 12, end + 5 - 12);
    if (a) {
      out.writeBytes(HexFormat.of().parseHex("c00c000100010000003c0004c00002"));
      out.write(last);
    }
    return out.toByteArray();
  }
}
