package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Prune filters' {@code until}: Go durations, RFC 3339 times, epoch seconds. */
class DurationsTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void goDurations_countBackFromNow() {
    assertThat(Durations.before("24h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(24)));
    assertThat(Durations.before("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    assertThat(Durations.before("1.5s", NOW)).isEqualTo(NOW.minusMillis(1500));
  }

  @Test
  void timesAndEpochSeconds_areTaken_asTheyAre() {
    assertThat(Durations.before("2025-01-01T00:00:00Z", NOW))
        .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(Durations.before("1700000000", NOW)).isEqualTo(Instant.ofEpochSecond(1700000000));
  }

  @Test
  void anythingElse_isRefused_namingIt() {
    assertThatThrownBy(() -> Durations.before("2 days", NOW)).hasMessageContaining("not 2 days");
    assertThatThrownBy(() -> Durations.before("24hx", NOW)).hasMessageContaining("not 24hx");
  }
}
