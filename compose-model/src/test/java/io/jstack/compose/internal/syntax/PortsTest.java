package io.jstack.compose.internal.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jstack.compose.PortConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases from compose-go {@code types/types_test.go} (TestParsePortConfig), {@code
 * transform/ports_test.go}, {@code loader/loader_test.go} (TestLoadExpandedPortFormat) and its
 * former full example, and docker/go-connections v0.7.0 {@code nat/nat_test.go} and {@code
 * nat/parse_test.go}.
 */
class PortsTest {

  private static PortConfig port(int target, String published, String protocol) {
    return new PortConfig(null, "ingress", null, target, published, protocol, null);
  }

  private static PortConfig port(String hostIp, int target, String published, String protocol) {
    return new PortConfig(null, "ingress", hostIp, target, published, protocol, null);
  }

  /** One entry per port of {@code first..last}, published port by port from {@code hostFirst}. */
  private static List<PortConfig> expand(
      String hostIp, int first, int last, Integer hostFirst, String protocol) {
    List<PortConfig> ports = new ArrayList<>();
    for (int p = first; p <= last; p++) {
      String published = hostFirst == null ? null : Integer.toString(hostFirst + p - first);
      ports.add(port(hostIp, p, published, protocol));
    }
    return ports;
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        // compose-go types_test.go TestParsePortConfig
        arguments("80", List.of(port(80, null, "tcp"))),
        arguments("80:8080", List.of(port(8080, "80", "tcp"))),
        arguments("80-90:8080", List.of(port(8080, "80-90", "tcp"))),
        arguments("8080:80/tcp", List.of(port(80, "8080", "tcp"))),
        arguments("80:8080/udp", List.of(port(8080, "80", "udp"))),
        arguments("80-81:8080-8081/tcp", List.of(port(8080, "80", "tcp"), port(8081, "81", "tcp"))),
        arguments(
            "80-82:8080-8082/udp",
            List.of(port(8080, "80", "udp"), port(8081, "81", "udp"), port(8082, "82", "udp"))),
        arguments("80-82:8080/udp", List.of(port(8080, "80-82", "udp"))),
        arguments("80-80:8080/tcp", List.of(port(8080, "80", "tcp"))),
        arguments("1.1.1.1:80:80", List.of(port("1.1.1.1", 80, "80", "tcp"))),
        // compose-go transform/ports_test.go
        arguments("127.0.0.1:8080:80", List.of(port("127.0.0.1", 80, "8080", "tcp"))),
        arguments("127.0.0.1:8081:81", List.of(port("127.0.0.1", 81, "8081", "tcp"))),
        // compose-go loader_test.go TestLoadExpandedPortFormat
        arguments("80-82:8080-8082", expand(null, 8080, 8082, 80, "tcp")),
        arguments("90-92:8090-8092/udp", expand(null, 8090, 8092, 90, "udp")),
        arguments("85:8500", List.of(port(8500, "85", "tcp"))),
        arguments("8600", List.of(port(8600, null, "tcp"))),
        // compose-go's full example
        arguments("3000", List.of(port(3000, null, "tcp"))),
        arguments("3001-3005", expand(null, 3001, 3005, null, "tcp")),
        arguments("8000:8000", List.of(port(8000, "8000", "tcp"))),
        arguments("9090-9091:8080-8081", expand(null, 8080, 8081, 9090, "tcp")),
        arguments("49100:22", List.of(port(22, "49100", "tcp"))),
        arguments("127.0.0.1:8001:8001", List.of(port("127.0.0.1", 8001, "8001", "tcp"))),
        arguments("127.0.0.1:5000-5010:5000-5010", expand("127.0.0.1", 5000, 5010, 5000, "tcp")),
        // the forms Compose documents
        arguments("8080:80", List.of(port(80, "8080", "tcp"))),
        arguments("127.0.0.1::80", List.of(port("127.0.0.1", 80, null, "tcp"))),
        arguments("[::1]:8080:80", List.of(port("::1", 80, "8080", "tcp"))),
        arguments("8000-8010:8000-8010", expand(null, 8000, 8010, 8000, "tcp")),
        arguments("80/udp", List.of(port(80, null, "udp"))),
        arguments("6060:6060/udp", List.of(port(6060, "6060", "udp"))),
        arguments("8000-8010:80", List.of(port(80, "8000-8010", "tcp"))),
        arguments("127.0.0.1:8000-8010:80", List.of(port("127.0.0.1", 80, "8000-8010", "tcp"))),
        // go-connections nat_test.go TestParsePortSpecFull
        arguments(
            "0.0.0.0:1234-1235:3333-3334/tcp",
            List.of(port("0.0.0.0", 3333, "1234", "tcp"), port("0.0.0.0", 3334, "1235", "tcp"))),
        // go-connections nat_test.go TestPartPortSpecIPV6
        arguments(
            "[2001:4860:0:2001::68]::333", List.of(port("2001:4860:0:2001::68", 333, null, "tcp"))),
        arguments("[::1]:80:80", List.of(port("::1", 80, "80", "tcp"))),
        arguments(
            "2001:4860:0:2001::68::333", List.of(port("2001:4860:0:2001::68", 333, null, "tcp"))),
        arguments("::1:80:80", List.of(port("::1", 80, "80", "tcp"))),
        arguments("::::80", List.of(port("::", 80, null, "tcp"))),
        arguments("[::ffff:127.0.0.1]:80:80", List.of(port("::ffff:127.0.0.1", 80, "80", "tcp"))),
        // go-connections nat_test.go TestParsePortSpecs, TestParsePortSpecsWithRange
        arguments("1234/tcp", List.of(port(1234, null, "tcp"))),
        arguments("2345/udp", List.of(port(2345, null, "udp"))),
        arguments("3456/sctp", List.of(port(3456, null, "sctp"))),
        arguments("1234:1234/tcp", List.of(port(1234, "1234", "tcp"))),
        arguments("0.0.0.0:3456:3456/sctp", List.of(port("0.0.0.0", 3456, "3456", "sctp"))),
        arguments("1234-1236/tcp", expand(null, 1234, 1236, null, "tcp")),
        arguments("3456-3458:3456-3458/sctp", expand(null, 3456, 3458, 3456, "sctp")),
        arguments("0.0.0.0:2345-2347:2345-2347/udp", expand("0.0.0.0", 2345, 2347, 2345, "udp")),
        // go-connections nat_test.go TestParseNetworkOpts*
        arguments("192.168.1.100::80", List.of(port("192.168.1.100", 80, null, "tcp"))),
        arguments("192.168.1.100:8080:80", List.of(port("192.168.1.100", 80, "8080", "tcp"))),
        arguments("192.168.1.100::6000/udp", List.of(port("192.168.1.100", 6000, null, "udp"))),
        arguments("192.168.1.100::6000/sctp", List.of(port("192.168.1.100", 6000, null, "sctp"))),
        // go-connections nat_test.go TestSplitProtoPort, TestParsePort; parse_test.go
        arguments("0", List.of(port(0, null, "tcp"))),
        arguments("0-0", List.of(port(0, null, "tcp"))),
        arguments("1234/", List.of(port(1234, null, "tcp"))),
        arguments("1234/UDP", List.of(port(1234, null, "udp"))),
        arguments("80-85/", expand(null, 80, 85, null, "tcp")),
        arguments("0123", List.of(port(123, null, "tcp"))),
        arguments("65535", List.of(port(65535, null, "tcp"))),
        arguments("1234-1234", List.of(port(1234, null, "tcp"))),
        // compose-go sorts the expanded ports as "PORT/PROTOCOL" text
        arguments(
            "9998-10001",
            List.of(
                port(10000, null, "tcp"),
                port(10001, null, "tcp"),
                port(9998, null, "tcp"),
                port(9999, null, "tcp"))),
        arguments(
            "1008-1010:8-10",
            List.of(port(10, "1010", "tcp"), port(8, "1008", "tcp"), port(9, "1009", "tcp"))));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("valid")
  void parse_givesComposePortEntries(String spec, List<PortConfig> expected) {
    assertThat(Ports.parse(spec)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // compose-go types_test.go TestParsePortConfig
        "''|invalid port \"\": no container port given",
        "9999999|invalid port \"9999999\": the container port 9999999 is out of range (0-65535)",
        "80/xyz|invalid port \"80/xyz\": unknown protocol \"xyz\" (use tcp, udp or sctp)",
        "tcp|invalid port \"tcp\": the container port must be a number or a range",
        "udp|invalid port \"udp\": the container port must be a number or a range",
        // compose-go transform/ports_test.go
        "127.0.1:8080:80|invalid port \"127.0.1:8080:80\": the host IP \"127.0.1\" is not a valid"
            + " IP address",
        // go-connections nat_test.go TestParsePortSpecEmptyContainerPort
        "0.0.0.0:1234-1235:/tcp|invalid port \"0.0.0.0:1234-1235:/tcp\": no container port given",
        "0.0.0.0:1234-1235:|invalid port \"0.0.0.0:1234-1235:\": no container port given",
        // go-connections nat_test.go TestParsePortSpecs, TestParseNetworkOpts*
        "localhost:1234:1234/tcp|invalid port \"localhost:1234:1234/tcp\": the host IP"
            + " \"localhost\" is not a valid IP address",
        "localhost:1234-1236:1234-1236/tcp|invalid port \"localhost:1234-1236:1234-1236/tcp\":"
            + " the host IP \"localhost\" is not a valid IP address",
        "192.168.1.100|invalid port \"192.168.1.100\": the container port must be a number or a"
            + " range",
        "192.168.1.100:-1:-1|invalid port \"192.168.1.100:-1:-1\": the container port must be a"
            + " number or a range",
        // go-connections nat_test.go TestParsePort, parse_test.go TestParsePortRange
        "65536|invalid port \"65536\": the container port 65536 is out of range (0-65535)",
        "asdf|invalid port \"asdf\": the container port must be a number or a range",
        "1asdf|invalid port \"1asdf\": the container port must be a number or a range",
        "9000-8000|invalid port \"9000-8000\": the container port range 9000-8000 ends before it"
            + " starts",
        "8000-|invalid port \"8000-\": the container port must be a number or a range",
        "-9000|invalid port \"-9000\": the container port must be a number or a range",
        "8000-a|invalid port \"8000-a\": the container port must be a number or a range",
        "8000-9000a|invalid port \"8000-9000a\": the container port must be a number or a range",
        "8000a-9000|invalid port \"8000a-9000\": the container port must be a number or a range",
        "-8000-|invalid port \"-8000-\": the container port must be a number or a range",
        "-|invalid port \"-\": the container port must be a number or a range",
        "8000-70000|invalid port \"8000-70000\": the container port 70000 is out of range"
            + " (0-65535)",
        "' 42 '|invalid port \" 42 \": the container port must be a number or a range",
        // published ports and ranges
        "80:xyz|invalid port \"80:xyz\": the container port must be a number or a range",
        "xyz:80|invalid port \"xyz:80\": the published port must be a number or a range",
        "70000:80|invalid port \"70000:80\": the published port 70000 is out of range (0-65535)",
        "90-80:80|invalid port \"90-80:80\": the published port range 90-80 ends before it"
            + " starts",
        "80-81:8080-8082|invalid port \"80-81:8080-8082\": the published range 80-81 and the"
            + " container range 8080-8082 must be the same size",
        "8080:80-81|invalid port \"8080:80-81\": the published range 8080 and the container range"
            + " 80-81 must be the same size",
        // protocols and addresses
        "80/udp/tcp|invalid port \"80/udp/tcp\": unknown protocol \"udp/tcp\" (use tcp, udp or"
            + " sctp)",
        "/udp|invalid port \"/udp\": no container port given",
        "[::1:80:80|invalid port \"[::1:80:80\": the host IP \"[::1\" is not a valid IP address",
        "[::1]x:80:80|invalid port \"[::1]x:80:80\": the host IP \"[::1]x\" is not a valid IP"
            + " address",
        "[fe80::1%eth0]:80:80|invalid port \"[fe80::1%eth0]:80:80\": the host IP \"fe80::1%eth0\""
            + " is not a valid IP address",
        "127.0.0.01:80:80|invalid port \"127.0.0.01:80:80\": the host IP \"127.0.0.01\" is not a"
            + " valid IP address",
        "${HOST_IP}:${HOST_PORT}:80|invalid port \"${HOST_IP}:${HOST_PORT}:80\": the host IP"
            + " \"${HOST_IP}\" is not a valid IP address",
      })
  void parse_rejectsWithAMessage(String spec, String message) {
    assertThatThrownBy(() -> Ports.parse(spec))
        .isInstanceOf(SyntaxException.class)
        .hasMessage(message);
  }
}
