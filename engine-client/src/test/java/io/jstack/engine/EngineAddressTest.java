package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineAddressTest {

  @Test
  void fromEnvironment_withoutDockerHost_isDockersDefaultSocket() {
    assertThat(EngineAddress.fromEnvironment(Map.of()))
        .isEqualTo(new EngineAddress.Unix(Path.of("/var/run/docker.sock")));
  }

  @Test
  void parse_unixAndTcp() {
    assertThat(EngineAddress.parse("unix:///run/jstack/engine.sock"))
        .isEqualTo(new EngineAddress.Unix(Path.of("/run/jstack/engine.sock")));
    assertThat(EngineAddress.parse("tcp://127.0.0.1:2376"))
        .isEqualTo(new EngineAddress.Tcp("127.0.0.1", 2376));
    assertThat(EngineAddress.parse("tcp://localhost"))
        .isEqualTo(new EngineAddress.Tcp("localhost", 2375));
  }

  @Test
  void parse_rejectsOtherSchemesWithAHint() {
    assertThatThrownBy(() -> EngineAddress.parse("ssh://user@box"))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("ssh://user@box")
        .hasMessageContaining("unix:///path/to/socket or tcp://HOST:PORT");
    assertThatThrownBy(() -> EngineAddress.parse("unix://relative.sock"))
        .hasMessageContaining("must be absolute");
  }

  @Test
  void fromEnvironment_tlsAsDockersCliReadsIt() {
    assertThat(
            EngineAddress.fromEnvironment(
                Map.of(
                    "DOCKER_HOST", "tcp://[::1]:2376",
                    "DOCKER_TLS_VERIFY", "1",
                    "DOCKER_CERT_PATH", "/etc/certs")))
        .isEqualTo(
            new EngineAddress.Tcp(
                "::1",
                2376,
                new io.jstack.engine.tls.TlsFiles(
                    Path.of("/etc/certs/ca.pem"),
                    Path.of("/etc/certs/cert.pem"),
                    Path.of("/etc/certs/key.pem"))))
        .hasToString("tcp://[::1]:2376");
    // Any non-empty value asks for TLS, as with docker; the files default to ~/.docker.
    assertThat(
            ((EngineAddress.Tcp)
                    EngineAddress.fromEnvironment(
                        Map.of(
                            "DOCKER_HOST", "tcp://h:2376",
                            "DOCKER_TLS_VERIFY", "0",
                            "HOME", "/home/u")))
                .tls())
        .isEqualTo(io.jstack.engine.tls.TlsFiles.clientIn(Path.of("/home/u/.docker")));
    assertThat(
            ((EngineAddress.Tcp)
                    EngineAddress.fromEnvironment(
                        Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "")))
                .tls())
        .isNull();
    // TLS is for TCP: a socket stays a socket.
    assertThat(
            EngineAddress.fromEnvironment(
                Map.of("DOCKER_HOST", "unix:///x.sock", "DOCKER_TLS_VERIFY", "1")))
        .isEqualTo(new EngineAddress.Unix(Path.of("/x.sock")));
  }
}
