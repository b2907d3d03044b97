package io.jstack.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private final Instant start = Instant.parse("2030-06-01T12:00:00Z");
  private final ManualClock clock = new ManualClock(start);
  private final List<String> ran = new ArrayList<>();

  @Test
  void timeStandsStillUntilAdvanced() {
    assertThat(clock.now()).isEqualTo(start);
    clock.advance(Duration.ofSeconds(90));
    assertThat(clock.now()).isEqualTo(start.plusSeconds(90));
    assertThat(new ManualClock().now()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void tasksRunInDueOrder_tiesInSchedulingOrder_atTheirDueTime() {
    clock.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + clock.now()));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + clock.now()));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("b@" + clock.now()));

    clock.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("a@" + start.plusSeconds(1), "b@" + start.plusSeconds(1));
    assertThat(clock.pending()).isEqualTo(1);
    assertThat(clock.now()).isEqualTo(start.plusSeconds(2));

    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).last().isEqualTo("c@" + start.plusSeconds(3));
    assertThat(clock.pending()).isZero();
  }

  @Test
  void tasksScheduledByTasks_runInTheSameAdvanceWhenDue() {
    clock.schedule(
        Duration.ofSeconds(1),
        () -> {
          ran.add("first");
          clock.schedule(Duration.ofSeconds(1), () -> ran.add("second"));
          clock.schedule(Duration.ofSeconds(5), () -> ran.add("later"));
        });
    clock.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("first", "second");
    assertThat(clock.pending()).isEqualTo(1);
  }

  @Test
  void aZeroDelayTask_runsAtTheNextAdvance() {
    clock.schedule(Duration.ZERO, () -> ran.add("now"));
    assertThat(ran).isEmpty();
    clock.advance(Duration.ZERO);
    assertThat(ran).containsExactly("now");
  }

  @Test
  void negativeDurations_areRejected() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.schedule(Duration.ofSeconds(-1), () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
