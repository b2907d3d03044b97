package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The files dockerd 20.10 writes, as seen on it ({@code docker run ... cat /etc/resolv.conf}). */
class ResolvConfTest {
  private static final String HOST = "nameserver 10.255.255.53\n";
  private static final String HOST_WITH_SEARCH =
      "# made by hand\nsearch corp.example lab.example\nnameserver 127.0.0.53\n"
          + "nameserver 10.0.0.2\nnameserver fe80::1\noptions edns0 timeout:3\n";

  private static ResolvConf.Asked asked(List<String> dns, List<String> search, List<String> opt) {
    return new ResolvConf.Asked(dns, search, opt);
  }

  @Test
  void userNetwork_namesTheEmbeddedServerWithNdotsZero() {
    assertThat(ResolvConf.embedded(HOST, ResolvConf.Asked.NONE))
        .isEqualTo("nameserver 127.0.0.11\noptions ndots:0\n");
  }

  @Test
  void userNetwork_keepsTheHostsSearchAndOptions() {
    assertThat(ResolvConf.embedded(HOST_WITH_SEARCH, ResolvConf.Asked.NONE))
        .isEqualTo(
            "search corp.example lab.example\nnameserver 127.0.0.11\n"
                + "options edns0 timeout:3 ndots:0\n");
  }

  @Test
  void userNetwork_customDnsStillAnswersAtTheEmbeddedServer() {
    assertThat(
            ResolvConf.embedded(
                HOST, asked(List.of("127.0.0.1"), List.of("foo.example"), List.of("timeout:2"))))
        .isEqualTo("search foo.example\nnameserver 127.0.0.11\noptions timeout:2 ndots:0\n");
    assertThat(ResolvConf.embedded(HOST, asked(List.of("10.9.9.9"), List.of(), List.of())))
        .isEqualTo("nameserver 127.0.0.11\noptions ndots:0\n");
  }

  @Test
  void userNetwork_anNdotsGivenIsKept() {
    assertThat(ResolvConf.embedded(HOST, asked(List.of(), List.of(), List.of("ndots:2"))))
        .isEqualTo("nameserver 127.0.0.11\noptions ndots:2\n");
    assertThat(ResolvConf.embedded(HOST, asked(List.of(), List.of(), List.of("ndots:0", "rotate"))))
        .isEqualTo("nameserver 127.0.0.11\noptions ndots:0 rotate\n");
    assertThatThrownBy(
            () -> ResolvConf.embedded(HOST, asked(List.of(), List.of(), List.of("ndots:x"))))
        .hasMessage("dns option ndots:x is not ndots:<number>; give a number, as ndots:1");
  }

  @Test
  void searchDot_meansNoSearchLine() {
    assertThat(ResolvConf.embedded(HOST_WITH_SEARCH, asked(List.of(), List.of("."), List.of())))
        .isEqualTo("nameserver 127.0.0.11\noptions edns0 timeout:3 ndots:0\n");
  }

  @Test
  void defaultNetwork_copiesTheHostsFileWithoutLoopbackOrIpv6Servers() {
    assertThat(ResolvConf.copied(HOST, ResolvConf.Asked.NONE, "172.17.0.1")).isEqualTo(HOST);
    assertThat(ResolvConf.copied(HOST_WITH_SEARCH, ResolvConf.Asked.NONE, "172.17.0.1"))
        .isEqualTo(
            "# made by hand\nsearch corp.example lab.example\nnameserver 10.0.0.2\n"
                + "options edns0 timeout:3\n");
  }

  @Test
  void defaultNetwork_withOnlyLoopbackServers_asksTheGateway() {
    assertThat(ResolvConf.copied("nameserver 127.0.0.53\n", ResolvConf.Asked.NONE, "172.17.0.1"))
        .isEqualTo("nameserver 172.17.0.1\n");
    assertThat(ResolvConf.copied("nameserver 127.0.0.53", ResolvConf.Asked.NONE, "172.17.0.1"))
        .isEqualTo("nameserver 172.17.0.1\n");
    assertThat(ResolvConf.copied("", ResolvConf.Asked.NONE, null)).isEmpty();
  }

  @Test
  void defaultNetwork_customSettingsBuildTheFile() {
    assertThat(
            ResolvConf.copied(
                HOST,
                asked(List.of("10.1.2.3"), List.of("foo.example"), List.of("timeout:2")),
                "172.17.0.1"))
        .isEqualTo("search foo.example\nnameserver 10.1.2.3\noptions timeout:2\n");
    assertThat(
            ResolvConf.copied(HOST, asked(List.of(), List.of(), List.of("ndots:2")), "172.17.0.1"))
        .isEqualTo("nameserver 10.255.255.53\noptions ndots:2\n");
  }

  @Test
  void servers_mustBeAddresses() {
    assertThat(ResolvConf.server("10.0.0.2").getPort()).isEqualTo(53);
    assertThat(ResolvConf.server("10.0.0.2").getAddress().getHostAddress()).isEqualTo("10.0.0.2");
    assertThat(ResolvConf.server("fd00::2").getAddress().getHostAddress())
        .isEqualTo("fd00:0:0:0:0:0:0:2");
    assertThatThrownBy(() -> ResolvConf.server("dns.example"))
        .hasMessage("dns server dns.example is not an IP address; give one, as 10.0.0.2");
  }
}
