package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of bridge networks as the real {@code iptables} holds them: each exactly once however
 * often a network is added (the engine adds every network again at each start), each copy gone on
 * removal, another network's rules untouched, and jstack's chains and jumps gone with the last.
 */
class FirewallRulesIT {
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  final String tag = UUID.randomUUID().toString().substring(0, 6);
  final String bridgeA = Firewall.BRIDGE_PREFIX + "ra" + tag;
  final String bridgeB = Firewall.BRIDGE_PREFIX + "rb" + tag;
  final Subnet a = Subnet.parse("10.214.1.0/24");
  final Subnet b = Subnet.parse("10.214.2.0/24");

  @AfterEach
  void removeBoth() {
    Firewall.removeNetwork(bridgeA, a, false);
    Firewall.removeNetwork(bridgeB, b, true);
  }

  @Test
  void addedTwice_holdsEachRuleOnce_asIptablesPrintsIt() throws Exception {
    Firewall.addNetwork(bridgeA, a, false);
    Firewall.addNetwork(bridgeA, a, false);
    Firewall.addNetwork(bridgeB, b, true);
    Firewall.addNetwork(bridgeB, b, true);

    List<String> rules = saved();
    assertThat(rules.stream().filter(l -> l.contains(bridgeA)))
        .containsExactly(
            "-A JSTACK-FORWARD -i " + bridgeA + " -o " + bridgeA + " -j ACCEPT",
            "-A JSTACK-FORWARD -i " + bridgeA + " -o jst-+ -j DROP",
            "-A JSTACK-FORWARD -i " + bridgeA + " -j ACCEPT",
            "-A JSTACK-FORWARD -o "
                + bridgeA
                + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A JSTACK-FORWARD -o " + bridgeA + " -j DROP",
            "-A JSTACK-POSTROUTING -s 10.214.1.0/24 ! -o " + bridgeA + " -j MASQUERADE");
    // Internal: no way out, nothing masqueraded.
    assertThat(rules.stream().filter(l -> l.contains(bridgeB)))
        .containsExactly(
            "-A JSTACK-FORWARD -i " + bridgeB + " -o " + bridgeB + " -j ACCEPT",
            "-A JSTACK-FORWARD -i " + bridgeB + " -o jst-+ -j DROP",
            "-A JSTACK-FORWARD -i " + bridgeB + " -j DROP",
            "-A JSTACK-FORWARD -o " + bridgeB + " -j DROP");
    assertThat(rules).containsOnlyOnce("-A FORWARD -j JSTACK-FORWARD");
    assertThat(rules).containsOnlyOnce("-A POSTROUTING -j JSTACK-POSTROUTING");
  }

  @Test
  void removal_takesEveryCopy_keepsTheOtherNetwork_andTheLastTakesTheChains() throws Exception {
    // Another engine's networks (none while the suite runs) keep the chains whatever this does.
    boolean othersBefore = saved().stream().anyMatch(l -> l.startsWith("-A JSTACK-FORWARD "));
    Firewall.addNetwork(bridgeA, a, false);
    Firewall.addNetwork(bridgeB, b, true);
    // A copy of one rule added by hand (or left by an engine of before).
    iptables("-t", "filter", "-A", "JSTACK-FORWARD", "-o", bridgeA, "-j", "DROP");

    Firewall.removeNetwork(bridgeA, a, false);

    List<String> rules = saved();
    assertThat(rules).noneMatch(l -> l.contains(bridgeA));
    assertThat(rules.stream().filter(l -> l.contains(bridgeB))).hasSize(4);
    assertThat(rules).contains("-A FORWARD -j JSTACK-FORWARD");

    Firewall.removeNetwork(bridgeB, b, true);

    assertThat(saved()).noneMatch(l -> l.contains(bridgeB));
    if (othersBefore) {
      assertThat(saved()).contains("-A FORWARD -j JSTACK-FORWARD");
    } else {
      assertThat(iptables()).doesNotContain("JSTACK");
    }
  }

  /** The rule lines iptables holds now, in every table. */
  private static List<String> saved() throws Exception {
    return iptables().lines().filter(l -> l.startsWith("-A ")).toList();
  }

  /** Runs iptables with {@code args} (iptables-save without); what it printed. */
  private static String iptables(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(args.length == 0 ? "iptables-save" : "iptables"));
    if (args.length > 0) {
      cmd.add("-w");
      cmd.addAll(List.of(args));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", cmd, out).isZero();
    return out;
  }
}
