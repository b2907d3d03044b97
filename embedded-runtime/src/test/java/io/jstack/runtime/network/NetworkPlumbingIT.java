package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bridge networks on the host with the real ip and iptables, between network namespaces this test
 * makes (the only addresses it reaches): the shape of compose-spec's DifferentNetworks test.
 * Namespace one is on network A, two on network B, three on both: three reaches one and two, one
 * and two cannot reach each other even by address. Afterwards nothing is left: no link, namespace
 * or rule ({@link NothingLeft}).
 */
class NetworkPlumbingIT {
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  final String tag = UUID.randomUUID().toString().substring(0, 6);
  final String bridgeA = Firewall.BRIDGE_PREFIX + "a" + tag;
  final String bridgeB = Firewall.BRIDGE_PREFIX + "b" + tag;
  final List<String> namespaces = new ArrayList<>();
  final List<Process> servers = new ArrayList<>();
  Subnet a;
  Subnet b;
  boolean internalB;
  String outsideLink;

  @AfterEach
  void cleanUp() throws Exception {
    servers.forEach(Process::destroyForcibly);
    for (String ns : namespaces) {
      Plumbing.deleteNamespace(ns);
    }
    if (a != null) {
      Firewall.removeNetwork(bridgeA, a, false);
    }
    if (b != null) {
      Firewall.removeNetwork(bridgeB, b, internalB);
    }
    if (outsideLink != null) {
      Plumbing.deleteLink(outsideLink);
    }
    Plumbing.deleteLink(bridgeA);
    Plumbing.deleteLink(bridgeB);
  }

  @Test
  void differentNetworks_areIsolated_evenByAddress_andAContainerOnBothReachesBoth()
      throws Exception {
    List<Subnet> used = new ArrayList<>(HostNetwork.subnetsInUse());
    a = Ipam.allocate(Optional.empty(), used);
    used.add(a);
    b = Ipam.allocate(Optional.empty(), used);
    long gatewayA = Ipam.gateway(a, Optional.empty());
    long gatewayB = Ipam.gateway(b, Optional.empty());
    Plumbing.createBridge(bridgeA, a, gatewayA, 1500);
    Plumbing.createBridge(bridgeB, b, gatewayB, 1500);
    Firewall.addNetwork(bridgeA, a, false);
    Firewall.addNetwork(bridgeB, b, false);

    String one = namespace("one");
    String two = namespace("two");
    String three = namespace("three");
    long oneAddress = a.host(2);
    long twoAddress = b.host(2);
    Plumbing.plug(
        one,
        false,
        List.of(
            new Plumbing.Link(bridgeA, "jv1" + tag, "eth0", a, oneAddress, gatewayA, 1500, true)));
    Plumbing.plug(
        two,
        false,
        List.of(
            new Plumbing.Link(bridgeB, "jv2" + tag, "eth0", b, twoAddress, gatewayB, 1500, true)));
    Plumbing.plug(
        three,
        false,
        List.of(
            new Plumbing.Link(bridgeA, "jv3" + tag, "eth0", a, a.host(3), gatewayA, 1500, true)));
    Plumbing.plug(
        three,
        false,
        List.of(
            new Plumbing.Link(bridgeB, "jv4" + tag, "eth1", b, b.host(3), gatewayB, 1500, false)));
    assertThat(run("ip", "-n", three, "-o", "addr", "show"))
        .contains(Subnet.address(a.host(3)) + "/" + a.prefix())
        .contains(Subnet.address(b.host(3)) + "/" + b.prefix());

    serve(one, "from-one");
    serve(two, "from-two");
    assertThat(ask(three, oneAddress)).isEqualTo("from-one");
    assertThat(ask(three, twoAddress)).isEqualTo("from-two");
    // Across networks, by address, through the gateways: dropped.
    assertThat(ask(one, twoAddress)).isEqualTo("nc: timed out");
    assertThat(ask(two, oneAddress)).isEqualTo("nc: timed out");
    // The served namespaces still answer: the empty answers were the firewall, not a dead server.
    assertThat(ask(three, oneAddress)).isEqualTo("from-one");
  }

  @Test
  void anInternalNetwork_hasNoWayOut_whileAnotherGoesOutMasqueraded() throws Exception {
    List<Subnet> used = new ArrayList<>(HostNetwork.subnetsInUse());
    a = Ipam.allocate(Optional.empty(), used);
    used.add(a);
    b = Ipam.allocate(Optional.empty(), used);
    used.add(b);
    // "Outside": a namespace behind a plain veth pair on the host, not a jstack network.
    Subnet outside = Ipam.allocate(Optional.empty(), used);
    outsideLink = "jvo" + tag;
    String away = namespace("away");
    run(
        "ip",
        "link",
        "add",
        "name",
        outsideLink,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        away);
    run(
        "ip",
        "addr",
        "add",
        Subnet.address(outside.host(1)) + "/" + outside.prefix(),
        "dev",
        outsideLink);
    run("ip", "link", "set", "dev", outsideLink, "up");
    run(
        "ip",
        "-n",
        away,
        "addr",
        "add",
        Subnet.address(outside.host(2)) + "/" + outside.prefix(),
        "dev",
        "eth0");
    run("ip", "-n", away, "link", "set", "dev", "eth0", "up");
    serve(away, "from-outside");

    long gatewayA = Ipam.gateway(a, Optional.empty());
    long gatewayB = Ipam.gateway(b, Optional.empty());
    Plumbing.createBridge(bridgeA, a, gatewayA, 1500);
    Plumbing.createBridge(bridgeB, b, gatewayB, 1500);
    Firewall.addNetwork(bridgeA, a, false);
    Firewall.addNetwork(bridgeB, b, true);
    internalB = true;
    String open = namespace("open");
    String closed = namespace("closed");
    Plumbing.plug(
        open,
        false,
        List.of(
            new Plumbing.Link(bridgeA, "jv5" + tag, "eth0", a, a.host(2), gatewayA, 1500, true)));
    Plumbing.plug(
        closed,
        false,
        List.of(
            new Plumbing.Link(bridgeB, "jv6" + tag, "eth0", b, b.host(2), gatewayB, 1500, true)));

    // The outside sees the open network's traffic come from the host (masqueraded): it needs no
    // route back into the network.
    assertThat(ask(open, outside.host(2))).isEqualTo("from-outside");
    assertThat(ask(closed, outside.host(2))).isEqualTo("nc: timed out");
    assertThat(ask(open, outside.host(2))).isEqualTo("from-outside");
  }

  private String namespace(String name) {
    String ns = "jstack-it-" + name + "-" + tag;
    Plumbing.plug(ns, true, List.of());
    namespaces.add(ns);
    return ns;
  }

  /** A TCP server on port 7000 in {@code ns} that answers every connection with {@code text}. */
  private void serve(String ns, String text) throws Exception {
    Path answer = dir.resolve(ns + ".sh");
    Files.writeString(answer, "#!/bin/sh\necho " + text + "\n");
    assertThat(answer.toFile().setExecutable(true)).isTrue();
    servers.add(
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "busybox",
                "nc",
                "-ll",
                "-p",
                "7000",
                "-e",
                answer.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
    // Listening once it answers on its own loopback.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ask(ns, Subnet.parseAddress("127.0.0.1")).equals(text));
  }

  /** What the server at {@code address}:7000 says to a client in {@code ns}, or nc's complaint. */
  private String ask(String ns, long address) throws Exception {
    return run(
            "ip", "netns", "exec", ns, "busybox", "nc", "-w", "1", Subnet.address(address), "7000")
        .strip();
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
