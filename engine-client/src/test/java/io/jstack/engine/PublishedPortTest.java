package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishedPortTest {
  private static ContainerInfo.PublishedPort on(String ip) {
    return new ContainerInfo.PublishedPort(ip, 32768, 80, "tcp");
  }

  @Test
  void publishedEverywhere_isReachedAtTheRemoteEnginesHost() {
    for (String everywhere : new String[] {"0.0.0.0", "::", ""}) {
      assertThat(on(everywhere).reachableHost(Optional.of("build.example"), "127.0.0.1"))
          .isEqualTo("build.example");
      assertThat(on(everywhere).reachableHost(Optional.empty(), "127.0.0.1"))
          .isEqualTo("127.0.0.1");
    }
    // A port published on one address is reached there, wherever the engine is.
    assertThat(on("192.0.2.7").reachableHost(Optional.of("build.example"), "127.0.0.1"))
        .isEqualTo("192.0.2.7");
  }
}
