package io.jstack.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {
  @Test
  void uri_andJdbcUrl_useHostAndPort() {
    Endpoint e = new Endpoint("127.0.0.1", 32768);
    assertThat(e.uri("http")).hasToString("http://127.0.0.1:32768");
    assertThat(e.uri("http", "health")).hasToString("http://127.0.0.1:32768/health");
    assertThat(e.uri("http", "/a/b")).hasToString("http://127.0.0.1:32768/a/b");
    assertThat(e.jdbcUrl("postgresql", "shop")).isEqualTo("jdbc:postgresql://127.0.0.1:32768/shop");
    assertThat(e).hasToString("127.0.0.1:32768");
  }

  @Test
  void ipv6Host_isBracketed() {
    assertThat(new Endpoint("::1", 5432).uri("redis")).hasToString("redis://[::1]:5432");
  }

  @Test
  void portOutOfRange_isRefused() {
    assertThatThrownBy(() -> new Endpoint("127.0.0.1", 0)).hasMessage("not a port: 0");
  }
}
