package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines add and remove networks at once (here two threads; two engine processes share the
 * same host-wide lock): jstack's chains are created by one and dropped by the other when they look
 * empty, so without the lock an add lost its chain or a removal found it busy. Afterwards no rule
 * and no chain is left ({@link NothingLeft}).
 */
class FirewallRaceIT {
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @Test
  void networksAddedAndRemovedAtOnce_neverFail_andLeaveNoChain() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> engines =
        List.of(
            churn("x" + tag, Subnet.parse("10.213.1.0/24"), go, failures),
            churn("y" + tag, Subnet.parse("10.213.2.0/24"), go, failures));
    engines.forEach(Thread::start);
    go.countDown();
    for (Thread t : engines) {
      t.join();
    }
    assertThat(failures).isEmpty();
  }

  private static Thread churn(
      String name, Subnet subnet, CountDownLatch go, ConcurrentLinkedQueue<Throwable> failures) {
    String bridge = Firewall.BRIDGE_PREFIX + name;
    return new Thread(
        () -> {
          try {
            go.await();
            for (int i = 0; i < 12; i++) {
              Firewall.addNetwork(bridge, subnet, false);
              Firewall.removeNetwork(bridge, subnet, false);
            }
          } catch (Throwable e) {
            failures.add(e);
            try {
              Firewall.removeNetwork(bridge, subnet, false);
            } catch (RuntimeException ignored) {
              // The assertion reports the first failure; NothingLeft what stays.
            }
          }
        },
        "firewall-" + name);
  }
}
