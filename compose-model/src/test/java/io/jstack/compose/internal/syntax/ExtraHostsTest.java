package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases from compose-go {@code types/hostList_test.go}, with both separators as it runs them. */
class ExtraHostsTest {

  static Stream<Arguments> entries() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String sep : List.of("=", ":")) {
      cases
          // IPv4
          .add(arguments("myhost" + sep + "192.168.0.1", "myhost", List.of("192.168.0.1")))
          // weird but permitted, IPv4 with brackets
          .add(arguments("myhost" + sep + "[192.168.0.1]", "myhost", List.of("192.168.0.1")))
          // host and domain
          .add(arguments("host.invalid" + sep + "10.0.2.1", "host.invalid", List.of("10.0.2.1")))
          // IPv6
          .add(
              arguments(
                  "anipv6host" + sep + "2003:ab34:e::1", "anipv6host", List.of("2003:ab34:e::1")))
          // IPv6, brackets
          .add(
              arguments(
                  "anipv6host" + sep + "[2003:ab34:e::1]", "anipv6host", List.of("2003:ab34:e::1")))
          // IPv6 localhost
          .add(arguments("ipv6local" + sep + "::1", "ipv6local", List.of("::1")))
          // IPv6 localhost, brackets
          .add(arguments("ipv6local" + sep + "[::1]", "ipv6local", List.of("::1")))
          // host-gateway special case
          .add(
              arguments(
                  "host.docker.internal" + sep + "host-gateway",
                  "host.docker.internal",
                  List.of("host-gateway")))
          // list of values
          .add(
              arguments(
                  "foo" + sep + "127.0.0.2,127.0.0.3", "foo", List.of("127.0.0.2", "127.0.0.3")))
          // mixed, some in brackets
          .add(arguments("foo" + sep + "[::1],127.0.0.1", "foo", List.of("::1", "127.0.0.1")))
          // nothing is checked in the address
          .add(arguments("foo" + sep, "foo", List.of("")))
          .add(arguments("foo" + sep + "[]", "foo", List.of("[]")));
    }
    return cases
        // both ipv4 and ipv6
        .add(arguments("foo:127.0.0.2", "foo", List.of("127.0.0.2")))
        .add(arguments("foo:ff02::1", "foo", List.of("ff02::1")))
        // the forms of the brief
        .add(arguments("myhost:::1", "myhost", List.of("::1")))
        .add(arguments("myhost=[::1]", "myhost", List.of("::1")))
        // '=' wins over an earlier ':' only when the host has no ':'
        .add(arguments("myhost=::1:2", "myhost", List.of("::1:2")))
        .build();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("entries")
  void parse_splitsHostAndAddresses(String entry, String host, List<String> addresses) {
    assertThat(ExtraHosts.parse(entry)).isEqualTo(Map.entry(host, addresses));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // hostList_test.go: bad host, colon / eq
        "::::1|invalid extra host \"::::1\": bad host name \"\" (it must be non-empty and contain"
            + " neither ':' nor '=')",
        "=::1|invalid extra host \"=::1\": bad host name \"\" (it must be non-empty and contain"
            + " neither ':' nor '=')",
        // more
        "a:b=1.2.3.4|invalid extra host \"a:b=1.2.3.4\": bad host name \"a:b\" (it must be"
            + " non-empty and contain neither ':' nor '=')",
        "myhost|invalid extra host \"myhost\": missing IP address (use \"host=ip\" or"
            + " \"host:ip\")",
        "''|invalid extra host \"\": missing IP address (use \"host=ip\" or \"host:ip\")",
      })
  void parse_rejectsWithAMessage(String entry, String message) {
    assertThatThrownBy(() -> ExtraHosts.parse(entry))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void format_usesEquals() {
    // compose-go prints each pair as "host=ip" (HostsList.MarshalYAML, AsList("="))
    assertThat(ExtraHosts.format("ipv6local", "::1")).isEqualTo("ipv6local=::1");
    assertThat(ExtraHosts.format("myhost", "192.168.0.1")).isEqualTo("myhost=192.168.0.1");
  }

  @Test
  void checkHostAndStripBrackets_serveTheMappingForm() {
    ExtraHosts.checkHost("extra_hosts.myhost", "myhost");
    assertThatThrownBy(() -> ExtraHosts.checkHost("extra_hosts.a:b", "a:b"))
        .isInstanceOf(SyntaxException.class)
        .hasMessageContaining("bad host name \"a:b\"");
    assertThat(ExtraHosts.stripBrackets("[::1]")).isEqualTo("::1");
    assertThat(ExtraHosts.stripBrackets("[]")).isEqualTo("[]");
    assertThat(ExtraHosts.stripBrackets("::1")).isEqualTo("::1");
  }
}
