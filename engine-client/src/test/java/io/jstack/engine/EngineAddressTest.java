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
}
