package io.jstack.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Signal names and numbers, as dockerd reads a stop signal. */
class SignalsTest {
  @Test
  void known_takesNamesNumbersAndRealTimeSignals_asDockerd() {
    assertThat(Signals.known("SIGINT")).isTrue();
    assertThat(Signals.known("quit")).isTrue();
    assertThat(Signals.known("10")).isTrue();
    assertThat(Signals.known("SIGRTMIN+3")).isTrue();
    assertThat(Signals.known("RTMAX-1")).isTrue();
    assertThat(Signals.known("SIGRTMIN")).isTrue();
  }

  @Test
  void known_refusesWhatIsNoSignal() {
    // dockerd: "Invalid signal: SIGFOO".
    assertThat(Signals.known("SIGFOO")).isFalse();
    assertThat(Signals.known("0")).isFalse();
    assertThat(Signals.known("65")).isFalse();
    assertThat(Signals.known("RTMIN+40")).isFalse();
    assertThat(Signals.known("")).isFalse();
  }

  @Test
  void number_ofANameOrNumber() {
    assertThat(Signals.number("SIGINT")).isEqualTo(2);
    assertThat(Signals.number("TERM")).isEqualTo(15);
    assertThat(Signals.number("9")).isEqualTo(9);
    assertThat(Signals.number("SIGFOO")).isNull();
  }
}
