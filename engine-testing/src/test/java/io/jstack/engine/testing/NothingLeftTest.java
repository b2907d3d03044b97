package io.jstack.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NothingLeftTest {
  static final String CHAIN = "rule filter :JSTACK-FORWARD - [0:0]";
  static final String JUMP = "rule filter -A FORWARD -j JSTACK-FORWARD";
  static final String RULE = "rule filter -A JSTACK-FORWARD -i jst-0123456789a -j ACCEPT";

  static NothingLeft.Snapshot snapshot(String... items) {
    return new NothingLeft.Snapshot(
        new TreeSet<>(Set.of(items)), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
  }

  @Test
  void emptyChainsThatACrashLeft_mayBeTakenAway_byTheEnginesHousekeeping() {
    assertThat(snapshot(CHAIN, JUMP).differenceTo(snapshot())).isEmpty();
  }

  @Test
  void chainsANetworkNeeded_takenAwayWithItsRules_areReported() {
    assertThat(snapshot(CHAIN, JUMP, RULE).differenceTo(snapshot()))
        .contains("taken away:  " + CHAIN)
        .contains("taken away:  " + JUMP)
        .contains("taken away:  " + RULE);
  }

  @Test
  void chainsLeftBehind_areReported() {
    assertThat(snapshot().differenceTo(snapshot(CHAIN, JUMP)))
        .contains("left behind: " + CHAIN)
        .contains("left behind: " + JUMP);
  }

  @Test
  void anotherDataRootsNetwork_keepsTheChainsItNeeds_outOfTheComparison() {
    NothingLeft.Snapshot before =
        new NothingLeft.Snapshot(
            new TreeSet<>(Set.of(CHAIN, JUMP, RULE)),
            new TreeSet<>(Set.of("0123456789abcdef")),
            new TreeSet<>(),
            new TreeSet<>());
    assertThat(before.differenceTo(snapshot(CHAIN, JUMP, RULE))).isEmpty();
    assertThat(snapshot().differenceTo(before)).isEmpty();
  }
}
