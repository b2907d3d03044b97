package io.jstack.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTest {
  @Test
  void netDev_givesEachInterfaceButLo_byName() {
    List<String> lines =
        List.of(
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets"
                + " errs drop fifo colls carrier compressed",
            "    lo:     120       2    0    0    0     0          0         0      120       2 "
                + "   0    0    0     0       0          0",
            "  eth0:    4096      31    1    2    0     0          0         0     2048      17 "
                + "   3    4    0     0       0          0");
    assertThat(Usage.parseNetDev(lines))
        .containsOnlyKeys("eth0")
        .containsEntry("eth0", new Usage.Interface(4096, 31, 1, 2, 2048, 17, 3, 4));
  }

  @Test
  void interfaces_ofThisProcess_areNone_forItSharesTheHostsNamespace() {
    assertThat(Usage.interfaces(ProcessHandle.current().pid())).isEmpty();
  }
}
