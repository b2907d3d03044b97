package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's {@code net.ParseIP}, which decides the host IP of a port. */
class GoIpTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "1.1.1.1",
        "::",
        "::1",
        "2001:db8::1",
        "2001:4860:0:2001::68",
        "FE80::1",
        "1:2:3:4:5:6:7:8",
        "1::",
        "::ffff:127.0.0.1",
        "1:2:3:4:5:6:1.2.3.4",
        "::1.2.3.4",
      })
  void isValid_acceptsAddresses(String ip) {
    assertThat(GoIp.isValid(ip)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "localhost",
        "127.0.1",
        "127.0.0.256",
        "127.0.0.01",
        "1.2.3.4.5",
        "1..2.3",
        ".1.2.3",
        "1.2.3.",
        "1.2.3.4 ",
        "fe80::1%eth0",
        "%eth0",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "1:2:3:4:5:6:7",
        "12345::",
        "::1.2.3",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:",
        ":1",
        "::g",
        "[::1]",
      })
  void isValid_rejectsTheRest(String ip) {
    assertThat(GoIp.isValid(ip)).isFalse();
  }
}
