package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerStats;
import org.junit.jupiter.api.Test;

class StatsCommandTest {
  @Test
  void sizes_areWordedAsDockersCli() {
    assertThat(StatsCommand.binary(0)).isEqualTo("0B");
    assertThat(StatsCommand.binary(1_613_824)).isEqualTo("1.539MiB");
    assertThat(StatsCommand.binary(25_155_215_360L)).isEqualTo("23.43GiB");
    assertThat(StatsCommand.binary(512)).isEqualTo("512B");
    assertThat(StatsCommand.decimal(1_050)).isEqualTo("1.05kB");
    assertThat(StatsCommand.decimal(648)).isEqualTo("648B");
    assertThat(StatsCommand.decimal(2_000_000)).isEqualTo("2MB");
  }

  @Test
  void aRow_hasDockerStatsFields() {
    StatsCommand c = new StatsCommand();
    ContainerStats s =
        new ContainerStats(
            "0123456789abcdef", "shop-web-1", 12.345, 1 << 20, 1 << 30, 1050, 0, 0, 4096, 3);
    assertThat(c.row(s))
        .containsEntry("ID", "0123456789ab")
        .containsEntry("Name", "shop-web-1")
        .containsEntry("CPUPerc", "12.35%")
        .containsEntry("MemUsage", "1MiB / 1GiB")
        .containsEntry("MemPerc", "0.10%")
        .containsEntry("NetIO", "1.05kB / 0B")
        .containsEntry("BlockIO", "0B / 4.1kB")
        .containsEntry("PIDs", "3");
    c.noTrunc = true;
    assertThat(c.row(s)).containsEntry("ID", "0123456789abcdef");
  }
}
