package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpamTest {
  private static Subnet s(String cidr) {
    return Subnet.parse(cidr);
  }

  private static long a(String address) {
    return Subnet.parseAddress(address);
  }

  @Test
  void subnets_parseAndCompare() {
    Subnet net = s("172.20.0.0/16");
    assertThat(net.toString()).isEqualTo("172.20.0.0/16");
    assertThat(net.size()).isEqualTo(65536);
    assertThat(Subnet.address(net.last())).isEqualTo("172.20.255.255");
    assertThat(net.contains(a("172.20.3.4"))).isTrue();
    assertThat(net.contains(a("172.21.0.0"))).isFalse();
    assertThat(net.overlaps(s("172.20.128.0/20"))).isTrue();
    assertThat(net.overlaps(s("172.0.0.0/8"))).isTrue();
    assertThat(net.overlaps(s("172.21.0.0/16"))).isFalse();
    assertThat(net.covers(s("172.20.5.0/24"))).isTrue();
    assertThat(s("172.0.0.0/8").covers(net)).isTrue();
    assertThat(net.covers(s("172.0.0.0/8"))).isFalse();
    assertThat(Subnet.containing(a("10.1.2.3"), 24)).isEqualTo(s("10.1.2.0/24"));
    assertThat(s("0.0.0.0/0").size()).isEqualTo(1L << 32);
  }

  @Test
  void badSubnets_sayWhatIsWrong() {
    assertThatThrownBy(() -> s("172.20.0.1/16")).hasMessageContaining("host bits are set");
    assertThatThrownBy(() -> s("172.20.0.0")).hasMessageContaining("needs a prefix length");
    assertThatThrownBy(() -> s("172.20.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> s("172.300.0.0/16")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> s("a.b.c.d/8")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> s("1.2.3/8")).hasMessageContaining("not an IPv4 address");
  }

  @Test
  void allocation_takesTheFirstFreeDefaultSubnet() {
    assertThat(Ipam.allocate(Optional.empty(), List.of())).isEqualTo(s("172.17.0.0/16"));
    // docker0's network, a jstack network, and a host route into 172.19.
    List<Subnet> used = List.of(s("172.17.0.0/16"), s("172.18.0.0/16"), s("172.19.5.0/24"));
    assertThat(Ipam.allocate(Optional.empty(), used)).isEqualTo(s("172.20.0.0/16"));
    // A host address counts as well.
    assertThat(Ipam.allocate(Optional.empty(), List.of(s("172.17.0.9/32"))))
        .isEqualTo(s("172.18.0.0/16"));
    // With all of 172.16/12 taken, the 192.168 /20s follow.
    assertThat(Ipam.allocate(Optional.empty(), List.of(s("172.16.0.0/12"), s("192.168.0.0/20"))))
        .isEqualTo(s("192.168.16.0/20"));
    assertThatThrownBy(
            () -> Ipam.allocate(Optional.empty(), List.of(s("172.16.0.0/12"), s("192.168.0.0/16"))))
        .hasMessageContaining("no free subnet");
  }

  @Test
  void requestedSubnet_isKept_unlessItOverlapsOneInUse() {
    assertThat(Ipam.allocate(Optional.of(s("10.99.0.0/24")), List.of(s("172.17.0.0/16"))))
        .isEqualTo(s("10.99.0.0/24"));
    assertThatThrownBy(
            () -> Ipam.allocate(Optional.of(s("172.17.4.0/24")), List.of(s("172.17.0.0/16"))))
        .hasMessage(
            "subnet 172.17.4.0/24 overlaps 172.17.0.0/16, which is already in use on this host; choose another subnet");
  }

  @Test
  void gatewayAndAddresses() {
    Subnet net = s("10.5.0.0/24");
    assertThat(Subnet.address(Ipam.gateway(net, Optional.empty()))).isEqualTo("10.5.0.1");
    assertThat(Subnet.address(Ipam.gateway(net, Optional.of(a("10.5.0.254")))))
        .isEqualTo("10.5.0.254");
    assertThatThrownBy(() -> Ipam.gateway(net, Optional.of(a("10.6.0.1"))))
        .hasMessageContaining("not a host address");
    assertThatThrownBy(() -> Ipam.gateway(net, Optional.of(a("10.5.0.255"))))
        .hasMessageContaining("not a host address");

    Set<Long> taken = Set.of(a("10.5.0.1"), a("10.5.0.2"));
    assertThat(Subnet.address(Ipam.address(net, Optional.empty(), Optional.empty(), taken)))
        .isEqualTo("10.5.0.3");
    assertThat(
            Subnet.address(
                Ipam.address(net, Optional.of(s("10.5.0.128/25")), Optional.empty(), taken)))
        .isEqualTo("10.5.0.128");
    assertThat(
            Subnet.address(Ipam.address(net, Optional.empty(), Optional.of(a("10.5.0.77")), taken)))
        .isEqualTo("10.5.0.77");
    assertThatThrownBy(() -> Ipam.address(net, Optional.empty(), Optional.of(a("10.5.0.2")), taken))
        .hasMessage("ipv4_address 10.5.0.2 is already in use on this network");
    assertThatThrownBy(() -> Ipam.address(net, Optional.empty(), Optional.of(a("10.7.0.2")), taken))
        .hasMessageContaining("not a host address of subnet 10.5.0.0/24");
    assertThatThrownBy(
            () -> Ipam.address(net, Optional.of(s("10.6.0.0/24")), Optional.empty(), taken))
        .hasMessageContaining("does not lie within");
    Subnet tiny = s("10.9.0.0/30"); // hosts .1 and .2
    assertThatThrownBy(
            () ->
                Ipam.address(
                    tiny, Optional.empty(), Optional.empty(), Set.of(a("10.9.0.1"), a("10.9.0.2"))))
        .hasMessageContaining("no free address left");
  }

  @Test
  void hostSubnets_includeTheLoopbackAddress() throws Exception {
    assertThat(HostNetwork.subnetsInUse()).contains(s("127.0.0.1/32"));
  }
}
