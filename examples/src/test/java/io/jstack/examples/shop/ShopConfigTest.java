package io.jstack.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopConfigTest {
  @Test
  void fromEnv_onlyPassword_defaultsFitTheComposeFile() {
    ShopConfig c = ShopConfig.fromEnv(Map.of("DB_PASSWORD", "s3cret"));

    assertThat(c)
        .isEqualTo(new ShopConfig("db", 5432, "shop", "shop", "s3cret", "cache", 6379, 8080));
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shop");
  }

  @Test
  void fromEnv_everySetting_isRead() {
    ShopConfig c =
        ShopConfig.fromEnv(
            Map.of(
                "DB_HOST", "pg.internal",
                "DB_PORT", "6543",
                "DB_NAME", "orders",
                "DB_USER", "clerk",
                "DB_PASSWORD", "pw",
                "REDIS_HOST", "redis",
                "REDIS_PORT", " 7000 ",
                "PORT", "9090"));

    assertThat(c)
        .isEqualTo(
            new ShopConfig("pg.internal", 6543, "orders", "clerk", "pw", "redis", 7000, 9090));
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.internal:6543/orders");
  }

  @Test
  void fromEnv_emptyVariable_countsAsUnset() {
    ShopConfig c = ShopConfig.fromEnv(Map.of("DB_PASSWORD", "pw", "DB_HOST", "", "PORT", ""));

    assertThat(c.dbHost()).isEqualTo("db");
    assertThat(c.port()).isEqualTo(8080);
  }

  @Test
  void fromEnv_noPassword_saysWhichVariable() {
    assertThatThrownBy(() -> ShopConfig.fromEnv(Map.of("DB_HOST", "db")))
        .isInstanceOf(ShopConfig.InvalidConfigException.class)
        .hasMessage(
            "DB_PASSWORD is not set: give the shop database user's password in the environment");
    assertThatThrownBy(() -> ShopConfig.fromEnv(Map.of("DB_PASSWORD", "")))
        .hasMessageStartingWith("DB_PASSWORD is not set");
  }

  @Test
  void fromEnv_badPort_namesVariableAndValue() {
    assertThatThrownBy(() -> ShopConfig.fromEnv(Map.of("DB_PASSWORD", "pw", "DB_PORT", "fivek")))
        .isInstanceOf(ShopConfig.InvalidConfigException.class)
        .hasMessage(
            "DB_PORT=fivek is not a port: give a number from 1 to 65535, or leave it unset");
    assertThatThrownBy(() -> ShopConfig.fromEnv(Map.of("DB_PASSWORD", "pw", "REDIS_PORT", "0")))
        .hasMessageStartingWith("REDIS_PORT=0 is not a port");
    assertThatThrownBy(() -> ShopConfig.fromEnv(Map.of("DB_PASSWORD", "pw", "PORT", "65536")))
        .hasMessageStartingWith("PORT=65536 is not a port");
  }

  @Test
  void httpPort_needsNoPassword() {
    assertThat(ShopConfig.httpPort(Map.of())).isEqualTo(8080);
    assertThat(ShopConfig.httpPort(Map.of("PORT", "8081"))).isEqualTo(8081);
    assertThatThrownBy(() -> ShopConfig.httpPort(Map.of("PORT", "-1")))
        .hasMessageStartingWith("PORT=-1 is not a port");
  }

  @Test
  void toString_leavesThePasswordOut() {
    ShopConfig c = ShopConfig.fromEnv(Map.of("DB_PASSWORD", "hunter2"));

    assertThat(c.toString())
        .isEqualTo("port 8080, database shop@db:5432/shop, cache cache:6379")
        .doesNotContain("hunter2");
  }
}
